// The client's Watch with two controls its ListWatch lacks. recycle() ends the open streams in a way the
// ListWatch sees as a normal server-side close, so it re-watches from its last resourceVersion instead of
// stopping with an error (a restart that survives half-open connections without a relist). close() ends
// the streams for good, including a request whose response headers have not arrived yet.
//
// The client creates each request's AbortController inside watch() and hands it out only once the headers
// are in, so a request to an API server that never answers could not be aborted: shutdown would wait for the
// server. Each request therefore also carries a signal of ours, joined to the client's through the request
// options the client asks the KubeConfig for.
import { Watch, type KubeConfig } from '@kubernetes/client-node';

type WatchParams = Parameters<Watch['watch']>;

interface OpenStream {
  /** Ends the request at any point, before or after its headers. */
  readonly abort: AbortController;
  finished: boolean;
  /** Ended by us: report a clean close, never the resulting AbortError. */
  intentional: boolean;
}

export class RecyclableWatch extends Watch {
  private readonly streams = new Set<OpenStream>();
  /** The stream whose request options are being prepared right now (watch() is entered one call at a time). */
  private preparing: OpenStream | undefined;
  private closed = false;

  constructor(kubeConfig: KubeConfig) {
    // The client reads the request options from its config, then assigns its own signal to them. This view of
    // the config joins that signal to the stream's own abort signal.
    const config = Object.create(kubeConfig) as KubeConfig;
    config.applyToFetchOptions = async (opts) => {
      // Read before the first await: the client calls this synchronously from within watch().
      const stream = this.preparing;
      const init = await kubeConfig.applyToFetchOptions(opts);
      if (!stream) return init;
      let signal: AbortSignal | undefined;
      Object.defineProperty(init, 'signal', {
        configurable: true,
        enumerable: true,
        get: () => signal,
        set: (clientSignal: AbortSignal | null | undefined) => {
          signal = clientSignal ? AbortSignal.any([clientSignal, stream.abort.signal]) : stream.abort.signal;
        },
      });
      return init;
    };
    super(config);
  }

  override async watch(
    path: WatchParams[0],
    queryParams: WatchParams[1],
    callback: WatchParams[2],
    done: WatchParams[3],
  ): Promise<AbortController> {
    const stream: OpenStream = { abort: new AbortController(), finished: false, intentional: false };
    if (this.closed) {
      done(null);
      stream.abort.abort();
      return stream.abort;
    }
    const finish = (err: unknown): void => {
      stream.finished = true;
      this.streams.delete(stream);
      done(stream.intentional || this.closed ? null : err);
    };
    this.streams.add(stream);
    this.preparing = stream;
    let controller: AbortController;
    try {
      // The client asks for the request options synchronously, before its first wait.
      const pending = super.watch(path, queryParams, (type, object, watchObj) => callback(type, withoutManagedFields(object), watchObj), finish);
      this.preparing = undefined;
      controller = await pending;
    } finally {
      this.preparing = undefined;
    }
    // Whoever aborts the client's controller (the ListWatch on stop) ends our request too, and vice versa.
    controller.signal.addEventListener('abort', () => stream.abort.abort(), { once: true });
    if (!stream.finished && this.closed) {
      stream.intentional = true;
      stream.abort.abort();
    }
    return controller;
  }

  /** Ends every open stream as if the server had closed it. Returns how many were ended. */
  recycle(): number {
    const open = [...this.streams];
    for (const stream of open) {
      stream.intentional = true;
      stream.abort.abort();
    }
    return open.length;
  }

  /** Ends every stream, those still waiting for headers included, and refuses new ones. */
  close(): void {
    this.closed = true;
    this.recycle();
  }

  get openStreams(): number {
    return this.streams.size;
  }
}

/**
 * Objects as the caches keep them: without metadata.managedFields, which the controller never reads and which
 * can be larger than the rest of an object (10,000 ingresses would keep megabytes of them).
 */
export function withoutManagedFields<T>(object: T): T {
  const metadata = (object as { metadata?: { managedFields?: unknown } } | undefined)?.metadata;
  if (metadata && 'managedFields' in metadata) delete metadata.managedFields;
  return object;
}
