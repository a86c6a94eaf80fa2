// The one monotonic clock the probe worker and the main thread share: CLOCK_MONOTONIC through process.hrtime, the
// same in every thread (each thread's `performance` has its own origin, so its readings are not comparable).
export function monotonicMs(): number {
  return Number(process.hrtime.bigint() / 1_000n) / 1_000;
}
