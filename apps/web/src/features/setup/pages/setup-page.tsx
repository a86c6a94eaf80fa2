// Route /setup: the guided setup for the VIP option, the DNS round-robin option or both — every step with its
// status, the next safe action marked, and who else is applying something right now.
import type { SetupOption } from "@k3s-ha/shared";
import { useQuery } from "@tanstack/react-query";
import { useId, useState } from "react";
import { LoadError, Loading, PageHeader } from "../../../components/ui";
import { nextStep } from "../components/format";
import { StepCard } from "../components/step-card";
import { setupQueries } from "../queries";

const OPTIONS: { value: SetupOption | "both"; label: string; hint: string }[] = [
  {
    value: "vip",
    label: "API VIP (option 1)",
    hint: "MetalLB allocates the VIP, Calico advertises it over BGP",
  },
  { value: "dns", label: "DNS round-robin (option 2)", hint: "one AAAA per server under one name" },
  { value: "both", label: "Both", hint: "every step once" },
];

export function SetupPage() {
  const id = useId();
  const [option, setOption] = useState<SetupOption | "both">("vip");
  const steps = useQuery(setupQueries.steps(option === "both" ? undefined : option));
  const next = steps.data ? nextStep(steps.data.steps) : undefined;
  const op = steps.data?.operation;
  return (
    <>
      <PageHeader title="Setup">
        Each step is rendered from the plan and the live cluster: preview what it changes, apply it, and let
        the console prove its effect. Where the design document is wrong, the step says so.
      </PageHeader>
      <fieldset className="mb-4">
        <legend className="text-sm font-semibold text-slate-800 dark:text-slate-100">Option</legend>
        <div className="mt-2 flex flex-wrap gap-2">
          {OPTIONS.map((o) => (
            <label
              key={o.value}
              className="flex cursor-pointer items-start gap-2 rounded-lg px-3 py-2 text-sm ring-1 ring-slate-300 ring-inset has-[:checked]:bg-sky-50 has-[:checked]:ring-sky-600 dark:ring-slate-600 dark:has-[:checked]:bg-sky-950"
            >
              <input
                type="radio"
                name={`${id}-option`}
                value={o.value}
                checked={option === o.value}
                onChange={() => setOption(o.value)}
                className="mt-1"
              />
              <span>
                <span className="font-medium text-slate-900 dark:text-slate-100">{o.label}</span>
                <span className="block text-xs text-slate-600 dark:text-slate-400">{o.hint}</span>
              </span>
            </label>
          ))}
        </div>
      </fieldset>
      {op && (
        <p
          role="status"
          className="mb-4 rounded-lg bg-amber-50 p-3 text-sm text-amber-900 dark:bg-amber-950/40 dark:text-amber-200"
        >
          Busy: {op.user} is {op.what} ({op.kind} {op.id}, since {new Date(op.since).toLocaleTimeString()}).
          Apply and undo wait until it is done.
        </p>
      )}
      {steps.isPending ? (
        <Loading what="the setup steps" />
      ) : steps.isError ? (
        <LoadError what="the setup steps" error={steps.error} />
      ) : (
        <>
          <p role="status" className="mb-4 text-sm text-slate-700 dark:text-slate-300">
            {next ? (
              <>
                <span className="font-semibold">Next:</span> {next.title} (
                {next.manual ? "run Verify" : "preview, then apply"}).
              </>
            ) : (
              "Every step of this option is done or waiting for an earlier one."
            )}
          </p>
          <ol className="space-y-4">
            {steps.data.steps.map((s, i) => (
              <li key={s.id}>
                <StepCard step={s} index={i} next={s.id === next?.id} busy={Boolean(op)} />
              </li>
            ))}
          </ol>
        </>
      )}
    </>
  );
}
