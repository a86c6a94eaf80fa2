// The zoom trail above the map: each nested block is a button back to it; "Zoom out" goes one level up.
import { type Block, blockSize } from "../map/layout";
import { blockLabel } from "../map/zoom";

export function MapBreadcrumb({ trail, onCut }: { trail: readonly Block[]; onCut: (index: number) => void }) {
  const last = trail.length - 1;
  return (
    <div className="flex flex-wrap items-center justify-between gap-2">
      <nav aria-label="Zoom levels" className="min-w-0">
        <ol className="flex flex-wrap items-center gap-1 text-sm">
          {trail.map((block, i) => (
            <li key={blockLabel(block)} className="flex items-center gap-1">
              {i > 0 && (
                <span aria-hidden="true" className="text-slate-400 dark:text-slate-500">
                  ›
                </span>
              )}
              <button
                type="button"
                onClick={() => onCut(i)}
                aria-current={i === last ? "location" : undefined}
                className={`rounded-md px-2 py-1 font-mono text-[0.8125rem] ${
                  i === last
                    ? "bg-slate-900 text-white dark:bg-slate-100 dark:text-slate-900"
                    : "text-sky-800 hover:bg-sky-50 hover:underline dark:text-sky-300 dark:hover:bg-slate-800"
                }`}
              >
                {blockLabel(block)}
              </button>
            </li>
          ))}
        </ol>
      </nav>
      <div className="flex items-center gap-3 text-xs text-slate-600 dark:text-slate-400">
        <span>{formatPower(trail[last])} addresses</span>
        <button
          type="button"
          onClick={() => onCut(last - 1)}
          disabled={last === 0}
          className="rounded-md border border-slate-300 px-2.5 py-1 font-medium text-slate-700 hover:bg-slate-50 disabled:cursor-not-allowed disabled:opacity-40 dark:border-slate-700 dark:text-slate-200 dark:hover:bg-slate-800"
          title="Zoom out (Escape)"
        >
          Zoom out
        </button>
      </div>
    </div>
  );
}

function formatPower(block: Block | undefined): string {
  if (!block) return "";
  const size = blockSize(block);
  return size <= 65_536n ? size.toLocaleString("en-US") : `2^${size.toString(2).length - 1}`;
}
