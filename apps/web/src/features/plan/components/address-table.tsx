// Every range and key address of the plan as a table: label, value (with a copy button), plan path, size.
import { CopyButton } from "../../../components/copy-button";
import { type Block, describeCount, logShare } from "../map/layout";
import { type PlanMap, rangesHolding } from "../map/model";
import { addressStyles, rangeStyles } from "./kind-styles";
import type { MapSelection } from "./map-state";

interface AddressTableProps {
  map: PlanMap;
  root: Block;
  selection: MapSelection | null;
  onShow: (selection: MapSelection) => void;
}

const th = "px-3 py-2 text-left text-xs font-semibold text-slate-600 dark:text-slate-400";
const td = "px-3 py-2 align-middle";

function ShowButton({ label, onClick }: { label: string; onClick: () => void }) {
  return (
    <button
      type="button"
      onClick={onClick}
      aria-label={`Show ${label} on the map`}
      className="rounded-md px-2 py-1 text-xs font-medium text-sky-800 hover:bg-sky-50 hover:underline dark:text-sky-300 dark:hover:bg-slate-800"
    >
      Show
    </button>
  );
}

export function AddressTable({ map, root, selection, onShow }: AddressTableProps) {
  const rowClass = (path: string) =>
    `border-t border-slate-200 dark:border-slate-800 ${selection?.path === path ? "bg-sky-50 dark:bg-sky-950/40" : ""}`;
  return (
    <div className="overflow-x-auto">
      <table className="w-full min-w-[44rem] text-sm">
        <caption className="sr-only">Ranges and key addresses of the plan</caption>
        <thead className="bg-slate-50 dark:bg-slate-900/60">
          <tr>
            <th scope="col" className={th}>
              Name
            </th>
            <th scope="col" className={th}>
              Value
            </th>
            <th scope="col" className={th}>
              Plan path
            </th>
            <th scope="col" className={th}>
              Size (log scale)
            </th>
            <th scope="col" className={th}>
              <span className="sr-only">Map</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {map.ranges.map((r) => (
            <tr key={r.path} className={rowClass(r.path)}>
              <th scope="row" className={`${td} text-left font-medium whitespace-nowrap`}>
                <span className="flex items-center gap-2">
                  <span
                    aria-hidden="true"
                    className={`size-2.5 shrink-0 rounded-sm ${rangeStyles[r.kind].swatch}`}
                  />
                  {r.label}
                </span>
              </th>
              <td className={td}>
                <ValueWithCopy value={r.display} label={`${r.label} ${r.display}`} />
              </td>
              <td className={td}>
                <code className="font-mono text-xs text-slate-600 dark:text-slate-400">{r.path}</code>
              </td>
              <td className={td}>
                <SizeBar share={logShare(root, r.interval)} text={describeCount(r.interval)} />
              </td>
              <td className={`${td} text-right`}>
                <ShowButton label={r.label} onClick={() => onShow({ type: "range", path: r.path })} />
              </td>
            </tr>
          ))}
        </tbody>
        <tbody>
          <tr className="border-t-2 border-slate-200 dark:border-slate-800">
            <th scope="colgroup" colSpan={5} className={`${th} bg-slate-50 dark:bg-slate-900/60`}>
              Key addresses
            </th>
          </tr>
          {map.addresses.map((a) => (
            <tr key={a.path} className={rowClass(a.path)}>
              <th scope="row" className={`${td} text-left font-medium whitespace-nowrap`}>
                <span className="flex items-center gap-2">
                  <span
                    aria-hidden="true"
                    className={`size-2 shrink-0 rotate-45 border ${addressStyles[a.kind].pin}`}
                  />
                  {a.label}
                </span>
              </th>
              <td className={td}>
                <ValueWithCopy value={a.canonical} label={`${a.label} ${a.canonical}`} />
              </td>
              <td className={td}>
                <code className="font-mono text-xs text-slate-600 dark:text-slate-400">{a.path}</code>
              </td>
              <td className={`${td} text-xs text-slate-600 dark:text-slate-400`}>
                {a.placement === "outside"
                  ? "outside the site prefix"
                  : rangesHolding(map, a)
                      .map((r) => `in ${r.label}`)
                      .join(", ") || "in the site prefix"}
              </td>
              <td className={`${td} text-right`}>
                <ShowButton label={a.label} onClick={() => onShow({ type: "address", path: a.path })} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ValueWithCopy({ value, label }: { value: string; label: string }) {
  return (
    <span className="flex items-center justify-between gap-3">
      <code className="font-mono text-[0.8125rem]">{value}</code>
      <CopyButton value={value} label={label} />
    </span>
  );
}

function SizeBar({ share, text }: { share: number; text: string }) {
  return (
    <span className="flex items-center gap-2">
      <span
        aria-hidden="true"
        className="h-1.5 w-20 shrink-0 overflow-hidden rounded-full bg-slate-200 dark:bg-slate-800"
      >
        <span
          className="block h-full rounded-full bg-slate-500 dark:bg-slate-400"
          style={{ width: `${share * 100}%` }}
        />
      </span>
      <span className="font-mono text-xs whitespace-nowrap">{text}</span>
    </span>
  );
}
