// The form that starts a failover run: the scenario (what it does to the node, said in words), the node, which ways
// in to probe, the request and how names are dialled, the bounds. A destructive scenario asks the operator to type
// the node's name; the server's preflight answers with its reasons when something is not safe.
import type { FailoverScenario, Plan } from "@k3s-ha/shared";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { useLocation } from "wouter";
import { z } from "zod";
import {
  Card,
  CardTitle,
  dangerButtonClass,
  FormAlert,
  formInputClass,
  primaryButtonClass,
  selectClass,
} from "../../../components/ui";
import { apiFetch, isApiError } from "../../../lib/api";
import { failoverQueries } from "../queries";

const label = "block text-sm font-medium text-slate-800 dark:text-slate-200";
const hint = "mt-1 text-xs text-slate-600 dark:text-slate-400";

interface Draft {
  scenario: FailoverScenario;
  node: string;
  endpoints: string[];
  request: "readyz" | "namespace";
  dial: "go" | "happy-eyeballs";
  intervalMs: number;
  durationS: number;
  faultS: number;
}

function reasonsOf(error: unknown): string[] {
  if (!isApiError(error)) return ["The run could not be started."];
  const details = z.object({ reasons: z.array(z.object({ message: z.string() })) }).safeParse(error.details);
  return details.success ? details.data.reasons.map((r) => r.message) : [error.message];
}

function NumberField(props: {
  id: string;
  label: string;
  value: number;
  min: number;
  max: number;
  onChange: (n: number) => void;
  hint: string;
}) {
  return (
    <div>
      <label className={label} htmlFor={props.id}>
        {props.label}
      </label>
      <input
        id={props.id}
        type="number"
        inputMode="numeric"
        className={formInputClass}
        min={props.min}
        max={props.max}
        value={Number.isFinite(props.value) ? props.value : ""}
        onChange={(e) => props.onChange(e.target.valueAsNumber)}
        aria-describedby={`${props.id}-hint`}
      />
      <p id={`${props.id}-hint`} className={hint}>
        {props.hint}
      </p>
    </div>
  );
}

export function NewRunForm({ plan }: { plan: Plan }) {
  const id = useId();
  const [, navigate] = useLocation();
  const client = useQueryClient();
  const catalog = useQuery(failoverQueries.catalog());
  const servers = plan.nodes.filter((n) => n.role === "server").map((n) => n.name);
  const allEndpoints = ["vip", "vip-name", "round-robin", ...servers.map((s) => `node:${s}`)];
  const [draft, setDraft] = useState<Draft>({
    scenario: "observe",
    node: servers[1] ?? servers[0] ?? "",
    endpoints: allEndpoints,
    request: "readyz",
    dial: "go",
    intervalMs: 100,
    durationS: 60,
    faultS: 10,
  });
  const [typed, setTyped] = useState("");
  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));
  const scenario = catalog.data?.scenarios.find((s) => s.id === draft.scenario);
  const destructive = scenario?.destructive ?? false;
  const confirmed = !destructive || typed.trim() === draft.node;
  const effectText = (scenario?.effect ?? "").replace("faultS seconds", `${draft.faultS} s`);
  const start = useMutation({
    mutationFn: () =>
      apiFetch("/api/failover/runs", {
        method: "POST",
        schema: z.object({ id: z.string() }),
        body: {
          scenario: draft.scenario,
          ...(draft.scenario === "observe" ? {} : { node: draft.node }),
          endpoints: draft.endpoints,
          request: draft.request,
          dial: draft.dial,
          intervalMs: draft.intervalMs,
          durationS: draft.durationS,
          ...(scenario?.fault ? { faultS: draft.faultS } : {}),
          confirm: true,
        },
      }),
    onSuccess: ({ id: runId }) => {
      void client.invalidateQueries({ queryKey: failoverQueries.all() });
      navigate(`/failover/runs/${runId}`);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (confirmed && draft.endpoints.length > 0) start.mutate();
  };
  const lock = catalog.data?.lock;
  return (
    <Card>
      <CardTitle aside="probes only the plan's addresses">New run</CardTitle>
      <form className="grid gap-4 p-4 md:grid-cols-2" onSubmit={submit} noValidate>
        <div className="md:col-span-2">
          <label className={label} htmlFor={`${id}-scenario`}>
            Scenario
          </label>
          <select
            id={`${id}-scenario`}
            className={selectClass}
            value={draft.scenario}
            onChange={(e) => {
              set({ scenario: e.target.value as FailoverScenario });
              setTyped("");
            }}
          >
            {catalog.data?.scenarios.map((s) => (
              <option key={s.id} value={s.id} disabled={!s.available}>
                {s.title}
                {s.available ? "" : " (not available yet)"}
              </option>
            ))}
          </select>
          {scenario && (
            <p className={hint}>
              {scenario.id === "observe" ? "Does nothing to the cluster: " : "On the node: "}
              {effectText}.
            </p>
          )}
        </div>
        {draft.scenario !== "observe" && (
          <div>
            <label className={label} htmlFor={`${id}-node`}>
              Node
            </label>
            <select
              id={`${id}-node`}
              className={selectClass}
              value={draft.node}
              onChange={(e) => {
                set({ node: e.target.value });
                setTyped("");
              }}
            >
              {servers.map((s) => (
                <option key={s}>{s}</option>
              ))}
            </select>
            <p className={hint}>Servers only: an agent serves no API to measure.</p>
          </div>
        )}
        {scenario?.fault && (
          <NumberField
            id={`${id}-fault`}
            label={scenario.fault === "drop" ? "Fault (s)" : "Fault held for (s)"}
            value={draft.faultS}
            min={1}
            max={600}
            onChange={(faultS) => set({ faultS })}
            hint={
              scenario.fault === "drop"
                ? "How long the node's traffic is dropped (1-600 s); it heals by itself."
                : "How long the node stays so before the restore (1-600 s)."
            }
          />
        )}
        <fieldset className="md:col-span-2">
          <legend className={label}>Probe through</legend>
          <div className="mt-2 flex flex-wrap gap-x-4 gap-y-2">
            {allEndpoints.map((e) => (
              <label key={e} className="flex items-center gap-2 text-sm">
                <input
                  type="checkbox"
                  checked={draft.endpoints.includes(e)}
                  onChange={(ev) =>
                    set({
                      endpoints: ev.target.checked
                        ? allEndpoints.filter((x) => x === e || draft.endpoints.includes(x))
                        : draft.endpoints.filter((x) => x !== e),
                    })
                  }
                />
                <span className="font-mono text-[0.8125rem]">{e}</span>
              </label>
            ))}
          </div>
          <p className={hint}>
            Each through a new connection per probe and one kept-alive connection. The node under test is
            always probed directly.
          </p>
        </fieldset>
        <div>
          <label className={label} htmlFor={`${id}-request`}>
            Request
          </label>
          <select
            id={`${id}-request`}
            className={selectClass}
            value={draft.request}
            onChange={(e) => set({ request: e.target.value as Draft["request"] })}
          >
            <option value="readyz">GET /readyz</option>
            <option value="namespace">GET a namespace (watch cache)</option>
          </select>
          <p className={hint}>With the kubeconfig's credentials; a 401 or 403 is never counted as up.</p>
        </div>
        <div>
          <label className={label} htmlFor={`${id}-dial`}>
            Names dialled as
          </label>
          <select
            id={`${id}-dial`}
            className={selectClass}
            value={draft.dial}
            onChange={(e) => set({ dial: e.target.value as Draft["dial"] })}
          >
            <option value="go">Go's dialer (kubectl, client-go)</option>
            <option value="happy-eyeballs">Node's happy eyeballs</option>
          </select>
          <p className={hint}>
            {draft.dial === "go"
              ? "Addresses in DNS order; the deadline is split between them, at least 2 s each — a dead first address takes the whole of a short timeout."
              : "Addresses in DNS order, each given 250 ms before the next is tried."}
          </p>
        </div>
        <NumberField
          id={`${id}-interval`}
          label="Interval (ms)"
          value={draft.intervalMs}
          min={50}
          max={5000}
          onChange={(intervalMs) => set({ intervalMs })}
          hint="50-5000 ms between probes of each way in; a slow probe never delays the next."
        />
        <NumberField
          id={`${id}-duration`}
          label="Duration (s)"
          value={draft.durationS}
          min={1}
          max={1800}
          onChange={(durationS) => set({ durationS })}
          hint="1-1800 s of probing; the action comes after a tenth of it (1-10 s) of baseline."
        />
        {destructive && (
          <div className="rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm md:col-span-2 dark:border-amber-800 dark:bg-amber-950/40">
            <p className="font-semibold text-amber-900 dark:text-amber-200">
              On {draft.node}, this {effectText}.{" "}
              {scenario?.restore.length
                ? `Afterwards — and on abort or failure — the restore runs: ${scenario.restore.join(", then ")}.`
                : "Nothing needs restoring afterwards."}
            </p>
            <label className={`${label} mt-2`} htmlFor={`${id}-confirm`}>
              Type <span className="font-mono">{draft.node}</span> to confirm
            </label>
            <input
              id={`${id}-confirm`}
              className={formInputClass}
              value={typed}
              autoComplete="off"
              spellCheck={false}
              onChange={(e) => setTyped(e.target.value)}
            />
          </div>
        )}
        {lock && (
          <p role="status" className="text-sm text-amber-800 md:col-span-2 dark:text-amber-200">
            Busy: {lock.description}.
          </p>
        )}
        {start.isError && (
          <div className="md:col-span-2">
            <FormAlert>
              {reasonsOf(start.error).length > 1 ? "The preflight failed:" : null}
              {reasonsOf(start.error).map((r) => (
                <span key={r} className="block">
                  {r}
                </span>
              ))}
            </FormAlert>
          </div>
        )}
        <div className="md:col-span-2">
          <button
            type="submit"
            className={destructive ? dangerButtonClass : primaryButtonClass}
            disabled={!confirmed || start.isPending || draft.endpoints.length === 0 || Boolean(lock)}
          >
            {start.isPending
              ? "Starting…"
              : destructive
                ? `Start ${scenario?.title ?? ""} on ${draft.node}`
                : "Start observing"}
          </button>
        </div>
      </form>
    </Card>
  );
}
