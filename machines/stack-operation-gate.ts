// At most N stack operations in flight (--max-stack-operations). A slot is taken when an actor submits
// CreateStack, UpdateStack, DeleteStack or ContinueUpdateRollback, and given back when the actor's lifecycle
// leaves the operation (its stack settled, failed or is gone), not when the submit call returns: CloudFormation
// works on the stack for minutes after that. The rest wait, first come first served, inside their actors'
// `submitting` state, so a queued operation survives a restart like any other submit (it is re-invoked).

export class StackOperationGate {
  private readonly holders = new Set<string>();
  private readonly waiting: { readonly stackName: string; readonly admit: () => void }[] = [];

  constructor(private readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`stack operation limit must be a positive integer, got ${limit}`);
  }

  /** Resolves once `stackName` may submit; an actor that already holds a slot (a resubmit) goes straight on. */
  acquire(stackName: string): Promise<void> {
    if (this.holders.has(stackName)) return Promise.resolve();
    if (this.holders.size < this.limit && this.waiting.length === 0) {
      this.holders.add(stackName);
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.waiting.push({ stackName, admit: resolve });
    });
  }

  /**
   * An operation already in progress when the actor came to be (restored after a restart, or adopted mid-way):
   * it counts against the limit at once, even above it, since CloudFormation is already working on it.
   */
  hold(stackName: string): void {
    if (!this.isQueued(stackName)) this.holders.add(stackName);
  }

  /** The actor's operation is over (or the actor is gone): its slot, or its place in the queue, is freed. */
  release(stackName: string): void {
    const queued = this.waiting.findIndex((w) => w.stackName === stackName);
    if (queued >= 0 && !this.holders.has(stackName)) {
      // Left while waiting (stopped or retired): it never got a slot, and its submit never resolves.
      this.waiting.splice(queued, 1);
      return;
    }
    if (!this.holders.delete(stackName)) return;
    while (this.holders.size < this.limit && this.waiting.length > 0) {
      const next = this.waiting.shift()!;
      this.holders.add(next.stackName);
      next.admit();
    }
  }

  isQueued(stackName: string): boolean {
    return this.waiting.some((w) => w.stackName === stackName);
  }

  get inFlight(): number {
    return this.holders.size;
  }

  get queued(): number {
    return this.waiting.length;
  }

  get capacity(): number {
    return this.limit;
  }
}
