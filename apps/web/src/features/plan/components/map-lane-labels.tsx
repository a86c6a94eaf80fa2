// The left column of the map: one label per lane, with a dot for the worst finding about that lane's range.
import type { Finding, Severity } from "@k3s-ha/shared";
import { findingsAbout, worstSeverity } from "../findings";
import type { MapRange } from "../map/model";
import { rangeStyles, severityStyles } from "./kind-styles";

export const LANE_PX = 40;

function LaneLabel({ text, swatch, severity }: { text: string; swatch: string; severity: Severity | null }) {
  return (
    <div
      className="flex items-center gap-2 pr-3 text-xs font-medium text-slate-700 dark:text-slate-300"
      style={{ height: LANE_PX }}
    >
      <span aria-hidden="true" className={`size-2.5 shrink-0 rounded-sm ${swatch}`} />
      <span className="truncate">{text}</span>
      {severity && (
        <span
          className={`ml-auto size-2 shrink-0 rounded-full ${severityStyles[severity].dot}`}
          title={`Has ${severity} findings`}
        >
          <span className="sr-only">({severity} findings)</span>
        </span>
      )}
    </div>
  );
}

interface LaneLabelsProps {
  ranges: readonly MapRange[];
  findings: readonly Finding[];
  overlaps: boolean;
  addressLanePx: number;
}

export function LaneLabels({ ranges, findings, overlaps, addressLanePx }: LaneLabelsProps) {
  return (
    <div className="w-40 shrink-0 sm:w-44">
      <div className="flex h-8 items-center text-xs text-slate-500 dark:text-slate-400">Next hex digit</div>
      {ranges.map((r) => (
        <LaneLabel
          key={r.path}
          text={rangeStyles[r.kind].lane}
          swatch={rangeStyles[r.kind].swatch}
          severity={worstSeverity(findingsAbout(findings, r.path))}
        />
      ))}
      {overlaps && (
        <LaneLabel
          text="Overlaps"
          swatch="hatched bg-red-100 text-red-600 dark:bg-red-950 dark:text-red-400"
          severity={null}
        />
      )}
      <div
        className="flex items-start pt-2 text-xs font-medium text-slate-700 dark:text-slate-300"
        style={{ height: addressLanePx }}
      >
        Key addresses
      </div>
    </div>
  );
}
