// Recording core/v1 Events as client-go's recorder does: one object per (object, reason, message), count aggregated.
import { randomBytes } from "node:crypto";
import { type KubeClient, R } from "../client.js";
import { isObject, type KubeObject, nowIso } from "../meta.js";

export type EventType = "Normal" | "Warning";

export function recordEvent(
  client: KubeClient,
  involved: KubeObject,
  type: EventType,
  reason: string,
  message: string,
  component: string,
): KubeObject {
  const namespace = involved.metadata.namespace || "default";
  const now = nowIso();
  const uid = involved.metadata.uid ?? "";
  const same = client
    .list(R.events, { namespace, fieldSelector: `involvedObject.uid=${uid},reason=${reason}` })
    .find((e) => e.message === message && isObject(e.source) && e.source.component === component);
  if (same) {
    return client.update(R.events, { ...same, count: Number(same.count ?? 1) + 1, lastTimestamp: now });
  }
  return client.create(R.events, {
    apiVersion: "v1",
    kind: "Event",
    metadata: { name: `${involved.metadata.name ?? "object"}.${randomBytes(8).toString("hex")}`, namespace },
    involvedObject: {
      kind: involved.kind,
      namespace: involved.metadata.namespace,
      name: involved.metadata.name,
      uid,
      apiVersion: involved.apiVersion,
      resourceVersion: involved.metadata.resourceVersion,
    },
    reason,
    message,
    source: { component },
    firstTimestamp: now,
    lastTimestamp: now,
    count: 1,
    type,
    eventTime: null,
    reportingComponent: component,
    reportingInstance: "",
  });
}
