// A severity label with its colour (never colour alone).
import type { Severity } from "@k3s-ha/shared";
import { severityStyles } from "./kind-styles";

export function SeverityBadge({ severity, count }: { severity: Severity; count?: number }) {
  const style = severityStyles[severity];
  return (
    <span
      className={`inline-flex items-center gap-1 rounded-full px-2 py-0.5 text-xs font-semibold ring-1 ring-inset ${style.badge}`}
    >
      {style.label}
      {count !== undefined && <span className="tabular-nums">{count}</span>}
    </span>
  );
}
