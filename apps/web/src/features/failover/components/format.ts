// How the failover pages write durations, states and endpoints.
import type { RunDetail, RunState } from "@k3s-ha/shared";
import type { Tone } from "../../../components/ui";

/** `0 ms`, `850 ms`, `2.10 s`, `41.3 s`, `3 min 5 s`. */
export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return "–";
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  if (ms < 10_000) return `${(ms / 1_000).toFixed(2)} s`;
  if (ms < 120_000) return `${(ms / 1_000).toFixed(1)} s`;
  const s = Math.round(ms / 1_000);
  return `${Math.floor(s / 60)} min ${s % 60} s`;
}

export const stateTone: Record<RunState, Tone> = {
  running: "warn",
  restoring: "warn",
  done: "good",
  aborted: "neutral",
  failed: "bad",
  interrupted: "bad",
};

/** `vip` → "VIP", `node:node02` → "node02 (direct)". */
export function endpointLabel(endpoint: string): string {
  if (endpoint === "vip") return "VIP";
  if (endpoint === "vip-name") return "VIP name";
  if (endpoint === "round-robin") return "Round-robin name";
  return `${endpoint.replace(/^node:/, "")} (direct)`;
}

type ProbeThreadPriority = NonNullable<NonNullable<RunDetail["probeStats"]>["priority"]>;

/** How the probe thread was scheduled, and why not better where the console was refused. */
export function probeThreadSentence(p: ProbeThreadPriority | undefined): string {
  const why = p?.reason ? ` (${p.reason})` : "";
  if (p?.rtPriority != null)
    return `its thread ran real-time (SCHED_RR ${p.rtPriority}${p.nice != null ? `, nice ${p.nice}` : ""}), ahead of every ordinary thread on the host${why}.`;
  if (p?.nice != null) return `its thread ran at nice ${p.nice}, under the ordinary scheduler${why}.`;
  return `its thread kept the console's priority${why}.`;
}
