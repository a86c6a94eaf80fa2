// The run chart alone, fed as the run page feeds it during a 10-minute run at 50 ms × 6 ways in × 2 modes: the first
// `prefill` seconds at once, then 120 samples every 500 ms (the page's throttle), with a failure now and then. The
// chart times each render itself (window.__k3shaChartRenders); scripts/bench-chart.ts adds the animation frames in
// which recharts draws the new data, in Chromium.
import type { RunEvent, Sample } from "@k3s-ha/shared";
import { useEffect, useState } from "react";
import { createRoot } from "react-dom/client";
import RunChart from "../src/features/failover/components/run-chart";
// The app's styles: the chart's box has its height from them (without it the chart has no size and draws nothing).
import "./bench.css";

const ENDPOINTS = ["vip", "vip-name", "round-robin", "node:node01", "node:node02", "node:node03"];
const INTERVAL_MS = 50;
const UPDATE_MS = 500;
const params = new URLSearchParams(location.search);
const prefillMs = Number(params.get("prefill") ?? "540") * 1_000;
const durationMs = Number(params.get("duration") ?? "600") * 1_000;

let seq = 0;
let random = 1;
/** A fixed pseudo-random sequence, so that every run of the benchmark draws the same chart. */
const next = () => {
  random = (random * 16_807) % 2_147_483_647;
  return random / 2_147_483_647;
};
function samplesBetween(fromMs: number, toMs: number): Sample[] {
  const out: Sample[] = [];
  for (let t = fromMs; t < toMs; t += INTERVAL_MS)
    for (const endpoint of ENDPOINTS)
      for (const mode of ["new", "reused"] as const) {
        const failed = next() < 0.002;
        out.push({
          seq: ++seq,
          endpoint,
          mode,
          startedAtMs: t + next() * 4,
          durationMs: failed ? 1_000 : 2 + next() * 6,
          outcome: failed ? "timeout" : "ok",
        });
      }
  return out;
}
/** The router's VIP path leaving and returning, `events` times in all (each one a marker on the chart). */
const events: RunEvent[] = Array.from({ length: Number(params.get("events") ?? "2") }, (_, i) => ({
  seq: i + 1,
  atMs: 60_000 + Math.floor(i / 2) * 5_000 + (i % 2) * 2_000,
  kind: "router-path",
  summary: i % 2 ? "the VIP has its path again" : "the VIP lost a path",
}));

/** Append-only, as the page's stream is: the count is what changes. */
const samples = samplesBetween(0, prefillMs);

function Bench() {
  const [count, setCount] = useState(samples.length);
  useEffect(() => {
    let at = prefillMs;
    const timer = setInterval(() => {
      if (at >= durationMs) return clearInterval(timer);
      samples.push(...samplesBetween(at, at + UPDATE_MS));
      at += UPDATE_MS;
      setCount(samples.length);
    }, UPDATE_MS);
    return () => clearInterval(timer);
  }, []);
  return (
    <div style={{ width: 1200 }}>
      <RunChart
        samples={samples}
        count={count}
        events={events}
        endpoints={ENDPOINTS}
        durationMs={durationMs}
        actionAtMs={null}
      />
    </div>
  );
}

(window as unknown as { __k3shaChartRenders: unknown[] }).__k3shaChartRenders = [];
const root = document.getElementById("root");
if (root) createRoot(root).render(<Bench />);
