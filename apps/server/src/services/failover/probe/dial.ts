// How a client dials a name's addresses, in order: Go's dialer (kubectl, client-go) splits the deadline between the
// addresses left but gives each at least 2 s — so with a short deadline the first address gets all of it — and moves
// on at once when one refuses; Node's happy eyeballs gives each attempt a fixed slice and the last one the rest.
import { getDefaultAutoSelectFamilyAttemptTimeout } from "node:net";

export const dialPolicies = ["go", "happy-eyeballs"] as const;
export type DialPolicy = (typeof dialPolicies)[number];

/** Go's `saneMinimum` in net/dial.go's partialDeadline. */
export const GO_MIN_PER_ADDRESS_MS = 2_000;

/** One connection attempt to `address`, given up at `deadlineMs` (on the probe's clock). */
export type Attempt<S> = (address: string, deadlineMs: number) => Promise<S>;

export class DialError extends Error {
  constructor(
    override readonly cause: unknown,
    /** The address whose failure this is (Go reports the first address's error). */
    readonly address: string,
    /** Every address tried, in order. */
    readonly tried: string[],
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
  }
}

/** Go's partialDeadline: the time left shared by the addresses left, at least 2 s each (or all that is left). */
export function goAttemptDeadline(nowMs: number, deadlineMs: number, addressesLeft: number): number {
  const left = deadlineMs - nowMs;
  let slice = left / addressesLeft;
  if (slice < GO_MIN_PER_ADDRESS_MS) slice = Math.min(left, GO_MIN_PER_ADDRESS_MS);
  return nowMs + slice;
}

/** Node's happy eyeballs: a fixed attempt timeout per address, the last address the rest of the deadline. */
export function happyEyeballsDeadline(
  nowMs: number,
  deadlineMs: number,
  addressesLeft: number,
  attemptMs = getDefaultAutoSelectFamilyAttemptTimeout(),
): number {
  return addressesLeft <= 1 ? deadlineMs : Math.min(deadlineMs, nowMs + attemptMs);
}

/**
 * Tries `addresses` one after another under `policy` until one connects or the deadline passes. The error is the
 * first address's (as Go's dialSerial returns), with every address tried.
 */
export async function dialInOrder<S>(
  addresses: readonly string[],
  deadlineMs: number,
  policy: DialPolicy,
  attempt: Attempt<S>,
  now: () => number,
): Promise<{ socket: S; address: string; tried: string[] }> {
  const tried: string[] = [];
  let first: { err: unknown; address: string } | undefined;
  for (let i = 0; i < addresses.length; i++) {
    const address = addresses[i] as string;
    const t = now();
    if (t >= deadlineMs) break;
    const left = addresses.length - i;
    const until =
      policy === "go" ? goAttemptDeadline(t, deadlineMs, left) : happyEyeballsDeadline(t, deadlineMs, left);
    tried.push(address);
    try {
      return { socket: await attempt(address, until), address, tried };
    } catch (err) {
      first ??= { err, address };
    }
  }
  if (!first) throw new DialError(new ProbeTimeout(), addresses[0] ?? "", tried);
  throw new DialError(first.err, first.address, tried);
}

/** The probe's own deadline passed (its outcome is `timeout`). */
export class ProbeTimeout extends Error {
  readonly code = "ETIMEDOUT";
  constructor(what = "no answer within the probe's timeout") {
    super(what);
  }
}
