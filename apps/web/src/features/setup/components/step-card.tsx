// One setup step: its status, why it exists and where the design document is wrong for it, then Preview, Apply
// (confirmed when it restarts a service, changes BGP or DNS, or can cut traffic), Verify and Undo — with the
// progress of a running apply and the evidence of every check.
import {
  type SetupActionResult,
  type SetupPreview,
  type SetupStepSummary,
  setupActionResultSchema,
  setupPreviewSchema,
} from "@k3s-ha/shared";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { Link } from "wouter";
import {
  Card,
  dangerButtonClass,
  FormAlert,
  Pill,
  primaryButtonClass,
  secondaryButtonClass,
} from "../../../components/ui";
import { apiFetch, isApiError } from "../../../lib/api";
import { setupQueries } from "../queries";
import { ChecksList } from "./checks-list";
import { statusText, statusTone } from "./format";
import { KubeconfigDownload } from "./kubeconfig-download";
import { PreviewPanel } from "./preview-panel";

type Action = "apply" | "verify" | "undo" | "undo-force";

export function StepCard({
  step,
  index,
  next,
  busy,
}: {
  step: SetupStepSummary;
  index: number;
  next: boolean;
  busy: boolean;
}) {
  const client = useQueryClient();
  const id = useId();
  const [confirming, setConfirming] = useState<"apply" | "undo" | "undo-force" | null>(null);
  const [result, setResult] = useState<SetupActionResult | null>(null);
  const preview = useMutation({
    mutationFn: () =>
      apiFetch(`/api/setup/steps/${step.id}/preview`, { method: "POST", schema: setupPreviewSchema }),
  });
  const act = useMutation({
    mutationFn: (action: Action) =>
      apiFetch(`/api/setup/steps/${step.id}/${action === "undo-force" ? "undo" : action}`, {
        method: "POST",
        schema: setupActionResultSchema,
        body:
          action === "verify"
            ? {}
            : action === "undo-force"
              ? { confirm: true, force: true }
              : { confirm: true },
      }),
    onSuccess: (r) => {
      setResult(r);
      setConfirming(null);
      preview.reset();
    },
    onSettled: () => client.invalidateQueries({ queryKey: setupQueries.all() }),
  });
  const p: SetupPreview | undefined = preview.data;
  const canApply = !step.manual && p !== undefined && !p.satisfied && p.refusals.length === 0 && !busy;
  const risky = (p?.changes ?? []).filter((c) => c.risky && c.action !== "unchanged");
  const canUndo =
    step.undoable && ["applied", "verified", "failed", "drifted"].includes(step.status) && !busy;
  const apply = () => (risky.length ? setConfirming("apply") : act.mutate("apply"));
  const undo = () => (step.risky ? setConfirming("undo") : act.mutate("undo"));
  const checks = result?.checks.length ? result.checks : (step.checks ?? []);
  return (
    <Card className={next ? "ring-2 ring-sky-600 dark:ring-sky-400" : ""}>
      <article className="p-4" aria-labelledby={`${id}-title`}>
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <h2 id={`${id}-title`} className="text-base font-semibold text-slate-900 dark:text-white">
            <span className="mr-2 text-slate-500 dark:text-slate-400">{index + 1}.</span>
            {step.title}
          </h2>
          <div className="flex flex-wrap items-center gap-2">
            {step.manual && <Pill tone="neutral">manual</Pill>}
            {step.running && <Pill tone="warn">running…</Pill>}
            <Pill tone={statusTone[step.status]}>{statusText[step.status]}</Pill>
          </div>
        </div>
        <p className="mt-1 text-sm text-slate-700 dark:text-slate-300">{step.why}</p>
        {step.corrections.length > 0 && (
          <details open={next} className="mt-2 text-sm">
            <summary className="cursor-pointer font-medium text-amber-900 dark:text-amber-200">
              Where the design document is wrong here ({step.corrections.length})
            </summary>
            {step.corrections.map((c) => (
              <div
                key={c.document}
                className="mt-2 rounded-lg border-l-4 border-amber-500 bg-amber-50 p-2 dark:bg-amber-950/40"
              >
                <p className="text-amber-950 dark:text-amber-100">
                  <span className="font-semibold">The document says:</span> {c.document}
                </p>
                <p className="text-amber-950 dark:text-amber-100">
                  <span className="font-semibold">That fails because</span> {c.fails}
                </p>
                <p className="text-amber-950 dark:text-amber-100">
                  <span className="font-semibold">The console does:</span> {c.we}
                </p>
              </div>
            ))}
          </details>
        )}
        {step.blockedBy && (
          <p className="mt-2 text-sm text-slate-700 dark:text-slate-300">
            <span className="font-semibold">Waiting for:</span> {step.blockedBy.join("; ")}
          </p>
        )}
        {step.last && (
          <p className="mt-2 text-xs text-slate-600 dark:text-slate-400">
            Last {step.last.action} by {step.last.by} at {new Date(step.last.at).toLocaleString()}:{" "}
            {step.last.ok ? "" : "failed — "}
            {step.last.message}
          </p>
        )}
        {step.progress && (
          <ol
            aria-label="Progress"
            className="mt-2 list-decimal space-y-0.5 pl-5 text-xs text-slate-700 dark:text-slate-300"
          >
            {step.progress.map((line, i) => (
              <li key={i}>{line}</li>
            ))}
          </ol>
        )}
        <div className="mt-3 flex flex-wrap gap-2">
          <button
            type="button"
            className={next && !p && !step.manual ? primaryButtonClass : secondaryButtonClass}
            disabled={preview.isPending}
            onClick={() => preview.mutate()}
          >
            {preview.isPending
              ? "Loading…"
              : step.manual
                ? p
                  ? "What to do, again"
                  : "What to do"
                : p
                  ? "Preview again"
                  : "Preview"}
          </button>
          {!step.manual && (
            <button
              type="button"
              className={risky.length ? dangerButtonClass : primaryButtonClass}
              disabled={!canApply || act.isPending}
              onClick={apply}
              title={p ? undefined : "Preview first: apply writes what the preview shows"}
            >
              Apply
            </button>
          )}
          <button
            type="button"
            className={step.manual && next ? primaryButtonClass : secondaryButtonClass}
            disabled={act.isPending || busy}
            onClick={() => act.mutate("verify")}
          >
            {act.isPending && act.variables === "verify" ? "Verifying…" : "Verify"}
          </button>
          {canUndo && (
            <button type="button" className={secondaryButtonClass} disabled={act.isPending} onClick={undo}>
              Undo
            </button>
          )}
        </div>
        {step.id === "kubeconfig" && <KubeconfigDownload />}
        {(step.id === "join-command" || step.id === "dns-round-robin") && (
          <p className="mt-3 text-sm">
            <Link href="/failover" className="font-medium text-sky-800 underline dark:text-sky-300">
              Measure this option's failover on the Failover page
            </Link>{" "}
            (choose the round-robin name among the endpoints).
          </p>
        )}
        {confirming && (
          <div className="mt-3 rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm dark:border-amber-800 dark:bg-amber-950/40">
            <p className="font-semibold text-amber-950 dark:text-amber-100">
              {confirming === "apply"
                ? `This changes the live cluster: ${risky.map((c) => `${c.action} ${c.object} on ${c.target}`).join("; ")}.`
                : confirming === "undo-force"
                  ? "Undo removes what this step wrote, and what was there before it is not put back (restore it by hand from the apply's audit entry)."
                  : `Undo changes the live cluster: it removes what this step wrote, or puts back what was there before${step.id === "apiserver-config" ? ", and restarts k3s on each server, one at a time" : ""}.`}
            </p>
            <div className="mt-2 flex flex-wrap gap-2">
              <button
                type="button"
                className={dangerButtonClass}
                disabled={act.isPending}
                onClick={() => act.mutate(confirming)}
              >
                {act.isPending
                  ? "Working…"
                  : confirming === "apply"
                    ? "Apply to the live cluster"
                    : confirming === "undo-force"
                      ? "Undo anyway"
                      : "Undo on the live cluster"}
              </button>
              <button type="button" className={secondaryButtonClass} onClick={() => setConfirming(null)}>
                Cancel
              </button>
            </div>
          </div>
        )}
        {preview.isError && (
          <div className="mt-3">
            <FormAlert>{(preview.error as Error).message}</FormAlert>
          </div>
        )}
        {act.isError && (
          <div className="mt-3">
            <FormAlert>{(act.error as Error).message}</FormAlert>
            {isApiError(act.error, "UNDO_REFUSED") && confirming !== "undo-force" && (
              <button
                type="button"
                className={`${dangerButtonClass} mt-2`}
                onClick={() => setConfirming("undo-force")}
              >
                Undo without putting that back…
              </button>
            )}
          </div>
        )}
        {result && (
          <p
            role="status"
            className={`mt-3 text-sm ${result.ok ? "text-emerald-800 dark:text-emerald-300" : "text-red-800 dark:text-red-300"}`}
          >
            {result.ok ? "Done: " : "Failed: "}
            {result.message}
          </p>
        )}
        {p && <PreviewPanel preview={p} />}
        <ChecksList checks={checks} />
      </article>
    </Card>
  );
}
