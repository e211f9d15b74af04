/**
 * When to reconnect a server that crashed: exponential backoff (1 s, 2 s, 4 s, … capped), and a
 * limit after which Sluice stops trying and waits for the user to press Restart.
 */
export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
  maxAttempts: number;
  /** A connection that stayed up this long counts as healthy: the next crash starts over at attempt 1. */
  stableMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1_000, maxMs: 30_000, maxAttempts: 8, stableMs: 30_000 };

/** The delay before reconnect attempt `attempt` (1-based), or undefined when it is time to give up. */
export function reconnectDelay(attempt: number, policy: BackoffPolicy = DEFAULT_BACKOFF): number | undefined {
  if (attempt < 1 || attempt > policy.maxAttempts) return undefined;
  return Math.min(policy.baseMs * 2 ** (attempt - 1), policy.maxMs);
}
