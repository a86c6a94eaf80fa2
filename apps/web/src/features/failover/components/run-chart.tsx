// The run's timeline, loaded on demand (recharts): latency of successful probes per way in, for new or kept-alive
// connections, with the action and the router's and cluster's changes as markers; below it one lane per way in and
// mode with its disruption intervals as red bands, on the same time axis. Long runs are cut to their shape (LTTB).
//
// recharts draws the axes and the grid; the latency lines and the event markers are SVG of our own inside its
// chart, drawn with its axes' scales. Given as recharts Lines, every update handed recharts six new data arrays, which
// its store files (frozen, in a batch notified in the next animation frame) and every selector of the chart then
// recomputes: ~13 ms of an update's ~22 ms alone, on an idle machine. The axes' domains are ours, so a live update
// changes nothing of recharts' state unless the latency scale steps up.
import { lttb, type RunEvent, type Sample } from "@k3s-ha/shared";
import {
  createContext,
  memo,
  type PointerEvent,
  type SVGProps,
  useContext,
  useId,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
} from "react";
import {
  CartesianGrid,
  LineChart,
  ResponsiveContainer,
  usePlotArea,
  useXAxisInverseScale,
  useXAxisScale,
  useYAxisScale,
  XAxis,
  YAxis,
} from "recharts";
import { endpointLabel } from "./format";
import { latencyTicks, latencyTop, nearestPoint } from "./latency-scale";
import { type LatencyPoint, TimelineData } from "./timeline-data";

const COLORS = ["#0369a1", "#b45309", "#047857", "#7c3aed", "#be123c", "#0f766e", "#4d7c0f", "#a21caf"];
const POINTS_PER_LINE = 160;
const MARKED: RunEvent["kind"][] = ["action", "action-done", "router-path", "node", "endpoint", "restore"];

/**
 * The chart's renders, each with its start and its render-to-commit time (ms), kept when a benchmark asks
 * (localStorage k3shaBench = "1"): React's Profiler reports nothing in a production build, so the chart times itself
 * from render to layout effect. recharts' store tells its components of a change in the next animation frame; the
 * benchmarks time that frame themselves (scripts/bench-console.ts).
 */
function renderLog(): { atMs: number; ms: number }[] | undefined {
  const w = window as unknown as { __k3shaChartRenders?: { atMs: number; ms: number }[] };
  if (!w.__k3shaChartRenders && window.localStorage?.getItem("k3shaBench") === "1")
    w.__k3shaChartRenders = [];
  return w.__k3shaChartRenders;
}

export interface RunChartProps {
  /** The run's samples, an append-only list (see `RunStream`): the chart draws `samples[0..count)`. */
  samples: readonly Sample[];
  /** How many of `samples` to draw: what changes when the list grows in place. */
  count: number;
  events: readonly RunEvent[];
  endpoints: readonly string[];
  /** The run's length in ms (the axis' end while it runs is the last sample). */
  durationMs: number;
  /** When the first action took effect (the red line). */
  actionAtMs: number | null;
}

/**
 * What changes with an update, handed to the parts of our own inside recharts' chart through a context: the chart
 * element itself is kept (memoized) from update to update, since recharts files its chart's props in its store after
 * every render of it (an effect on the props object) — a dispatch that re-ran every selector of the chart, ~6 ms, two
 * to four times a second on the run page.
 */
interface Drawn {
  lines: readonly DrawnLine[];
  markers: readonly RunEvent[];
  actionAtMs: number | null;
  hoverS: number | null;
  onHover: (s: number | null) => void;
}
const DrawnContext = createContext<Drawn>({
  lines: [],
  markers: [],
  actionAtMs: null,
  hoverS: null,
  onHover: () => {},
});

// Props that stay the same object from render to render: recharts files a changed prop in its store and redraws.
const MARGIN = { top: 8, right: 12, bottom: 4, left: 0 };
const secondsTick = (v: number) => `${v}s`;
const msTick = (v: number) => `${v}ms`;

/**
 * The pointer over the plot: reports the moment under it (s), and draws a hairline there. recharts' own Tooltip
 * reads the Lines' data, which these lines do not give it.
 */
function HoverArea() {
  const { hoverS: at, onHover } = useContext(DrawnContext);
  const area = usePlotArea();
  const x = useXAxisScale();
  const invert = useXAxisInverseScale();
  if (!area || !x || !invert) return null;
  const px = at === null ? undefined : x(at);
  // A mouse moves over the plot; a finger taps it (a touch moves the page, not the pointer).
  const point = (e: PointerEvent<SVGRectElement>) => {
    const box = e.currentTarget.ownerSVGElement?.getBoundingClientRect();
    const s = box ? Number(invert(e.clientX - box.left)) : Number.NaN;
    onHover(Number.isFinite(s) ? s : null);
  };
  return (
    <g>
      {px !== undefined && (
        <line x1={px} x2={px} y1={area.y} y2={area.y + area.height} stroke="#64748b" strokeWidth={1} />
      )}
      <rect
        x={area.x}
        y={area.y}
        width={area.width}
        height={area.height}
        fill="transparent"
        onPointerMove={point}
        onPointerDown={point}
        onPointerLeave={() => onHover(null)}
      />
    </g>
  );
}

interface DrawnLine {
  endpoint: string;
  color: string;
  points: readonly LatencyPoint[];
}

/** The latency lines, drawn inside recharts' chart with its axes' scales (straight segments between the points). */
function LatencyLines() {
  const { lines } = useContext(DrawnContext);
  const x = useXAxisScale();
  const y = useYAxisScale();
  if (!x || !y) return null;
  return (
    <g className="latency-lines">
      {lines.map((l) => {
        let d = "";
        for (const p of l.points) {
          const px = x(p.x);
          const py = y(p.y);
          if (px === undefined || py === undefined) continue;
          d += `${d ? "L" : "M"}${px.toFixed(1)},${py.toFixed(1)}`;
        }
        return (
          <path
            key={l.endpoint}
            data-endpoint={l.endpoint}
            className="latency-line"
            d={d}
            fill="none"
            stroke={l.color}
            strokeWidth={1.5}
            strokeLinejoin="round"
          />
        );
      })}
    </g>
  );
}

/**
 * The events as dashed vertical lines and the action as a red one, drawn with the x axis' scale. recharts'
 * ReferenceLine files itself in the chart's store after every render (an effect without dependencies): two dispatches
 * per marker per update, each re-running every selector of the chart — 17 % of the run page's main thread in a trace.
 */
function Markers() {
  const { markers: events, actionAtMs } = useContext(DrawnContext);
  const area = usePlotArea();
  const x = useXAxisScale();
  if (!area || !x) return null;
  const vertical = (s: number, key: string | number, props: SVGProps<SVGLineElement>) => {
    const px = x(s);
    // As recharts' ReferenceLine: a marker outside the axis' domain is not drawn.
    if (px === undefined || px < area.x - 0.5 || px > area.x + area.width + 0.5) return null;
    return <line key={key} x1={px} x2={px} y1={area.y} y2={area.y + area.height} {...props} />;
  };
  return (
    <g className="event-markers">
      {events.map((e) =>
        vertical(e.atMs / 1_000, e.seq, {
          stroke: "#64748b",
          strokeDasharray: "4 3",
          className: "event-marker",
        }),
      )}
      {actionAtMs !== null &&
        vertical(actionAtMs / 1_000, "action", {
          stroke: "#dc2626",
          strokeWidth: 2,
          className: "action-marker",
        })}
    </g>
  );
}

/** Drawn again only when its data changes (the page re-renders with every frame; the chart need not). */
export default memo(RunChart);

function RunChart({ samples, count, events, endpoints, durationMs, actionAtMs }: RunChartProps) {
  const renderStart = performance.now();
  useLayoutEffect(() => {
    renderLog()?.push({ atMs: renderStart, ms: performance.now() - renderStart });
  });
  const id = useId();
  const [mode, setMode] = useState<"new" | "reused">("new");
  // The tracks are filed as samples arrive (only the new ones per update); `samples` and `count` are what change
  // them.
  const data = useRef<TimelineData>(null);
  data.current ??= new TimelineData();
  const timeline = data.current;
  const filed = useMemo(() => {
    timeline.update(samples, count);
    return { samples, count };
  }, [timeline, samples, count]);
  const endS = Math.max(durationMs, samples[Math.min(count, samples.length) - 1]?.startedAtMs ?? 0) / 1_000;
  const xEnd = Math.max(1, Math.ceil(endS));
  const xDomain = useMemo(() => [0, xEnd], [xEnd]);
  const lines = useMemo(
    () =>
      endpoints.map((endpoint, i) => ({
        endpoint,
        color: COLORS[i % COLORS.length] as string,
        points: lttb(timeline.drawn(endpoint, mode).ok, POINTS_PER_LINE),
      })),
    [filed, timeline, endpoints, mode],
  );
  const yTop = latencyTop(lines);
  const yDomain = useMemo(() => [0, yTop], [yTop]);
  const yTicks = useMemo(() => latencyTicks(yTop), [yTop]);
  const [hoverS, setHoverS] = useState<number | null>(null);
  const lanes = useMemo(
    () =>
      endpoints.flatMap((endpoint) =>
        (["new", "reused"] as const).map((m) => {
          return {
            endpoint,
            mode: m,
            intervals: timeline.intervals(endpoint, m),
            last: timeline.drawn(endpoint, m).samples.at(-1)?.startedAtMs ?? 0,
          };
        }),
      ),
    [filed, timeline, endpoints],
  );
  const markers = useMemo(() => events.filter((e) => MARKED.includes(e.kind)), [events]);
  const drawn = useMemo<Drawn>(
    () => ({ lines, markers, actionAtMs, hoverS, onHover: setHoverS }),
    [lines, markers, actionAtMs, hoverS],
  );
  // The same element from update to update unless an axis changes (see `Drawn`).
  const chart = useMemo(
    () => (
      <ResponsiveContainer width="100%" height="100%">
        <LineChart margin={MARGIN}>
          <CartesianGrid strokeDasharray="3 3" strokeOpacity={0.3} />
          {/* The axes' scales exist only with a dataKey, though no data of recharts' own is drawn. */}
          <XAxis
            type="number"
            dataKey="x"
            domain={xDomain}
            allowDataOverflow
            tickFormatter={secondsTick}
            fontSize={12}
          />
          <YAxis
            type="number"
            dataKey="y"
            domain={yDomain}
            allowDataOverflow
            fontSize={12}
            width={48}
            ticks={yTicks}
            tickFormatter={msTick}
          />
          <Markers />
          <LatencyLines />
          <HoverArea />
        </LineChart>
      </ResponsiveContainer>
    ),
    [xDomain, yDomain, yTicks],
  );
  const pct = (ms: number) => `${Math.min(100, Math.max(0, (ms / 1_000 / (endS || 1)) * 100))}%`;
  return (
    <div className="space-y-3 p-4">
      <fieldset className="flex flex-wrap items-center gap-4 text-sm">
        <legend className="sr-only">Connections shown as lines</legend>
        {(["new", "reused"] as const).map((m) => (
          <label key={m} className="flex items-center gap-2">
            <input type="radio" name={`${id}-mode`} checked={mode === m} onChange={() => setMode(m)} />
            {m === "new" ? "New connection per probe" : "Kept-alive connection"}
          </label>
        ))}
      </fieldset>
      <figure
        aria-label={`Latency of successful probes over ${endS.toFixed(0)} s, ${mode} connections, per way in; failures are in the lanes below and the results table`}
      >
        <div className="h-64 w-full">
          <DrawnContext.Provider value={drawn}>{chart}</DrawnContext.Provider>
        </div>
        <p className="mt-1 min-h-4 text-xs text-slate-700 tabular-nums dark:text-slate-300">
          {hoverS === null
            ? "Point at the chart to read each line's latency at a moment."
            : `At ${hoverS.toFixed(1)} s: ${lines
                .map((l) => {
                  // A drawn point stands for its stretch of the line (LTTB): two stretches away it is not this moment.
                  const p = nearestPoint(l.points, hoverS);
                  const near = p && Math.abs(p.x - hoverS) <= Math.max(1, (2 * xEnd) / POINTS_PER_LINE);
                  return `${endpointLabel(l.endpoint)} ${near ? `${p.y.toFixed(1)} ms` : "no success"}`;
                })
                .join(" · ")}`}
        </p>
        <figcaption className="mt-2 flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-700 dark:text-slate-300">
          {lines.map((l) => (
            <span key={l.endpoint} className="flex items-center gap-1">
              <span aria-hidden className="inline-block h-0.5 w-4" style={{ background: l.color }} />
              {endpointLabel(l.endpoint)}
            </span>
          ))}
          <span className="flex items-center gap-1">
            <span aria-hidden className="inline-block h-3 w-0.5 bg-red-600" /> the action
          </span>
        </figcaption>
      </figure>
      <ul aria-label="Disruption intervals per way in and connection" className="space-y-1">
        {lanes.map((lane) => (
          <li key={`${lane.endpoint}-${lane.mode}`} className="flex items-center gap-2 text-xs">
            <span className="w-36 shrink-0 truncate text-slate-700 sm:w-52 dark:text-slate-300">
              {endpointLabel(lane.endpoint)} · {lane.mode === "new" ? "new" : "kept alive"}
            </span>
            <span className="relative h-3 flex-1 rounded bg-emerald-100 dark:bg-emerald-950">
              <span
                className="absolute inset-y-0 right-0 rounded-r bg-slate-100 dark:bg-slate-800"
                style={{ left: pct(lane.last) }}
              />
              {lane.intervals.map((i) => (
                <span
                  key={i.beganAtMs}
                  title={`${i.kind} from ${(i.beganAtMs / 1_000).toFixed(2)} s${i.endedAtMs !== undefined ? ` to ${(i.endedAtMs / 1_000).toFixed(2)} s` : ", still failing"}`}
                  className="absolute inset-y-0 bg-red-600 dark:bg-red-500"
                  style={{
                    left: pct(i.beganAtMs),
                    width: `max(2px, calc(${pct((i.endedAtMs ?? lane.last) - i.beganAtMs)}))`,
                  }}
                />
              ))}
            </span>
            <span className="sr-only">
              {lane.intervals.length === 0
                ? "no failure"
                : `${lane.intervals.length} disruption${lane.intervals.length === 1 ? "" : "s"}`}
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}
