// The route-policy audit's checks, worst first: a status word, the one-line message and, on request, the evidence
// (the router's lines and the cluster's objects each check rests on).
import { type AuditCheck, worstFirst } from "@k3s-ha/shared";
import { useQuery } from "@tanstack/react-query";
import { Card, CardTitle, LoadError, Loading, Pill, type Tone } from "../../../components/ui";
import { routeAuditQueries } from "../queries";

export function checkTone(c: AuditCheck): Tone {
  if (c.status === "pass") return "good";
  if (c.status === "unknown") return "neutral";
  return c.severity === "error" ? "bad" : c.severity === "warning" ? "warn" : "neutral";
}

const statusWord = (c: AuditCheck) =>
  c.status === "pass" ? "pass" : c.status === "unknown" ? "unknown" : c.severity === "info" ? "note" : "fail";

function Check({ check, withEvidence }: { check: AuditCheck; withEvidence: boolean }) {
  return (
    <li className="space-y-1 px-4 py-3 text-sm">
      <div className="flex flex-wrap items-center gap-2">
        <Pill tone={checkTone(check)}>{statusWord(check)}</Pill>
        <span className="font-medium">{check.title}</span>
      </div>
      <p className="break-words text-slate-700 dark:text-slate-300">{check.message}</p>
      {withEvidence && check.evidence.length > 0 && (
        <details className="text-xs">
          <summary className="cursor-pointer text-sky-800 underline dark:text-sky-300">
            Evidence ({check.evidence.length})
          </summary>
          <ul className="mt-1 space-y-0.5">
            {check.evidence.map((e) => (
              <li
                key={`${e.source} ${e.text}`}
                className="font-mono break-all text-slate-700 dark:text-slate-300"
              >
                <span className="text-slate-500 dark:text-slate-400">{e.source}:</span> {e.text}
              </li>
            ))}
          </ul>
        </details>
      )}
    </li>
  );
}

export function AuditChecksCard({
  title = "Route-policy audit",
  evidence = true,
}: {
  title?: string;
  evidence?: boolean;
}) {
  const audit = useQuery(routeAuditQueries.checks());
  const checks = audit.data ? worstFirst(audit.data.checks) : [];
  const failing = checks.filter((c) => c.status === "fail" && c.severity !== "info").length;
  return (
    <Card>
      <CardTitle aside={audit.data ? (failing ? `${failing} failing` : "nothing failing") : undefined}>
        {title}
      </CardTitle>
      {audit.isPending ? (
        <Loading what="the audit" />
      ) : audit.isError ? (
        <div className="p-4">
          <LoadError what="the audit" error={audit.error} />
        </div>
      ) : (
        <ul
          className="divide-y divide-slate-100 dark:divide-slate-800"
          aria-label="Audit checks, worst first"
        >
          {checks.map((c) => (
            <Check key={c.id} check={c} withEvidence={evidence} />
          ))}
        </ul>
      )}
    </Card>
  );
}
