// Said on every page with live data while the live channel is down: what is shown, how old it is, that it is not live.
import { useEffect, useState } from "react";
import { formatAgo, formatDateTime } from "../lib/format";
import { useLiveStatus } from "../lib/live";

/** True while the page's data may be out of date: the websocket is not connected. */
export function useIsStale(): boolean {
  return useLiveStatus() !== "live";
}

export function StaleNotice({ updatedAt, what }: { updatedAt: number; what: string }) {
  const stale = useIsStale();
  const [, tick] = useState(0);
  useEffect(() => {
    if (!stale) return;
    const timer = setInterval(() => tick((n) => n + 1), 5000);
    return () => clearInterval(timer);
  }, [stale]);
  if (!stale || updatedAt === 0) return null;
  const at = new Date(updatedAt).toISOString();
  return (
    <p
      role="status"
      data-testid="stale-notice"
      className="mb-4 rounded-lg border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950/50 dark:text-amber-100"
    >
      <span className="font-semibold">Not live.</span> The connection to the console server is down, so {what}{" "}
      may be out of date: as fetched{" "}
      <time dateTime={at} title={formatDateTime(at)}>
        {formatAgo(at)}
      </time>{" "}
      ({formatDateTime(at)}). It updates by itself when the connection is back.
    </p>
  );
}
