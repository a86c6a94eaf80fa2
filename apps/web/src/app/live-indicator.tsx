// The websocket link in the header: "Live" while connected, "Reconnecting…" while it backs off.
import { useLiveStatus } from "../lib/live";
import type { LiveStatus } from "../lib/live-socket";

const look: Record<LiveStatus, { text: string; dot: string; hint: string }> = {
  live: { text: "Live", dot: "bg-emerald-500", hint: "Changes on the server appear here as they happen." },
  connecting: {
    text: "Connecting…",
    dot: "bg-slate-400 animate-pulse",
    hint: "Opening the live connection.",
  },
  reconnecting: {
    text: "Reconnecting…",
    dot: "bg-amber-500 animate-pulse",
    hint: "The live connection dropped; retrying. What you see may be out of date.",
  },
  stopped: { text: "Offline", dot: "bg-slate-400", hint: "No live connection." },
};

export function LiveIndicator() {
  const status = useLiveStatus();
  const { text, dot, hint } = look[status];
  return (
    <span
      data-testid="live-status"
      data-status={status}
      role="status"
      title={hint}
      className="inline-flex items-center gap-1.5 rounded-full border border-slate-200 px-2.5 py-1 text-xs font-medium text-slate-700 dark:border-slate-700 dark:text-slate-200"
    >
      <span aria-hidden="true" className={`size-2 rounded-full motion-reduce:animate-none ${dot}`} />
      {/* On a phone the longer words would push the header past the screen (seen at 390 px while connecting):
          there the dot and the title tell it, and the status text stays for screen readers. */}
      <span className={status === "live" ? undefined : "max-sm:sr-only"}>{text}</span>
    </span>
  );
}
