// The dial order of a name's addresses, on a virtual clock: Go gives the first address the whole of a short deadline
// (its 2 s minimum per address) and splits a long one; a refusal moves on at once; happy eyeballs gives each attempt
// its slice; the error is the first address's.
import { describe, expect, it } from "vitest";
import { DialError, dialInOrder, GO_MIN_PER_ADDRESS_MS, goAttemptDeadline, ProbeTimeout } from "./dial.js";

/** Addresses that refuse at once, hang until the attempt's deadline, or accept after 1 ms — on a virtual clock. */
function world(kinds: Record<string, "refuse" | "hang" | "accept">) {
  let t = 0;
  const attempts: { address: string; at: number; until: number }[] = [];
  const attempt = async (address: string, until: number) => {
    attempts.push({ address, at: t, until });
    const kind = kinds[address];
    if (kind === "refuse") throw Object.assign(new Error("refused"), { code: "ECONNREFUSED" });
    if (kind === "hang") {
      t = until;
      throw new ProbeTimeout();
    }
    t += 1;
    return address;
  };
  return { attempt, attempts, now: () => t };
}

describe("dial order", () => {
  it("Go: a short deadline goes wholly to a dead first address", async () => {
    const w = world({ a: "hang", b: "accept" });
    await expect(dialInOrder(["a", "b"], 1_000, "go", w.attempt, w.now)).rejects.toBeInstanceOf(DialError);
    expect(w.attempts).toEqual([{ address: "a", at: 0, until: 1_000 }]);
  });

  it("Go: kubectl's 30 s dial deadline over three addresses gives the dead first one 10 s", async () => {
    const w = world({ a: "hang", b: "accept", c: "accept" });
    const r = await dialInOrder(["a", "b", "c"], 30_000, "go", w.attempt, w.now);
    expect(r).toMatchObject({ address: "b", tried: ["a", "b"] });
    expect(w.attempts[0]).toEqual({ address: "a", at: 0, until: 10_000 });
  });

  it("Go: each address gets at least 2 s while that much is left", () => {
    expect(goAttemptDeadline(0, 5_000, 3)).toBe(GO_MIN_PER_ADDRESS_MS);
    expect(goAttemptDeadline(4_000, 5_000, 2)).toBe(5_000);
  });

  it("a refusal moves on at once", async () => {
    const w = world({ a: "refuse", b: "accept" });
    const r = await dialInOrder(["a", "b"], 1_000, "go", w.attempt, w.now);
    expect(r.address).toBe("b");
    expect(w.attempts.map((a) => a.at)).toEqual([0, 0]);
  });

  it("happy eyeballs: each attempt has its slice, the last gets the rest", async () => {
    const w = world({ a: "hang", b: "hang", c: "accept" });
    const r = await dialInOrder(["a", "b", "c"], 1_000, "happy-eyeballs", w.attempt, w.now);
    expect(r.address).toBe("c");
    const slice = w.attempts[0] ? w.attempts[0].until - w.attempts[0].at : 0;
    expect(slice).toBeGreaterThanOrEqual(10);
    expect(slice).toBeLessThan(1_000);
    expect(w.attempts[2]?.until).toBe(1_000);
  });

  it("fails with the first address's error and every address tried", async () => {
    const w = world({ a: "refuse", b: "hang" });
    const err = await dialInOrder(["a", "b"], 1_000, "go", w.attempt, w.now).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DialError);
    expect(err).toMatchObject({ address: "a", tried: ["a", "b"] });
    expect(((err as DialError).cause as { code: string }).code).toBe("ECONNREFUSED");
  });
});
