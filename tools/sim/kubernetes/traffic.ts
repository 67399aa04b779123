// What tests and the scenario runner observe about the client's traffic: every write in order, read counts
// by route, and one-shot failures to inject.

export interface WriteRecord {
  /** Clock time the request arrived, epoch ms. */
  readonly at: number;
  readonly method: string;
  /** Path without the query string. */
  readonly path: string;
  /** Query string including `?`, or '' when there is none. */
  readonly query: string;
  /** Media type of the body without parameters, e.g. `application/merge-patch+json`. */
  readonly contentType: string | undefined;
  /** The body parsed as JSON, the raw text when it is not JSON, undefined when empty. */
  readonly body: unknown;
  /** HTTP status the simulator answered. */
  readonly status: number;
}

export type WriteListener = (write: WriteRecord) => void;

interface InjectedFailure {
  method: string;
  path: RegExp;
  /** HTTP status to answer with; HOLD: never answer (no headers) until the client gives up. */
  status: number;
  message: string | undefined;
}

/** Pseudo-status of a held request: an API server that accepted the connection and never answers. */
export const HOLD = 0;

export class TrafficLog {
  readonly writes: WriteRecord[] = [];
  private readonly reads = new Map<string, number>();
  private readonly listeners = new Set<WriteListener>();
  private readonly failures: InjectedFailure[] = [];

  recordWrite(write: WriteRecord): void {
    this.writes.push(write);
    for (const listener of [...this.listeners]) listener(write);
  }

  recordRead(key: string): void {
    this.reads.set(key, (this.reads.get(key) ?? 0) + 1);
  }

  readCounts(): Record<string, number> {
    return Object.fromEntries([...this.reads.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }

  onWrite(listener: WriteListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  reset(): void {
    this.writes.length = 0;
    this.reads.clear();
  }

  /** The next matching request is held open without an answer, like a hung API server. */
  holdNext(method: string, path: RegExp | string): void {
    this.failNext(method, path, HOLD);
  }

  failNext(method: string, path: RegExp | string, status: number, message?: string): void {
    this.failures.push({ method: method.toUpperCase(), path: typeof path === 'string' ? new RegExp(path) : path, status, message });
  }

  /**
   * Consumes the first injected failure matching the request. The pattern is tried against the path alone
   * and against path plus query, so `/ingresses$` and `watch=true` both work.
   */
  /** Every matching request answers `status` until the returned function is called: RBAC without a verb. */
  failAlways(method: string, path: RegExp | string, status: number, message?: string): () => void {
    const rule = { method: method.toUpperCase(), path: typeof path === 'string' ? new RegExp(path) : path, status, message };
    this.standing.push(rule);
    return () => {
      const i = this.standing.indexOf(rule);
      if (i >= 0) this.standing.splice(i, 1);
    };
  }

  private readonly standing: { method: string; path: RegExp; status: number; message: string | undefined }[] = [];

  takeFailure(method: string, path: string, query: string): { status: number; message: string | undefined } | undefined {
    const standing = this.standing.find((f) => (f.method === '*' || f.method === method) && (f.path.test(path) || f.path.test(path + query)));
    if (standing) return { status: standing.status, message: standing.message };
    const i = this.failures.findIndex((f) => {
      if (f.method !== '*' && f.method !== method) return false;
      f.path.lastIndex = 0;
      if (f.path.test(path)) return true;
      f.path.lastIndex = 0;
      return f.path.test(path + query);
    });
    if (i < 0) return undefined;
    const [failure] = this.failures.splice(i, 1);
    return { status: failure!.status, message: failure!.message };
  }
}
