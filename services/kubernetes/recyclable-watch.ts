// The client's Watch with two controls its ListWatch lacks. recycle() ends the open streams in a way the
// ListWatch sees as a normal server-side close, so it re-watches from its last resourceVersion instead of
// stopping with an error (a restart that survives half-open connections without a relist). close() ends
// the streams for good, including one whose request is still in flight when the informer stops: ListWatch
// cannot abort that one itself, and it would otherwise keep the process alive.
import { Watch } from '@kubernetes/client-node';

type WatchParams = Parameters<Watch['watch']>;

interface OpenStream {
  controller: AbortController | undefined;
  finished: boolean;
  /** Ended by us: report a clean close, never the resulting AbortError. */
  intentional: boolean;
}

export class RecyclableWatch extends Watch {
  private readonly streams = new Set<OpenStream>();
  private closed = false;

  override async watch(
    path: WatchParams[0],
    queryParams: WatchParams[1],
    callback: WatchParams[2],
    done: WatchParams[3],
  ): Promise<AbortController> {
    if (this.closed) {
      done(null);
      const controller = new AbortController();
      controller.abort();
      return controller;
    }
    const stream: OpenStream = { controller: undefined, finished: false, intentional: false };
    const finish = (err: unknown): void => {
      stream.finished = true;
      this.streams.delete(stream);
      done(stream.intentional || this.closed ? null : err);
    };
    const controller = await super.watch(path, queryParams, callback, finish);
    stream.controller = controller;
    if (!stream.finished) {
      if (this.closed) {
        stream.intentional = true;
        controller.abort();
      } else {
        this.streams.add(stream);
      }
    }
    return controller;
  }

  /** Ends every open stream as if the server had closed it. Returns how many were ended. */
  recycle(): number {
    const open = [...this.streams];
    for (const stream of open) {
      stream.intentional = true;
      stream.controller?.abort();
    }
    return open.length;
  }

  /** Ends every stream and refuses new ones. The owner must stop its ListWatch first, or it re-watches. */
  close(): void {
    this.closed = true;
    this.recycle();
  }

  get openStreams(): number {
    return this.streams.size;
  }
}
