// The offer to create a CalicoNodeStatus per node: calico-node reports its BGP sessions only into objects someone
// created, and with them Calico's view can be read through the API when SSH to a node fails. A write to the cluster,
// so it says exactly what it creates and asks first.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { z } from "zod";
import { Card, CardTitle, FormAlert, Mono, primaryButtonClass } from "../../../components/ui";
import { apiFetch, isApiError } from "../../../lib/api";
import { planQueries } from "../../plan/queries";
import { clusterQueries } from "../queries";

const resultSchema = z.object({ created: z.array(z.string()), existing: z.array(z.string()) });

export function NodeStatusOffer() {
  const cluster = useQuery(clusterQueries.current());
  const plan = useQuery(planQueries.current());
  const client = useQueryClient();
  const [asking, setAsking] = useState(false);
  const create = useMutation({
    mutationFn: () =>
      apiFetch("/api/calico/node-statuses", { method: "POST", body: {}, schema: resultSchema }),
    onSettled: () => client.invalidateQueries({ queryKey: clusterQueries.all() }),
  });
  const snapshot = cluster.data?.cluster;
  const nodes = plan.data?.plan?.nodes.map((n) => n.name) ?? [];
  if (snapshot?.resources.caliconodestatuses?.status !== "ok" || nodes.length === 0) return null;
  const covered = new Set(snapshot.calico.nodeStatuses.map((s) => s.node));
  const missing = nodes.filter((n) => !covered.has(n));
  if (missing.length === 0 && !create.data) return null;
  return (
    <Card>
      <CardTitle>Calico's view through the Kubernetes API</CardTitle>
      <div className="space-y-3 p-4 text-sm">
        {create.data ? (
          <p role="status">
            {create.data.created.length
              ? `Created for ${create.data.created.join(", ")}. calico-node fills them within its update period (10 s).`
              : "Every node has one already."}
          </p>
        ) : (
          <p>
            {missing.join(", ")} {missing.length === 1 ? "has" : "have"} no CalicoNodeStatus, so Calico's
            sessions there can be read over SSH only. calico-node reports only into objects someone created.
          </p>
        )}
        {create.isError && (
          <FormAlert>
            {isApiError(create.error) ? create.error.message : "The objects could not be created."}
          </FormAlert>
        )}
        {missing.length > 0 &&
          (asking ? (
            <div className="space-y-2 rounded-lg border border-slate-200 p-3 dark:border-slate-700">
              <p>
                This creates {missing.length} CalicoNodeStatus object{missing.length === 1 ? "" : "s"} in the
                cluster (
                {missing.map((n) => (
                  <Mono key={n}>k3s-ha-{n} </Mono>
                ))}
                ) asking for the Agent and BGP status every 10 s. Nothing else changes; it is recorded in the
                audit log.
              </p>
              <div className="flex gap-2">
                <button
                  type="button"
                  className={primaryButtonClass}
                  disabled={create.isPending}
                  onClick={() => create.mutate(undefined, { onSettled: () => setAsking(false) })}
                >
                  {create.isPending ? "Creating…" : "Create them"}
                </button>
                <button
                  type="button"
                  className="rounded-lg px-3 py-2 text-sm font-semibold text-slate-700 ring-1 ring-slate-300 ring-inset hover:bg-slate-50 dark:text-slate-200 dark:ring-slate-600 dark:hover:bg-slate-800"
                  onClick={() => setAsking(false)}
                >
                  Cancel
                </button>
              </div>
            </div>
          ) : (
            <button type="button" className={primaryButtonClass} onClick={() => setAsking(true)}>
              Create CalicoNodeStatus objects…
            </button>
          ))}
      </div>
    </Card>
  );
}
