// Details of the selected range or address: exact bounds and size, what it holds or lies in, overlaps, findings.
import { type Finding, formatIp } from "@k3s-ha/shared";
import type { ReactNode } from "react";
import { CopyButton } from "../../../components/copy-button";
import { findingsAbout } from "../findings";
import { type Block, blockSize, describeCount, describeShare, intervalCount } from "../map/layout";
import {
  addressesIn,
  type MapAddress,
  type MapRange,
  overlapsOfRange,
  type PlanMap,
  rangesHolding,
} from "../map/model";
import { addressStyles, rangeStyles } from "./kind-styles";
import type { MapSelection } from "./map-state";
import { SeverityBadge } from "./severity-badge";

interface SelectionDetailsProps {
  map: PlanMap;
  root: Block;
  findings: readonly Finding[];
  selection: MapSelection | null;
  onPin: (finding: Finding) => void;
  onShow: (selection: MapSelection) => void;
  onClear: () => void;
}

function Field({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs font-medium text-slate-500 dark:text-slate-400">{term}</dt>
      <dd className="mt-0.5 text-sm text-slate-900 dark:text-slate-100">{children}</dd>
    </div>
  );
}

const mono = "font-mono text-[0.8125rem] break-all";

export function SelectionDetails({
  map,
  root,
  findings,
  selection,
  onPin,
  onShow,
  onClear,
}: SelectionDetailsProps) {
  const range = selection?.type === "range" ? map.ranges.find((r) => r.path === selection.path) : undefined;
  const address =
    selection?.type === "address" ? map.addresses.find((a) => a.path === selection.path) : undefined;
  if (!range && !address) {
    return (
      <p className="px-4 py-3 text-sm text-slate-600 dark:text-slate-400">
        Select a range or an address on the map (or in the table) to see its bounds, size and findings.
      </p>
    );
  }
  const item = (range ?? address) as MapRange | MapAddress;
  const about = findingsAbout(findings, item.path);

  return (
    <section aria-label={`Details of ${item.label}`} className="px-4 py-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h3 className="flex items-center gap-2 text-base font-semibold">
          {range ? (
            <span aria-hidden="true" className={`size-3 rounded-sm ${rangeStyles[range.kind].swatch}`} />
          ) : (
            address && (
              <span
                aria-hidden="true"
                className={`size-2.5 rotate-45 border ${addressStyles[address.kind].pin}`}
              />
            )
          )}
          {item.label}
          <code className="font-mono text-xs font-normal text-slate-500 dark:text-slate-400">
            {item.path}
          </code>
        </h3>
        <div className="flex gap-2">
          <button
            type="button"
            onClick={() => onShow({ type: range ? "range" : "address", path: item.path })}
            className="rounded-md border border-slate-300 px-2.5 py-1 text-xs font-medium hover:bg-slate-50 dark:border-slate-700 dark:hover:bg-slate-800"
          >
            Zoom to it
          </button>
          <button
            type="button"
            onClick={onClear}
            className="rounded-md border border-slate-300 px-2.5 py-1 text-xs font-medium hover:bg-slate-50 dark:border-slate-700 dark:hover:bg-slate-800"
          >
            Clear selection
          </button>
        </div>
      </div>

      <dl className="mt-3 grid gap-x-6 gap-y-3 sm:grid-cols-2 lg:grid-cols-3">
        {range && <RangeFields map={map} root={root} range={range} />}
        {address && <AddressFields map={map} address={address} />}
      </dl>

      <div className="mt-4">
        <h4 className="text-xs font-medium text-slate-500 dark:text-slate-400">Findings about it</h4>
        {about.length === 0 ? (
          <p className="mt-1 text-sm text-slate-700 dark:text-slate-300">None.</p>
        ) : (
          <ul className="mt-1 space-y-1">
            {about.map((finding) => (
              <li key={`${finding.id}|${finding.paths.join(",")}`}>
                <button
                  type="button"
                  onClick={() => onPin(finding)}
                  className="flex w-full items-start gap-2 rounded-md px-1 py-0.5 text-left text-sm hover:bg-slate-100 dark:hover:bg-slate-800"
                >
                  <SeverityBadge severity={finding.severity} />
                  <span>{finding.message}</span>
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
    </section>
  );
}

function RangeFields({ map, root, range }: { map: PlanMap; root: Block; range: MapRange }) {
  const { interval } = range;
  const holds = addressesIn(map, range);
  const overlaps = overlapsOfRange(map, range.path);
  const share = Number(intervalCount(interval)) / Number(blockSize(root));
  const shareText = {
    inside: describeShare(share),
    partly: "Extends beyond the site prefix",
    outside: "Outside the site prefix",
  }[range.placement];
  const first = formatIp(interval.family, interval.first);
  const last = formatIp(interval.family, interval.last);
  return (
    <>
      {range.cidr && (
        <Field term="CIDR">
          <span className="flex flex-wrap items-center gap-2">
            <span className={mono}>{range.display}</span>
            <CopyButton value={range.display} label={range.label} />
          </span>
        </Field>
      )}
      <Field term="First address">
        <span className="flex flex-wrap items-center gap-2">
          <span className={mono}>{first}</span>
          {!range.cidr && <CopyButton value={first} label={`${range.label} start`} />}
        </span>
      </Field>
      <Field term="Last address">
        <span className="flex flex-wrap items-center gap-2">
          <span className={mono}>{last}</span>
          {!range.cidr && <CopyButton value={last} label={`${range.label} end`} />}
        </span>
      </Field>
      <Field term="Size">{describeCount(interval)} addresses</Field>
      {range.kind !== "prefix" && (
        <>
          <Field term="Share of the site prefix">{shareText}</Field>
          {range.placement === "inside" && (
            <Field term="Offset in the site prefix">
              <span className={mono}>{formatIp(interval.family, interval.first - root.first)}</span>
            </Field>
          )}
        </>
      )}
      {range.kind !== "prefix" && (
        <Field term="Overlaps">
          {overlaps.length === 0
            ? "No other range"
            : overlaps.map((o) => o.labels.find((l) => l !== range.label)).join(", ")}
        </Field>
      )}
      <Field term="Key addresses inside">
        {holds.length === 0 ? "None" : holds.map((a) => `${a.label} (${a.canonical})`).join(", ")}
      </Field>
    </>
  );
}

function AddressFields({ map, address }: { map: PlanMap; address: MapAddress }) {
  const inRanges = rangesHolding(map, address);
  return (
    <>
      <Field term="Address">
        <span className="flex flex-wrap items-center gap-2">
          <span className={mono}>{address.canonical}</span>
          <CopyButton value={address.canonical} label={address.label} />
        </span>
      </Field>
      {address.text !== address.canonical && (
        <Field term="As written">
          <span className={mono}>{address.text}</span>
        </Field>
      )}
      <Field term="Lies in">
        {address.placement === "outside"
          ? "Outside the site prefix"
          : inRanges.length === 0
            ? "The site prefix, in no named range"
            : inRanges.map((r) => `${r.label} (${r.display})`).join(", ")}
      </Field>
    </>
  );
}
