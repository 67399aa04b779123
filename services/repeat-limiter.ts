// A problem that persists is logged when it first appears and then at most once per interval (with how many
// times it recurred in between), not on every cycle; one that goes away is forgotten, so its return is logged
// at once. The metrics still count every occurrence: only the log is thinned.

export const DEFAULT_REPEAT_INTERVAL_MS = 10 * 60_000;

interface Seen {
  loggedAt: number;
  suppressed: number;
}

export class RepeatLimiter {
  private seen = new Map<string, Seen>();

  constructor(private readonly intervalMs: number = DEFAULT_REPEAT_INTERVAL_MS) {}

  /**
   * Whether to log `key` now; when it is time again, `suppressed` says how many occurrences were not logged.
   * Call `endRound` after each round of reports so that problems that did not recur are forgotten.
   */
  admit(key: string, now: number): { log: boolean; suppressed: number } {
    const seen = this.current.get(key) ?? this.seen.get(key);
    if (!seen) {
      this.current.set(key, { loggedAt: now, suppressed: 0 });
      return { log: true, suppressed: 0 };
    }
    this.current.set(key, seen);
    if (now - seen.loggedAt >= this.intervalMs) {
      const suppressed = seen.suppressed;
      seen.loggedAt = now;
      seen.suppressed = 0;
      return { log: true, suppressed };
    }
    seen.suppressed++;
    return { log: false, suppressed: seen.suppressed };
  }

  /** Ends a round: keys not admitted in it are gone (returned, so that their recovery can be logged). */
  endRound(): string[] {
    const gone = [...this.seen.keys()].filter((k) => !this.current.has(k));
    this.seen = this.current;
    this.current = new Map();
    return gone;
  }

  private current = new Map<string, Seen>();
}
