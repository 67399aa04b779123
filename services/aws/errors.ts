// Classifying AWS SDK errors by their wire error code, so callers can tell an expected wait from a failure.

const THROTTLING_CODES = new Set([
  'Throttling', 'ThrottlingException', 'ThrottledException', 'RequestLimitExceeded', 'TooManyRequestsException',
  'RequestThrottled', 'RequestThrottledException', 'SlowDown', 'PriorRequestNotComplete',
  // Our own leader fence (leader-fence.ts): a replica that no longer leads waits, it does not fail the stack.
  'NotLeader',
]);

export function awsErrorCode(err: unknown): string {
  if (err && typeof err === 'object') {
    const e = err as { name?: unknown; Code?: unknown; code?: unknown };
    if (typeof e.Code === 'string') return e.Code;
    if (typeof e.name === 'string') return e.name;
    if (typeof e.code === 'string') return e.code;
  }
  return 'Unknown';
}

export function awsErrorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export function isThrottling(err: unknown): boolean {
  return THROTTLING_CODES.has(awsErrorCode(err));
}
