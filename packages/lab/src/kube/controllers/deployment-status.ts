// A Deployment's status as the deployment controller computes it (calculateStatus, syncRolloutStatus): counts summed
// over its ReplicaSets, and the Available and Progressing conditions with upstream reasons and messages.
import { type KubeClient, R } from "../client.js";
import {
  type Condition,
  clone,
  isObject,
  type JsonObject,
  jsonEqual,
  type KubeObject,
  nowIso,
  setCondition,
} from "../meta.js";
import { specOf } from "./workload-pods.js";

const num = (v: unknown) => (typeof v === "number" ? v : 0);
export const statusNum = (o: KubeObject | undefined, field: string) =>
  num(isObject(o?.status) ? o.status[field] : 0);

export function writeStatus(
  c: KubeClient,
  d: KubeObject,
  current: KubeObject | undefined,
  sets: KubeObject[],
  minAvailable: number,
  created: boolean,
): void {
  const sum = (field: string) => sets.reduce((n, rs) => n + statusNum(rs, field), 0);
  const desired = Number(specOf(d).replicas ?? 1);
  const available = sum("availableReplicas");
  const specTotal = sets.reduce((n, rs) => n + Number(specOf(rs).replicas ?? 0), 0);
  const counts: JsonObject = {
    observedGeneration: d.metadata.generation ?? 1,
    replicas: sum("replicas"),
    updatedReplicas: statusNum(current, "replicas"),
    readyReplicas: sum("readyReplicas"),
    availableReplicas: available,
    unavailableReplicas: Math.max(0, specTotal - available),
  };
  for (const [k, v] of Object.entries(counts)) if (v === 0 && k !== "observedGeneration") delete counts[k];
  const old = isObject(d.status) ? d.status : {};
  const now = nowIso();
  const conditions = clone((Array.isArray(old.conditions) ? old.conditions : []) as Condition[]);
  const keepTimes = (next: Condition): Condition => {
    const prev = conditions.find((x) => x.type === next.type);
    const same =
      prev && prev.status === next.status && prev.reason === next.reason && prev.message === next.message;
    return same ? { ...next, lastUpdateTime: prev.lastUpdateTime ?? now } : { ...next, lastUpdateTime: now };
  };
  const ok = available >= minAvailable;
  setCondition(
    conditions,
    keepTimes({
      type: "Available",
      status: ok ? "True" : "False",
      reason: ok ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
      message: ok ? "Deployment has minimum availability." : "Deployment does not have minimum availability.",
    }),
    now,
  );
  if (current)
    setCondition(
      conditions,
      keepTimes(progressing(d, current, conditions, sum("replicas"), available, desired, created)),
      now,
    );
  const status: JsonObject = {
    ...counts,
    conditions,
    ...(old.collisionCount !== undefined ? { collisionCount: old.collisionCount } : {}),
  };
  if (!jsonEqual(old, status)) c.updateStatus(R.deployments, { ...d, status });
}

/** The Progressing condition: created, progressing, complete, or past progressDeadlineSeconds. */
function progressing(
  d: KubeObject,
  rs: KubeObject,
  conditions: Condition[],
  replicas: number,
  available: number,
  desired: number,
  created: boolean,
): Condition {
  const name = rs.metadata.name ?? "";
  const prev = conditions.find((x) => x.type === "Progressing");
  const complete = statusNum(rs, "replicas") === desired && replicas === desired && available >= desired;
  if (complete)
    return {
      type: "Progressing",
      status: "True",
      reason: "NewReplicaSetAvailable",
      message: `ReplicaSet "${name}" has successfully progressed.`,
    };
  if (created || !prev)
    return {
      type: "Progressing",
      status: "True",
      reason: "NewReplicaSetCreated",
      message: `Created new replica set "${name}"`,
    };
  const deadline = Number(specOf(d).progressDeadlineSeconds ?? 600) * 1000;
  const since = Date.parse(prev.lastUpdateTime ?? prev.lastTransitionTime ?? "") || Date.now();
  if (
    prev.reason === "ProgressDeadlineExceeded" ||
    (prev.reason !== "NewReplicaSetAvailable" && Date.now() - since > deadline)
  )
    return {
      type: "Progressing",
      status: "False",
      reason: "ProgressDeadlineExceeded",
      message: `ReplicaSet "${name}" has timed out progressing.`,
    };
  const sameRs = prev.message?.includes(`"${name}"`) === true;
  return sameRs && (prev.reason === "NewReplicaSetCreated" || prev.reason === "ReplicaSetUpdated")
    ? { ...prev }
    : {
        type: "Progressing",
        status: "True",
        reason: "ReplicaSetUpdated",
        message: `ReplicaSet "${name}" is progressing.`,
      };
}
