// Every range and key address of the plan: a fixed-width table on a laptop, one card per row on a phone.
// Each value has its own copy button; a host range is copied as its two ends, never as "a – b".
import type { ReactNode } from "react";
import { CopyButton } from "../../../components/copy-button";
import { type Block, describeCount, logShare } from "../map/layout";
import { type MapAddress, type MapRange, type PlanMap, rangesHolding } from "../map/model";
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

/** The values of a range to show and copy: a CIDR, or the two ends of a host range. */
function rangeValues(r: MapRange): { label: string; value: string }[] {
  if (r.cidr) return [{ label: r.label, value: r.display }];
  const [from, to] = r.text.split(" – ");
  return [
    { label: `${r.label} start`, value: from ?? r.text },
    { label: `${r.label} end`, value: to ?? "" },
  ];
}

function where(map: PlanMap, a: MapAddress): string {
  if (a.placement === "outside") return "outside the site prefix";
  return (
    rangesHolding(map, a)
      .map((r) => `in ${r.label}`)
      .join(", ") || "in the site prefix"
  );
}

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

function Values({ values }: { values: { label: string; value: string }[] }) {
  return (
    <span className="grid gap-1">
      {values.map(({ label, value }) => (
        <span key={label} className="flex items-center justify-between gap-2">
          <code className="min-w-0 font-mono text-[0.8125rem] break-all">{value}</code>
          <CopyButton value={value} label={label} />
        </span>
      ))}
    </span>
  );
}

function SizeBar({ share, text }: { share: number; text: string }) {
  return (
    <span className="flex items-center gap-2">
      <span
        aria-hidden="true"
        className="h-1.5 w-14 shrink-0 overflow-hidden rounded-full bg-slate-200 dark:bg-slate-800"
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

function Swatch({ range, address }: { range?: MapRange; address?: MapAddress }) {
  if (range)
    return (
      <span aria-hidden="true" className={`size-2.5 shrink-0 rounded-sm ${rangeStyles[range.kind].swatch}`} />
    );
  if (address)
    return (
      <span
        aria-hidden="true"
        className={`size-2 shrink-0 rotate-45 border ${addressStyles[address.kind].pin}`}
      />
    );
  return null;
}

interface Row {
  key: string;
  name: string;
  path: string;
  values: { label: string; value: string }[];
  about: ReactNode;
  swatch: ReactNode;
  show: MapSelection;
}

function rowsOf(map: PlanMap, root: Block): { ranges: Row[]; addresses: Row[] } {
  return {
    ranges: map.ranges.map((r) => ({
      key: r.path,
      name: r.label,
      path: r.path,
      values: rangeValues(r),
      about: <SizeBar share={logShare(root, r.interval)} text={describeCount(r.interval)} />,
      swatch: <Swatch range={r} />,
      show: { type: "range", path: r.path },
    })),
    addresses: map.addresses.map((a) => ({
      key: a.path,
      name: a.label,
      path: a.path,
      values: [{ label: a.label, value: a.canonical }],
      about: <span className="text-xs text-slate-600 dark:text-slate-400">{where(map, a)}</span>,
      swatch: <Swatch address={a} />,
      show: { type: "address", path: a.path },
    })),
  };
}

export function AddressTable({ map, root, selection, onShow }: AddressTableProps) {
  const { ranges, addresses } = rowsOf(map, root);
  const selected = (path: string) => (selection?.path === path ? "bg-sky-50 dark:bg-sky-950/40" : "");
  const tableRows = (rows: Row[]) =>
    rows.map((row) => (
      <tr key={row.key} className={`border-t border-slate-200 dark:border-slate-800 ${selected(row.path)}`}>
        <th scope="row" className={`${td} text-left font-medium`}>
          <span className="flex items-center gap-2">
            {row.swatch}
            {row.name}
          </span>
        </th>
        <td className={td}>
          <Values values={row.values} />
        </td>
        <td className={`${td} break-all`}>
          <code className="font-mono text-xs text-slate-600 dark:text-slate-400">{row.path}</code>
        </td>
        <td className={td}>{row.about}</td>
        <td className={`${td} text-right`}>
          <ShowButton label={row.name} onClick={() => onShow(row.show)} />
        </td>
      </tr>
    ));
  const cards = (rows: Row[]) =>
    rows.map((row) => (
      <li key={row.key} className={`space-y-2 px-4 py-3 text-sm ${selected(row.path)}`}>
        <div className="flex items-center justify-between gap-2">
          <span className="flex items-center gap-2 font-medium">
            {row.swatch}
            {row.name}
          </span>
          <ShowButton label={row.name} onClick={() => onShow(row.show)} />
        </div>
        <Values values={row.values} />
        <div className="flex flex-wrap items-center justify-between gap-2">
          <code className="font-mono text-xs break-all text-slate-600 dark:text-slate-400">{row.path}</code>
          {row.about}
        </div>
      </li>
    ));

  return (
    <>
      <table className="hidden w-full table-fixed text-sm lg:table">
        <caption className="sr-only">Ranges and key addresses of the plan</caption>
        <colgroup>
          <col className="w-[10.5rem]" />
          <col />
          <col className="w-[11rem]" />
          <col className="w-[10.5rem]" />
          <col className="w-[4.5rem]" />
        </colgroup>
        <thead className="bg-slate-50 dark:bg-slate-900/60">
          <tr>
            {["Name", "Value", "Plan path", "Size (log scale)"].map((h) => (
              <th key={h} scope="col" className={th}>
                {h}
              </th>
            ))}
            <th scope="col" className={th}>
              <span className="sr-only">Map</span>
            </th>
          </tr>
        </thead>
        <tbody>{tableRows(ranges)}</tbody>
        <tbody>
          <tr className="border-t-2 border-slate-200 dark:border-slate-800">
            <th scope="colgroup" colSpan={5} className={`${th} bg-slate-50 dark:bg-slate-900/60`}>
              Key addresses
            </th>
          </tr>
          {tableRows(addresses)}
        </tbody>
      </table>
      <div className="lg:hidden">
        <h3 className="sr-only">Ranges</h3>
        <ul className="divide-y divide-slate-200 dark:divide-slate-800">{cards(ranges)}</ul>
        <h3 className="border-t-2 border-slate-200 bg-slate-50 px-4 py-2 text-xs font-semibold text-slate-600 dark:border-slate-800 dark:bg-slate-900/60 dark:text-slate-400">
          Key addresses
        </h3>
        <ul className="divide-y divide-slate-200 dark:divide-slate-800">{cards(addresses)}</ul>
      </div>
    </>
  );
}
