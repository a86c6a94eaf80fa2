// Table columns of the built-in kinds as kubectl shows them (pkg/printers/internalversion), server-side printed.
import { isObject, type JsonObject, type KubeObject } from "../meta.js";
import type { TableColumn } from "./types.js";

/** duration.HumanDuration, as every AGE column renders. */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return "<invalid>";
  if (seconds < 0) return "0s";
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8)
    return hours % 24 === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${hours % 24}h`;
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  const years = Math.floor(hours / 24 / 365);
  if (hours < 24 * 365 * 8) {
    const days = Math.floor(hours / 24) % 365;
    return days === 0 ? `${years}y` : `${years}y${days}d`;
  }
  return `${years}y`;
}

const obj = (v: unknown): JsonObject => (isObject(v) ? v : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const num = (v: unknown) => (typeof v === "number" ? v : 0);
const age = (o: KubeObject, now: Date) =>
  o.metadata.creationTimestamp
    ? humanDuration(now.getTime() - Date.parse(o.metadata.creationTimestamp))
    : "<unknown>";

const col = (name: string, cell: TableColumn["cell"], extra: Partial<TableColumn> = {}): TableColumn => ({
  name,
  type: "string",
  priority: 0,
  cell,
  ...extra,
});
const ageCol = col("Age", (o, now) => age(o, now));
const wide = { priority: 1 };

function readyCondition(o: KubeObject): string | undefined {
  const c = arr(obj(o.status).conditions).find((x) => obj(x).type === "Ready");
  return c ? String(obj(c).status) : undefined;
}

const nodeColumns: TableColumn[] = [
  col("Status", (o) => {
    const ready = readyCondition(o);
    const status = ready === "True" ? "Ready" : ready === "False" ? "NotReady" : "Unknown";
    return obj(o.spec).unschedulable ? `${status},SchedulingDisabled` : status;
  }),
  col("Roles", (o) => {
    const roles = Object.keys(o.metadata.labels ?? {})
      .filter((k) => k.startsWith("node-role.kubernetes.io/"))
      .map((k) => k.slice("node-role.kubernetes.io/".length))
      .sort();
    return roles.length ? roles.join(",") : "<none>";
  }),
  ageCol,
  col("Version", (o) => String(obj(obj(o.status).nodeInfo).kubeletVersion ?? "")),
  col(
    "Internal-IP",
    (o) =>
      String(obj(arr(obj(o.status).addresses).find((a) => obj(a).type === "InternalIP")).address ?? "<none>"),
    wide,
  ),
  col(
    "External-IP",
    (o) =>
      String(obj(arr(obj(o.status).addresses).find((a) => obj(a).type === "ExternalIP")).address ?? "<none>"),
    wide,
  ),
  col("OS-Image", (o) => String(obj(obj(o.status).nodeInfo).osImage ?? ""), wide),
  col("Kernel-Version", (o) => String(obj(obj(o.status).nodeInfo).kernelVersion ?? ""), wide),
  col("Container-Runtime", (o) => String(obj(obj(o.status).nodeInfo).containerRuntimeVersion ?? ""), wide),
];

const podColumns: TableColumn[] = [
  col("Ready", (o) => {
    const statuses = arr(obj(o.status).containerStatuses);
    return `${statuses.filter((s) => obj(s).ready === true).length}/${arr(obj(o.spec).containers).length}`;
  }),
  col("Status", (o) =>
    o.metadata.deletionTimestamp
      ? "Terminating"
      : String(obj(o.status).reason ?? obj(o.status).phase ?? "Unknown"),
  ),
  col(
    "Restarts",
    (o) => arr(obj(o.status).containerStatuses).reduce<number>((n, s) => n + num(obj(s).restartCount), 0),
    { type: "integer" },
  ),
  ageCol,
  col("IP", (o) => String(obj(o.status).podIP ?? "<none>"), wide),
  col("Node", (o) => String(obj(o.spec).nodeName ?? "<none>"), wide),
  col("Nominated Node", (o) => String(obj(o.status).nominatedNodeName ?? "<none>"), wide),
  col("Readiness Gates", () => "<none>", wide),
];

function servicePorts(o: KubeObject): string {
  const ports = arr(obj(o.spec).ports).map((p) => {
    const x = obj(p);
    return x.nodePort ? `${x.port}:${x.nodePort}/${x.protocol ?? "TCP"}` : `${x.port}/${x.protocol ?? "TCP"}`;
  });
  return ports.length ? ports.join(",") : "<none>";
}

const serviceColumns: TableColumn[] = [
  col("Type", (o) => String(obj(o.spec).type ?? "ClusterIP")),
  col("Cluster-IP", (o) => String(obj(o.spec).clusterIP ?? "<none>")),
  col("External-IP", (o) => {
    const ingress = arr(obj(obj(o.status).loadBalancer).ingress).map((i) =>
      String(obj(i).ip ?? obj(i).hostname ?? ""),
    );
    const external = arr(obj(o.spec).externalIPs).map(String);
    const all = [...ingress, ...external].filter(Boolean);
    if (all.length) return all.join(",");
    return obj(o.spec).type === "LoadBalancer" ? "<pending>" : "<none>";
  }),
  col("Port(s)", servicePorts),
  ageCol,
  col(
    "Selector",
    (o) =>
      Object.entries(obj(obj(o.spec).selector))
        .map(([k, v]) => `${k}=${v}`)
        .join(",") || "<none>",
    wide,
  ),
];

const s = (o: KubeObject, field: string) => num(obj(o.status)[field]);

/** printRoleBinding / printClusterRoleBinding (rbac.SubjectsStrings for the wide columns). */
const subjectsOf = (o: KubeObject, kind: string) =>
  arr(o.subjects)
    .map(obj)
    .filter((x) => x.kind === kind)
    .map((x) => (kind === "ServiceAccount" ? `${x.namespace ?? ""}/${x.name}` : String(x.name)))
    .join(", ");
const bindingColumns: TableColumn[] = [
  col("Role", (o) => `${obj(o.roleRef).kind ?? ""}/${obj(o.roleRef).name ?? ""}`),
  ageCol,
  col("Users", (o) => subjectsOf(o, "User"), wide),
  col("Groups", (o) => subjectsOf(o, "Group"), wide),
  col("ServiceAccounts", (o) => subjectsOf(o, "ServiceAccount"), wide),
];

export const BUILTIN_COLUMNS: Record<string, TableColumn[]> = {
  nodes: nodeColumns,
  pods: podColumns,
  services: serviceColumns,
  namespaces: [col("Status", (o) => String(obj(o.status).phase ?? "")), ageCol],
  deployments: [
    col("Ready", (o) => `${s(o, "readyReplicas")}/${num(obj(o.spec).replicas)}`),
    col("Up-to-date", (o) => s(o, "updatedReplicas"), { type: "integer" }),
    col("Available", (o) => s(o, "availableReplicas"), { type: "integer" }),
    ageCol,
  ],
  daemonsets: [
    col("Desired", (o) => s(o, "desiredNumberScheduled"), { type: "integer" }),
    col("Current", (o) => s(o, "currentNumberScheduled"), { type: "integer" }),
    col("Ready", (o) => s(o, "numberReady"), { type: "integer" }),
    col("Up-to-date", (o) => s(o, "updatedNumberScheduled"), { type: "integer" }),
    col("Available", (o) => s(o, "numberAvailable"), { type: "integer" }),
    col(
      "Node Selector",
      (o) =>
        Object.entries(obj(obj(obj(obj(o.spec).template).spec).nodeSelector))
          .map(([k, v]) => `${k}=${v}`)
          .join(",") || "<none>",
    ),
    ageCol,
  ],
  replicasets: [
    col("Desired", (o) => num(obj(o.spec).replicas), { type: "integer" }),
    col("Current", (o) => s(o, "replicas"), { type: "integer" }),
    col("Ready", (o) => s(o, "readyReplicas"), { type: "integer" }),
    ageCol,
  ],
  endpoints: [
    col("Endpoints", (o) => {
      const eps = arr(o.subsets).flatMap((sub) =>
        arr(obj(sub).addresses).flatMap((a) =>
          arr(obj(sub).ports).map(
            (p) => `${String(obj(a).ip).includes(":") ? `[${obj(a).ip}]` : obj(a).ip}:${obj(p).port}`,
          ),
        ),
      );
      return eps.length ? eps.join(",") : "<none>";
    }),
    ageCol,
  ],
  endpointslices: [
    col("AddressType", (o) => String(o.addressType ?? "")),
    col(
      "Ports",
      (o) =>
        arr(o.ports)
          .map((p) => String(obj(p).port))
          .join(",") || "<unset>",
    ),
    col(
      "Endpoints",
      (o) =>
        arr(o.endpoints)
          .flatMap((e) => arr(obj(e).addresses).map(String))
          .join(",") || "<unset>",
    ),
    ageCol,
  ],
  rolebindings: bindingColumns,
  clusterrolebindings: bindingColumns,
  validatingwebhookconfigurations: [
    col("Webhooks", (o) => arr(o.webhooks).length, { type: "integer" }),
    ageCol,
  ],
  leases: [col("Holder", (o) => String(obj(o.spec).holderIdentity ?? "")), ageCol],
  poddisruptionbudgets: [
    col("Min Available", (o) => String(obj(o.spec).minAvailable ?? "N/A")),
    col("Max Unavailable", (o) => String(obj(o.spec).maxUnavailable ?? "N/A")),
    col("Allowed Disruptions", (o) => s(o, "disruptionsAllowed"), { type: "integer" }),
    ageCol,
  ],
  configmaps: [
    col("Data", (o) => Object.keys(obj(o.data)).length + Object.keys(obj(o.binaryData)).length, {
      type: "integer",
    }),
    ageCol,
  ],
  secrets: [
    col("Type", (o) => String(o.type ?? "")),
    col("Data", (o) => Object.keys(obj(o.data)).length, { type: "integer" }),
    ageCol,
  ],
  events: [
    col("Last Seen", (o, now) =>
      o.lastTimestamp ? humanDuration(now.getTime() - Date.parse(String(o.lastTimestamp))) : "<unknown>",
    ),
    col("Type", (o) => String(o.type ?? "")),
    col("Reason", (o) => String(o.reason ?? "")),
    col(
      "Object",
      (o) => `${String(obj(o.involvedObject).kind ?? "").toLowerCase()}/${obj(o.involvedObject).name ?? ""}`,
    ),
    col("Message", (o) => String(o.message ?? "")),
  ],
};

/** What a kind without printers shows: Name and Created At (the default table convertor). */
export const DEFAULT_COLUMNS: TableColumn[] = [
  col("Created At", (o) => o.metadata.creationTimestamp ?? "", { type: "date" }),
];

/** A custom resource with no additionalPrinterColumns shows its age. */
export const CUSTOM_DEFAULT_COLUMNS: TableColumn[] = [ageCol];
