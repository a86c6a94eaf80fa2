// One lane per range kind, and the overlap lane: bars at their true position in the view, thin ones drawn wider
// (hatched) so they stay visible and clickable; a range outside the view becomes a chip at the edge it lies beyond.

import type { Severity } from "@k3s-ha/shared";
import type { CSSProperties } from "react";
import { type Block, describeShare, placeInterval } from "../map/layout";
import type { MapRange, Overlap } from "../map/model";
import { rangeStyles, severityStyles } from "./kind-styles";
import type { ItemState, MapHighlight } from "./map-state";

const TINY = 0.006;
const LABEL_INSIDE = 0.2;

const pct = (share: number) => `${(share * 100).toFixed(6)}%`;

export function stateClasses(state: ItemState, ringSeverity: Severity | null): string {
  return [
    state.selected ? "shadow-[inset_0_0_0_2px_currentColor] font-semibold" : "",
    state.highlighted && ringSeverity
      ? `z-10 ring-[3px] ring-offset-2 ring-offset-white dark:ring-offset-slate-900 ${severityStyles[ringSeverity].ring}`
      : "",
    state.dimmed ? "opacity-30" : "",
  ].join(" ");
}

interface RangeTrackProps {
  range: MapRange;
  view: Block;
  state: ItemState;
  ringSeverity: Severity | null;
  onActivate: (range: MapRange) => void;
}

export function RangeTrack({ range, view, state, ringSeverity, onActivate }: RangeTrackProps) {
  const style = rangeStyles[range.kind];
  const name = `${range.label} ${range.display}`;
  const placement = placeInterval(view, range.interval);

  if (!placement) {
    const before = range.interval.last < view.first;
    return (
      <button
        type="button"
        data-range-path={range.path}
        data-highlighted={state.highlighted || undefined}
        aria-label={`${name} (outside this view; zoom to it)`}
        title={`${name} lies ${before ? "before" : "after"} this block. Zoom to it.`}
        onClick={() => onActivate(range)}
        className={`absolute top-3.5 bottom-1.5 sm:top-2 sm:bottom-2 flex max-w-[60%] items-center gap-1 rounded-md border border-dashed px-2 font-mono text-xs ${style.bar} ${
          before ? "left-1" : "right-1"
        } ${stateClasses(state, ringSeverity)}`}
      >
        {before && <span aria-hidden="true">◂</span>}
        <span className="truncate">{range.display}</span>
        {!before && <span aria-hidden="true">▸</span>}
      </button>
    );
  }

  const width = placement.end - placement.start;
  const tiny = width < TINY;
  const inside = width >= LABEL_INSIDE;
  const barStyle: CSSProperties = {
    left: `min(${pct(placement.start)}, calc(100% - 8px))`,
    width: `max(${pct(width)}, 8px)`,
  };
  const labelStyle: CSSProperties =
    placement.start > 0.55
      ? { right: `calc(${pct(1 - placement.start)} + 6px)` }
      : { left: `calc(max(${pct(placement.end)}, ${pct(placement.start)} + 8px) + 6px)` };
  const share = describeShare(placement.share);

  return (
    <>
      <button
        type="button"
        data-range-path={range.path}
        data-highlighted={state.highlighted || undefined}
        aria-label={name}
        aria-pressed={state.selected}
        title={`${name}\n${share} of this view${tiny ? " (drawn wider than its true size)" : ""}`}
        onClick={() => onActivate(range)}
        style={barStyle}
        className={`absolute top-3.5 bottom-1 flex items-center overflow-hidden rounded-md border text-xs sm:top-1.5 sm:bottom-1.5 transition-[left,width,opacity] duration-300 ease-out motion-reduce:transition-none ${
          tiny ? `${style.tiny} hatched` : style.bar
        } ${stateClasses(state, ringSeverity)}`}
      >
        {placement.clippedStart && (
          <span aria-hidden="true" className="pl-1">
            ◂
          </span>
        )}
        {inside && <span className="min-w-0 flex-1 truncate px-2 text-left font-mono">{range.display}</span>}
        {placement.clippedEnd && (
          <span aria-hidden="true" className="ml-auto pr-1">
            ▸
          </span>
        )}
      </button>
      {!inside && (
        <span
          aria-hidden="true"
          style={labelStyle}
          className={`pointer-events-none absolute top-[calc(50%+5px)] -translate-y-1/2 font-mono text-xs whitespace-nowrap sm:top-1/2 text-slate-700 transition-opacity dark:text-slate-300 ${
            state.dimmed ? "opacity-30" : ""
          }`}
        >
          {range.display}
          {tiny && (
            <span className="ml-1.5 font-sans text-slate-500 dark:text-slate-400">({share} of view)</span>
          )}
        </span>
      )}
    </>
  );
}

interface OverlapTrackProps {
  overlaps: readonly Overlap[];
  view: Block;
  highlight: MapHighlight | null;
}

export function OverlapTrack({ overlaps, view, highlight }: OverlapTrackProps) {
  return overlaps.map((overlap) => {
    const placement = placeInterval(view, overlap.interval);
    if (!placement) return null;
    const text = `${overlap.labels[0]} and ${overlap.labels[1]} overlap`;
    const dimmed = highlight !== null && !overlap.paths.some((path) => highlight.paths.has(path));
    return (
      <div
        key={overlap.paths.join("|")}
        role="img"
        aria-label={text}
        title={text}
        style={{
          left: `min(${pct(placement.start)}, calc(100% - 6px))`,
          width: `max(${pct(placement.end - placement.start)}, 6px)`,
        }}
        className={`hatched absolute top-3.5 bottom-1.5 sm:top-2 sm:bottom-2 rounded-sm border border-red-600 bg-red-100 text-red-600 transition-opacity dark:border-red-400 dark:bg-red-950 dark:text-red-400 ${
          dimmed ? "opacity-30" : ""
        }`}
      />
    );
  });
}
