// The address plan screen for one plan response: invalid-file banner, allocation map with selection details,
// findings beside it (hover to preview on the map, click to pin), and the table of values to copy.
import type { Finding, PlanResponse } from "@k3s-ha/shared";
import { useMemo, useRef, useState } from "react";
import { Card, CardTitle } from "../../../components/ui";
import { findingConcerns } from "../findings";
import { type Block, blockContainsBlock, sameBlock } from "../map/layout";
import { buildPlanMap, type PlanMap } from "../map/model";
import { fitBlock, smallestBlockContaining, zoomTrail } from "../map/zoom";
import { AddressTable } from "./address-table";
import { AllocationMap } from "./allocation-map";
import { FindingsList, findingKey } from "./findings-list";
import type { MapHighlight, MapSelection } from "./map-state";
import { PlanErrorsBanner } from "./plan-errors-banner";
import { PlanSettings } from "./plan-settings";
import { SelectionDetails } from "./selection-details";

function itemsOf(map: PlanMap) {
  return [...map.ranges.filter((r) => r.kind !== "prefix"), ...map.addresses];
}

function highlightOf(map: PlanMap, finding: Finding | null): MapHighlight | null {
  if (!finding) return null;
  const paths = new Set(
    [...map.ranges, ...map.addresses]
      .filter((item) => findingConcerns(finding, item.path))
      .map((item) => item.path),
  );
  return { paths, severity: finding.severity };
}

export function AddressPlanView({ response }: { response: PlanResponse }) {
  const map = useMemo(() => (response.plan ? buildPlanMap(response.plan) : null), [response.plan]);
  const root = map?.root ?? null;
  const [storedTrail, setTrail] = useState<Block[]>([]);
  const [selection, setSelection] = useState<MapSelection | null>(null);
  const [preview, setPreview] = useState<Finding | null>(null);
  const [pinnedKey, setPinnedKey] = useState<string | null>(null);
  const mapRef = useRef<HTMLDivElement>(null);

  // A new site prefix starts a new trail.
  const first = storedTrail[0];
  const trail = root ? (first && sameBlock(first, root) ? storedTrail : [root]) : [];
  const findings = response.findings;
  const pinned = findings.find((f) => findingKey(f) === pinnedKey) ?? null;
  const highlight = map ? highlightOf(map, preview ?? pinned) : null;

  const zoomTo = (target: Block) => setTrail(zoomTrail(trail, target));
  const cut = (index: number) => setTrail(trail.slice(0, Math.max(1, index + 1)));

  const show = (target: MapSelection) => {
    setSelection(target);
    const item = map && [...map.ranges, ...map.addresses].find((i) => i.path === target.path);
    if (item && root) {
      const block = smallestBlockContaining(item.interval);
      zoomTo(blockContainsBlock(root, block) ? block : root);
    }
    mapRef.current?.scrollIntoView?.({ behavior: "smooth", block: "nearest" });
  };

  const togglePin = (finding: Finding) => {
    const key = findingKey(finding);
    if (key === pinnedKey) {
      setPinnedKey(null);
      return;
    }
    setPinnedKey(key);
    if (!map || !root) return;
    const involved = itemsOf(map).filter((item) => findingConcerns(finding, item.path));
    const block = fitBlock(
      root,
      involved.map((item) => item.interval),
    );
    if (block) setTrail(zoomTrail([root], block));
  };

  return (
    <>
      <PlanErrorsBanner response={response} />
      {!map || !root ? (
        <Card className="p-6 text-sm text-slate-700 dark:text-slate-300">
          {map
            ? "The plan's site prefix does not parse, so there is nothing to draw."
            : "There is no valid plan to show yet."}
        </Card>
      ) : (
        <div className="grid gap-6 xl:grid-cols-[minmax(0,1fr)_24rem]">
          <a
            href="#findings"
            className="sr-only rounded bg-white px-3 py-2 text-sm font-medium focus:not-sr-only focus:absolute focus:z-50 dark:bg-slate-900"
          >
            Skip to the findings ({findings.length})
          </a>
          <div className="min-w-0 space-y-6">
            <Card>
              <CardTitle aside={`Site prefix ${map.ranges.find((r) => r.kind === "prefix")?.display ?? ""}`}>
                Allocation map
              </CardTitle>
              <div ref={mapRef} className="scroll-mt-4 p-4">
                <AllocationMap
                  map={map}
                  root={root}
                  trail={trail}
                  findings={findings}
                  selection={selection}
                  highlight={highlight}
                  onSelect={setSelection}
                  onZoom={zoomTo}
                  onCut={cut}
                />
              </div>
              <div className="border-t border-slate-200 dark:border-slate-800">
                <SelectionDetails
                  map={map}
                  root={root}
                  findings={findings}
                  selection={selection}
                  onPin={togglePin}
                  onShow={show}
                  onClear={() => setSelection(null)}
                />
              </div>
            </Card>
            <Card>
              <CardTitle aside="Values as the plan gives them, in canonical form">
                Ranges and key addresses
              </CardTitle>
              <AddressTable map={map} root={root} selection={selection} onShow={show} />
            </Card>
          </div>
          <div className="min-w-0 space-y-6 self-start">
            <Card>
              <div id="findings" tabIndex={-1} className="scroll-mt-4 outline-none">
                <CardTitle aside={`${findings.length} in total`}>Findings</CardTitle>
              </div>
              <FindingsList
                findings={findings}
                pinnedKey={pinnedKey}
                onPreview={setPreview}
                onTogglePin={togglePin}
              />
            </Card>
            <Card>
              <CardTitle aside="as the plan sets them">Settings</CardTitle>
              {response.plan && <PlanSettings plan={response.plan} />}
            </Card>
          </div>
        </div>
      )}
    </>
  );
}
