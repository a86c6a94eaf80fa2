// Reconnect delays: exponential growth with "equal jitter", bounded so a restarted server is not stampeded.
export interface BackoffPolicy {
  /** Delay of the first retry and the floor of every retry. */
  baseMs: number;
  /** No retry waits longer than this. */
  maxMs: number;
}

export const reconnectPolicy: BackoffPolicy = { baseMs: 500, maxMs: 15_000 };

/**
 * Delay before retry number `attempt` (0 for the first): half of the capped exponential step is fixed,
 * the other half random, so clients spread out but the wait still grows.
 */
export function backoffDelay(
  attempt: number,
  random: number,
  policy: BackoffPolicy = reconnectPolicy,
): number {
  const step = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt));
  const share = Number.isFinite(random) ? Math.min(Math.max(random, 0), 1) : 0.5;
  const jittered = step / 2 + (share * step) / 2;
  return Math.round(Math.min(policy.maxMs, Math.max(policy.baseMs, jittered)));
}
