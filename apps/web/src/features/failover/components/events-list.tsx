// The run's time axis in words: its actions and waits, and what the router and the cluster did meanwhile.
import type { RunEvent } from "@k3s-ha/shared";
import { memo } from "react";
import { Card, CardTitle, Pill, type Tone } from "../../../components/ui";

const tone: Record<RunEvent["kind"], Tone> = {
  action: "warn",
  "action-done": "warn",
  wait: "neutral",
  "router-path": "neutral",
  "bgp-session": "neutral",
  node: "neutral",
  endpoint: "neutral",
  restore: "good",
  note: "bad",
};

export const EventsList = memo(function EventsList({
  events,
  actionAtMs,
}: {
  events: RunEvent[];
  actionAtMs: number | null;
}) {
  const ordered = [...events].sort((a, b) => a.atMs - b.atMs || a.seq - b.seq);
  return (
    <Card>
      <CardTitle aside="seconds from the run's start (and from the action)">Events</CardTitle>
      {ordered.length === 0 ? (
        <p className="p-4 text-sm text-slate-600 dark:text-slate-400">Nothing happened yet.</p>
      ) : (
        <ol className="divide-y divide-slate-100 text-sm dark:divide-slate-800/60">
          {ordered.map((e) => (
            <li key={e.seq} className="flex flex-wrap items-baseline gap-x-3 gap-y-1 px-4 py-2">
              <span className="w-28 shrink-0 font-mono text-xs tabular-nums text-slate-600 dark:text-slate-400">
                {(e.atMs / 1_000).toFixed(2)} s
                {actionAtMs !== null && e.atMs >= actionAtMs
                  ? ` (+${((e.atMs - actionAtMs) / 1_000).toFixed(2)})`
                  : ""}
              </span>
              <Pill tone={tone[e.kind]}>{e.kind}</Pill>
              <span className="min-w-0 basis-full break-words sm:flex-1 sm:basis-auto">{e.summary}</span>
            </li>
          ))}
        </ol>
      )}
    </Card>
  );
});
