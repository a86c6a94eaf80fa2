// Ranges too small to read at the map's true scale (the Kubernetes /112s in a /64), magnified side by side in
// address order, with the distance between them written out. The map above keeps the true scale.
import { formatIp } from "@k3s-ha/shared";
import { type Block, describeCount, describeShare, placeInterval } from "../map/layout";
import type { MapRange } from "../map/model";
import { rangeStyles } from "./kind-styles";
import { itemState, type MapHighlight, type MapSelection } from "./map-state";

/** Below this share of the view a range is a sliver on the map. */
export const SMALL_SHARE = 0.02;

export function smallRanges(ranges: readonly MapRange[], view: Block): MapRange[] {
  return ranges
    .filter((r) => {
      const p = placeInterval(view, r.interval);
      return p !== null && p.share < SMALL_SHARE && r.kind !== "prefix";
    })
    .sort((a, b) => (a.interval.first < b.interval.first ? -1 : a.interval.first > b.interval.first ? 1 : 0));
}

interface StripProps {
  ranges: readonly MapRange[];
  view: Block;
  selection: MapSelection | null;
  highlight: MapHighlight | null;
  onActivate: (range: MapRange) => void;
}

export function SmallRangesStrip({ ranges, view, selection, highlight, onActivate }: StripProps) {
  const small = smallRanges(ranges, view);
  if (small.length === 0) return null;
  return (
    <section
      aria-label="Small ranges, magnified"
      className="rounded-lg border border-slate-200 p-3 dark:border-slate-800"
    >
      <h3 className="text-xs font-semibold text-slate-700 dark:text-slate-300">
        Magnified: {small.length === 1 ? "one range" : `${small.length} ranges`} too small to read at this
        scale
        <span className="font-normal text-slate-500 dark:text-slate-400">
          {" "}
          (not to scale; the map above is)
        </span>
      </h3>
      <ol className="mt-2 flex flex-wrap items-stretch gap-2">
        {small.map((r, i) => {
          const previous = small[i - 1];
          const gap =
            previous && r.interval.first > previous.interval.last + 1n
              ? { family: r.interval.family, first: previous.interval.last + 1n, last: r.interval.first - 1n }
              : null;
          const state = itemState(r.path, selection, highlight);
          const share = placeInterval(view, r.interval)?.share ?? 0;
          return (
            <li key={r.path} className="flex min-w-0 items-stretch gap-2">
              {gap && (
                <span
                  className="self-center text-[11px] whitespace-nowrap text-slate-500 dark:text-slate-400"
                  title={`${formatIp(gap.family, gap.first)} – ${formatIp(gap.family, gap.last)}`}
                >
                  ··· {describeCount(gap)} ···
                </span>
              )}
              <button
                type="button"
                data-small-range-path={r.path}
                aria-pressed={state.selected}
                onClick={() => onActivate(r)}
                className={`min-w-0 rounded-md border px-2 py-1 text-left text-xs ${rangeStyles[r.kind].bar} ${
                  state.selected ? "shadow-[inset_0_0_0_2px_currentColor]" : ""
                } ${state.dimmed ? "opacity-40" : ""}`}
              >
                <span className="block font-semibold">{rangeStyles[r.kind].lane}</span>
                <span className="block font-mono break-all">{r.display}</span>
                <span className="block opacity-80">
                  {describeCount(r.interval)} addresses · {describeShare(share)} of the view
                </span>
              </button>
            </li>
          );
        })}
      </ol>
    </section>
  );
}
