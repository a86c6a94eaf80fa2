// Ranges and addresses of the plan that lie outside the site prefix: listed under the map, still selectable.
import type { PlanMap } from "../map/model";
import { addressStyles, rangeStyles } from "./kind-styles";
import { stateClasses } from "./map-lanes";
import { itemState, type MapHighlight, type MapSelection } from "./map-state";

interface OutsidePrefixProps {
  map: PlanMap;
  selection: MapSelection | null;
  highlight: MapHighlight | null;
  onSelect: (selection: MapSelection) => void;
}

export function OutsidePrefix({ map, selection, highlight, onSelect }: OutsidePrefixProps) {
  const ranges = map.ranges.filter((r) => r.placement === "outside");
  const addresses = map.addresses.filter((a) => a.placement === "outside");
  if (ranges.length === 0 && addresses.length === 0) return null;
  const ring = highlight?.severity ?? null;
  const chip = "inline-flex items-center gap-2 rounded-md border px-2.5 py-1 text-xs";

  return (
    <div className="rounded-lg border border-dashed border-red-300 bg-red-50/40 p-3 dark:border-red-900 dark:bg-red-950/20">
      <h3 className="text-xs font-semibold text-red-800 dark:text-red-300">Outside the site prefix</h3>
      <ul className="mt-2 flex flex-wrap gap-2">
        {ranges.map((r) => {
          const state = itemState(r.path, selection, highlight);
          return (
            <li key={r.path}>
              <button
                type="button"
                data-range-path={r.path}
                data-highlighted={state.highlighted || undefined}
                aria-pressed={state.selected}
                aria-label={`${r.label} ${r.display} (outside the site prefix)`}
                onClick={() => onSelect({ type: "range", path: r.path })}
                className={`${chip} ${rangeStyles[r.kind].bar} ${stateClasses(state, ring)}`}
              >
                <span className="font-sans font-medium">{r.label}</span>
                <span className="font-mono">{r.display}</span>
              </button>
            </li>
          );
        })}
        {addresses.map((a) => {
          const state = itemState(a.path, selection, highlight);
          return (
            <li key={a.path}>
              <button
                type="button"
                data-address-path={a.path}
                data-highlighted={state.highlighted || undefined}
                aria-pressed={state.selected}
                aria-label={`${a.label} ${a.canonical} (outside the site prefix)`}
                onClick={() => onSelect({ type: "address", path: a.path })}
                className={`${chip} border-slate-300 bg-white text-slate-800 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100 ${stateClasses(state, ring)}`}
              >
                <span
                  aria-hidden="true"
                  className={`size-2.5 rotate-45 border ${addressStyles[a.kind].pin}`}
                />
                <span className="font-medium">{a.label}</span>
                <span className="font-mono">{a.canonical}</span>
              </button>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
