// The allocation map of the site prefix: lanes per range kind at true position and size, key addresses as pins,
// hex-digit cells to zoom through nested aligned blocks, and what lies outside the prefix listed apart.
import { type Finding, formatIp } from "@k3s-ha/shared";
import { type CSSProperties, type RefObject, useEffect, useRef, useState } from "react";
import { type Block, blockContainsBlock, blockInterval, blockLast } from "../map/layout";
import type { MapAddress, MapRange, PlanMap } from "../map/model";
import { cellsOf, deepestPrefix, fitBlock, smallestBlockContaining } from "../map/zoom";
import { laneOrder, rangeStyles, severityStyles } from "./kind-styles";
import { AddressLane, placeAddresses } from "./map-addresses";
import { MapBreadcrumb } from "./map-breadcrumb";
import { MapCells } from "./map-cells";
import { LANE_PX, LaneLabels } from "./map-lane-labels";
import { OverlapTrack, RangeTrack } from "./map-lanes";
import { itemState, type MapHighlight, type MapSelection } from "./map-state";
import { OutsidePrefix } from "./outside-prefix";
import { SmallRangesStrip } from "./small-ranges-strip";

interface AllocationMapProps {
  map: PlanMap;
  root: Block;
  trail: readonly Block[];
  findings: readonly Finding[];
  selection: MapSelection | null;
  highlight: MapHighlight | null;
  onSelect: (selection: MapSelection) => void;
  onZoom: (target: Block) => void;
  onCut: (index: number) => void;
}

/** Escape anywhere inside the map zooms out one level. */
function useEscapeZoomsOut(
  container: RefObject<HTMLElement | null>,
  depth: number,
  onCut: (index: number) => void,
) {
  useEffect(() => {
    const element = container.current;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== "Escape" || depth < 2) return;
      event.preventDefault();
      onCut(depth - 2);
    };
    element?.addEventListener("keydown", onKeyDown);
    return () => element?.removeEventListener("keydown", onKeyDown);
  }, [container, depth, onCut]);
}

export function AllocationMap(props: AllocationMapProps) {
  const { map, root, trail, findings, selection, highlight, onSelect, onZoom, onCut } = props;
  const view = trail.at(-1) ?? root;
  const [hovered, setHovered] = useState<string | null>(null);
  const container = useRef<HTMLDivElement>(null);
  useEscapeZoomsOut(container, trail.length, onCut);

  const lanes = laneOrder.flatMap((kind) =>
    map.ranges.filter((r) => r.kind === kind && r.placement !== "outside"),
  );
  const addressLane = placeAddresses(view, map.addresses);
  const hasOverlaps = map.overlaps.length > 0;
  const guides = addressLane.placed.filter(
    ({ address: { path } }) => path === hovered || path === selection?.path || highlight?.paths.has(path),
  );

  const zoomInto = (target: Block) => {
    if (blockContainsBlock(root, target)) onZoom(target);
  };
  // One rule: a hex digit zooms exactly one digit deeper; a range or an address is selected and the view moves to
  // the smallest block that holds it (it stays when the view already is that block or lies inside it).
  const zoomIntoCell = (cell: Block) => zoomInto(cell);
  const focusOn = (interval: MapRange["interval"]) => {
    const target = smallestBlockContaining(interval);
    if (!blockContainsBlock(target, view)) zoomInto(target);
  };
  const activateRange = (range: MapRange) => {
    onSelect({ type: "range", path: range.path });
    focusOn(range.interval);
  };
  const activateAddress = (address: MapAddress) => {
    onSelect({ type: "address", path: address.path });
    focusOn(address.interval);
  };
  const showMore = (side: "before" | "after") => {
    const others = map.addresses.filter(
      (a) =>
        a.placement !== "outside" && (side === "before" ? a.value < view.first : a.value > blockLast(view)),
    );
    zoomInto(fitBlock(root, [blockInterval(view), ...others.map((a) => a.interval)]) ?? root);
  };

  return (
    <div ref={container} data-testid="allocation-map" className="space-y-3">
      <MapBreadcrumb trail={trail} onCut={onCut} />

      <div className="flex">
        <div className="hidden sm:block">
          <LaneLabels
            ranges={lanes}
            findings={findings}
            overlaps={hasOverlaps}
            addressLanePx={addressLane.heightPx}
          />
        </div>
        <div className="relative min-w-0 flex-1 overflow-hidden rounded-lg border border-slate-200 bg-slate-50/60 dark:border-slate-800 dark:bg-slate-950/40">
          <div
            aria-hidden="true"
            className="cell-lines pointer-events-none absolute inset-0 top-8"
            style={{ "--cells": cellsOf(view).length } as CSSProperties}
          />
          {guides.map((g) => (
            <div
              key={g.address.path}
              aria-hidden="true"
              className="pointer-events-none absolute top-8 bottom-0 border-l border-dashed border-slate-500 dark:border-slate-400"
              style={{ left: `${(g.x * 100).toFixed(6)}%` }}
            />
          ))}
          <div className="border-b border-slate-200 dark:border-slate-800">
            <MapCells view={view} canZoom={view.prefix < deepestPrefix(view)} onZoom={zoomIntoCell} />
          </div>
          {lanes.map((r) => (
            <div key={r.path} className="relative" style={{ height: LANE_PX }}>
              <span className="absolute top-0 left-1 text-[10px] font-medium text-slate-600 sm:hidden dark:text-slate-400">
                {rangeStyles[r.kind].lane}
              </span>
              <RangeTrack
                range={r}
                view={view}
                state={itemState(r.path, selection, highlight)}
                ringSeverity={highlight?.severity ?? null}
                onActivate={activateRange}
              />
            </div>
          ))}
          {hasOverlaps && (
            <div className="relative" style={{ height: LANE_PX }}>
              <OverlapTrack overlaps={map.overlaps} view={view} highlight={highlight} />
            </div>
          )}
          <AddressLane
            lane={addressLane}
            selection={selection}
            highlight={highlight}
            onActivate={activateAddress}
            onHover={setHovered}
            onShowMore={showMore}
          />
        </div>
      </div>

      <div className="flex flex-wrap justify-between gap-x-4 font-mono text-xs text-slate-600 sm:pl-44 dark:text-slate-400">
        <span className="break-all">{formatIp(view.family, view.first)}</span>
        <span className="break-all text-right">{formatIp(view.family, blockLast(view))}</span>
      </div>

      <SmallRangesStrip
        ranges={lanes}
        view={view}
        selection={selection}
        highlight={highlight}
        onActivate={activateRange}
      />
      <MapLegend />
      <OutsidePrefix map={map} selection={selection} highlight={highlight} onSelect={onSelect} />
    </div>
  );
}

function MapLegend() {
  return (
    <p className="flex flex-wrap items-center gap-x-5 gap-y-1 text-xs text-slate-600 dark:text-slate-400">
      <span className="inline-flex items-center gap-1.5">
        <span
          aria-hidden="true"
          className="hatched inline-block h-3 w-4 rounded-sm border border-sky-700 bg-sky-500 text-sky-800"
        />
        drawn wider than its true size
      </span>
      <span>◂ ▸ continues beyond this block</span>
      <span className="inline-flex items-center gap-1.5">
        {(["error", "warning", "info"] as const).map((s) => (
          <span key={s} aria-hidden="true" className={`size-2 rounded-full ${severityStyles[s].dot}`} />
        ))}
        a lane's worst finding (error, warning, info)
      </span>
      <span>
        A hex digit zooms one digit deeper · a range or an address is selected and shown in the block that
        holds it · Escape or the path above zooms out
      </span>
    </p>
  );
}
