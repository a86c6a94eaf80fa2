// The address lane: a pin per key address at its true position; pins at the same spot are stacked in rows.
import type { Severity } from "@k3s-ha/shared";
import { type Block, packRows, placeAddress } from "../map/layout";
import type { MapAddress } from "../map/model";
import { addressStyles } from "./kind-styles";
import { stateClasses } from "./map-lanes";
import { type ItemState, itemState, type MapHighlight, type MapSelection } from "./map-state";

export const ADDRESS_ROW_PX = 26;
/** Labels are about this share of the lane wide; closer pins go to another row. */
const LABEL_GAP = 0.16;

export interface PlacedAddress {
  address: MapAddress;
  x: number;
  row: number;
}

export function placeAddresses(view: Block, addresses: readonly MapAddress[]) {
  const visible: { address: MapAddress; x: number }[] = [];
  let before = 0;
  let after = 0;
  for (const address of addresses) {
    if (address.placement === "outside") continue;
    const x = placeAddress(view, address.family, address.value);
    if (x !== null) visible.push({ address, x });
    else if (address.value < view.first) before++;
    else after++;
  }
  const rows = packRows(
    visible.map((v) => v.x),
    LABEL_GAP,
  );
  const placed: PlacedAddress[] = visible.map((v, i) => ({ ...v, row: rows[i] ?? 0 }));
  const rowCount = Math.max(1, ...placed.map((p) => p.row + 1));
  // An extra row at the bottom holds the "more addresses beyond this block" buttons.
  const heightPx = 12 + (rowCount + (before > 0 || after > 0 ? 1 : 0)) * ADDRESS_ROW_PX;
  return { placed, heightPx, before, after };
}

interface AddressPinProps {
  placed: PlacedAddress;
  state: ItemState;
  ringSeverity: Severity | null;
  onActivate: (address: MapAddress) => void;
  onHover: (path: string | null) => void;
}

export function AddressPin({ placed, state, ringSeverity, onActivate, onHover }: AddressPinProps) {
  const { address, x, row } = placed;
  const style = addressStyles[address.kind];
  const labelLeft = x > 0.72;
  return (
    <button
      type="button"
      data-address-path={address.path}
      data-highlighted={state.highlighted || undefined}
      aria-label={`${address.label} ${address.canonical}`}
      aria-pressed={state.selected}
      title={`${address.label}\n${address.canonical}\n${address.path}`}
      onClick={() => onActivate(address)}
      onMouseEnter={() => onHover(address.path)}
      onMouseLeave={() => onHover(null)}
      onFocus={() => onHover(address.path)}
      onBlur={() => onHover(null)}
      style={{
        top: 6 + row * ADDRESS_ROW_PX,
        ...(labelLeft ? { right: `${((1 - x) * 100).toFixed(6)}%` } : { left: `${(x * 100).toFixed(6)}%` }),
      }}
      className={`absolute flex h-5 items-center gap-1.5 rounded px-1 text-xs whitespace-nowrap text-slate-800 transition-[left,right,opacity] duration-300 motion-reduce:transition-none hover:bg-slate-100 dark:text-slate-100 dark:hover:bg-slate-800 ${
        labelLeft ? "translate-x-[9px] flex-row-reverse" : "-translate-x-[9px]"
      } ${stateClasses(state, ringSeverity)}`}
    >
      <span aria-hidden="true" className={`size-2.5 shrink-0 rotate-45 border ${style.pin}`} />
      <span>{address.label}</span>
    </button>
  );
}

function EdgeButton({
  side,
  count,
  onClick,
}: {
  side: "before" | "after";
  count: number;
  onClick: () => void;
}) {
  const plural = `${count} address${count === 1 ? "" : "es"}`;
  const text = `${plural} ${side === "before" ? "before" : "after"} this block`;
  return (
    <button
      type="button"
      onClick={onClick}
      aria-label={`${text}; zoom out to show them`}
      className={`absolute bottom-1.5 rounded border border-dashed border-slate-400 px-1.5 text-xs text-slate-600 hover:bg-slate-100 dark:border-slate-600 dark:text-slate-300 dark:hover:bg-slate-800 ${
        side === "before" ? "left-1" : "right-1"
      }`}
    >
      {side === "before" ? `◂ ${plural}` : `${plural} ▸`}
    </button>
  );
}

interface AddressLaneProps {
  lane: ReturnType<typeof placeAddresses>;
  selection: MapSelection | null;
  highlight: MapHighlight | null;
  onActivate: (address: MapAddress) => void;
  onHover: (path: string | null) => void;
  onShowMore: (side: "before" | "after") => void;
}

export function AddressLane({
  lane,
  selection,
  highlight,
  onActivate,
  onHover,
  onShowMore,
}: AddressLaneProps) {
  return (
    <div
      className="relative border-t border-slate-200 dark:border-slate-800"
      style={{ height: lane.heightPx }}
    >
      {lane.placed.map((p) => (
        <AddressPin
          key={p.address.path}
          placed={p}
          state={itemState(p.address.path, selection, highlight)}
          ringSeverity={highlight?.severity ?? null}
          onActivate={onActivate}
          onHover={onHover}
        />
      ))}
      {lane.before > 0 && (
        <EdgeButton side="before" count={lane.before} onClick={() => onShowMore("before")} />
      )}
      {lane.after > 0 && <EdgeButton side="after" count={lane.after} onClick={() => onShowMore("after")} />}
    </div>
  );
}
