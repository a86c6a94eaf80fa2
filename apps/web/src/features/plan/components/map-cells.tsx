// The row of hex-digit cells above the lanes: one per sub-block of the view; a cell zooms in on click or Enter.
// One tab stop for the row; arrow keys, Home and End move between cells.
import { type KeyboardEvent, useRef, useState } from "react";
import type { Block } from "../map/layout";
import { blockLabel, cellDigit, cellsOf } from "../map/zoom";

export function MapCells({
  view,
  canZoom,
  onZoom,
}: {
  view: Block;
  canZoom: boolean;
  onZoom: (cell: Block) => void;
}) {
  const cells = cellsOf(view);
  const [active, setActive] = useState(0);
  const refs = useRef<(HTMLButtonElement | null)[]>([]);
  const current = Math.min(active, cells.length - 1);

  const move = (event: KeyboardEvent, index: number) => {
    const next = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: cells.length - 1 }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    const clamped = Math.max(0, Math.min(cells.length - 1, next));
    setActive(clamped);
    refs.current[clamped]?.focus();
  };

  return (
    <div role="toolbar" aria-label="Sub-blocks of this view" className="flex h-8 w-full">
      {cells.map((cell, i) => (
        <button
          key={blockLabel(cell)}
          ref={(el) => {
            refs.current[i] = el;
          }}
          type="button"
          tabIndex={i === current ? 0 : -1}
          disabled={!canZoom}
          onFocus={() => setActive(i)}
          onKeyDown={(event) => move(event, i)}
          onClick={() => onZoom(cell)}
          aria-label={`${cellDigit(cell)}: zoom into ${blockLabel(cell)}`}
          title={canZoom ? `Zoom into ${blockLabel(cell)}` : blockLabel(cell)}
          className="flex min-w-0 flex-1 items-center justify-center border-l border-slate-200 font-mono text-xs text-slate-600 first:border-l-0 enabled:hover:bg-sky-50 enabled:hover:text-sky-900 disabled:cursor-default dark:border-slate-800 dark:text-slate-400 dark:enabled:hover:bg-slate-800 dark:enabled:hover:text-sky-200"
        >
          {cellDigit(cell)}
        </button>
      ))}
    </div>
  );
}
