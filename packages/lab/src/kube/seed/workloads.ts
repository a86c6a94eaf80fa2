// Workloads with their ReplicaSets/pods as a running cluster shows them: owner references, hashes, ready status.
import { type KubeClient, R } from "../client.js";
import { pinnedToNode, withDaemonTolerations } from "../controllers/scheduling.js";
import { templateHash } from "../controllers/template-hash.js";
import { controllerRef, type JsonObject, type KubeObject, nowIso } from "../meta.js";
import { TEMPLATE_GENERATION } from "../resources/workloads.js";

const HASH_CHARS = "bcdfghjklmnpqrstvwxz2456789";
const randomSuffix = (n: number) =>
  Array.from({ length: n }, () => HASH_CHARS[Math.floor(Math.random() * HASH_CHARS.length)]).join("");

export interface ContainerSpec {
  name: string;
  image: string;
  ports?: Array<{ name?: string; containerPort: number; protocol?: string }>;
  readinessProbe?: JsonObject;
}

export interface WorkloadSpec {
  kind: "Deployment" | "DaemonSet";
  namespace: string;
  name: string;
  labels: Record<string, string>;
  containers: ContainerSpec[];
  /** Nodes the pods run on: one per node for a DaemonSet, the first one for a Deployment. */
  nodes: string[];
  hostNetwork?: boolean;
  priorityClassName?: string;
  /** emptyDir volumes (drain needs --delete-emptydir-data for such pods). */
  emptyDirs?: string[];
  tolerations?: JsonObject[];
}

/**
 * A Running pod as the kubelet reports it: every container ready, except those named in `unready` (started but not
 * yet passing their readiness probe), which also keep the pod's Ready and ContainersReady conditions False.
 */
export function runningPodStatus(
  pod: KubeObject,
  hostIP: string,
  podIP: string,
  now: string,
  unready: readonly string[] = [],
): JsonObject {
  const containers = ((pod.spec as JsonObject).containers as ContainerSpec[]).map((c, i) => ({
    name: c.name,
    image: c.image,
    imageID: `${c.image.split(":")[0]}@sha256:${"0".repeat(63)}${i}`,
    containerID: `containerd://${randomSuffix(12)}`,
    ready: !unready.includes(c.name),
    started: true,
    restartCount: 0,
    state: { running: { startedAt: now } },
  }));
  const waiting = unready.length > 0;
  const condition = (type: string) => {
    const notReady = waiting && (type === "Ready" || type === "ContainersReady");
    return {
      type,
      status: notReady ? "False" : "True",
      lastProbeTime: null,
      lastTransitionTime: now,
      ...(notReady
        ? { reason: "ContainersNotReady", message: `containers with unready status: [${unready.join(" ")}]` }
        : {}),
    };
  };
  return {
    phase: "Running",
    conditions: ["PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled"].map(
      condition,
    ),
    hostIP,
    hostIPs: [{ ip: hostIP }],
    podIP,
    podIPs: [{ ip: podIP }],
    startTime: now,
    containerStatuses: containers,
    qosClass: "BestEffort",
  };
}

function podTemplate(w: WorkloadSpec, extraLabels: Record<string, string>): JsonObject {
  return {
    metadata: { labels: { ...w.labels, ...extraLabels } },
    spec: {
      containers: w.containers.map((c) => ({ ...c })),
      ...(w.hostNetwork ? { hostNetwork: true, dnsPolicy: "ClusterFirstWithHostNet" } : {}),
      ...(w.priorityClassName ? { priorityClassName: w.priorityClassName } : {}),
      ...(w.emptyDirs?.length ? { volumes: w.emptyDirs.map((name) => ({ name, emptyDir: {} })) } : {}),
      ...(w.tolerations ? { tolerations: w.tolerations } : {}),
    },
  };
}

const ownerRef = (o: KubeObject) => controllerRef(o.apiVersion ?? "", o.kind ?? "", o);

export interface PodPlacement {
  node: string;
  hostIP: string;
  podIP: string;
}

function createPod(
  client: KubeClient,
  owner: KubeObject,
  template: JsonObject,
  extraLabels: Record<string, string>,
  spec: JsonObject,
  at: PodPlacement,
  now: string,
) {
  const meta = template.metadata as JsonObject;
  const pod = client.create(R.pods, {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name: `${owner.metadata.name}-${randomSuffix(5)}`,
      generateName: `${owner.metadata.name}-`,
      namespace: owner.metadata.namespace,
      labels: { ...(meta.labels as Record<string, string>), ...extraLabels },
      ownerReferences: [ownerRef(owner)],
    },
    spec: { ...spec, nodeName: at.node },
  });
  return client.updateStatus(R.pods, { ...pod, status: runningPodStatus(pod, at.hostIP, at.podIP, now) });
}

const templateOf = (o: KubeObject) => (o.spec as JsonObject).template as JsonObject;

/** A DaemonSet meant for some of the cluster's nodes only says so, as the DaemonSet controller reads it. */
function onlyOn(client: KubeClient, nodes: string[]): JsonObject {
  const all = client.list(R.nodes).map((n) => n.metadata.name ?? "");
  if (all.length === 0 || all.every((n) => nodes.includes(n))) return {};
  const term = { matchExpressions: [{ key: "kubernetes.io/hostname", operator: "In", values: nodes }] };
  return {
    affinity: {
      nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [term] } },
    },
  };
}

function createDaemonSet(client: KubeClient, w: WorkloadSpec, place: (node: string) => PodPlacement) {
  const now = nowIso();
  const base = podTemplate(w, {});
  const ds = client.create(R.daemonsets, {
    apiVersion: "apps/v1",
    kind: "DaemonSet",
    metadata: { name: w.name, namespace: w.namespace, labels: w.labels },
    spec: {
      selector: { matchLabels: w.labels },
      template: { ...base, spec: { ...(base.spec as JsonObject), ...onlyOn(client, w.nodes) } },
    },
  });
  const template = templateOf(ds);
  const generation = ds.metadata.annotations?.[TEMPLATE_GENERATION] ?? "1";
  const labels = {
    "controller-revision-hash": templateHash(template),
    "pod-template-generation": generation,
  };
  const spec = withDaemonTolerations(template.spec as JsonObject);
  const pods = w.nodes.map((node) =>
    createPod(client, ds, template, labels, pinnedToNode(spec, node), place(node), now),
  );
  const n = w.nodes.length;
  client.updateStatus(R.daemonsets, {
    ...ds,
    status: {
      currentNumberScheduled: n,
      numberMisscheduled: 0,
      desiredNumberScheduled: n,
      numberReady: n,
      observedGeneration: 1,
      updatedNumberScheduled: n,
      numberAvailable: n,
    },
  });
  return pods;
}

function createDeployment(client: KubeClient, w: WorkloadSpec, place: (node: string) => PodPlacement) {
  const now = nowIso();
  const deploy = client.create(R.deployments, {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: {
      name: w.name,
      namespace: w.namespace,
      labels: w.labels,
      annotations: { "deployment.kubernetes.io/revision": "1" },
    },
    spec: { replicas: 1, selector: { matchLabels: w.labels }, template: podTemplate(w, {}) },
  });
  const hash = templateHash(templateOf(deploy));
  const labels = { ...w.labels, "pod-template-hash": hash };
  const template: JsonObject = {
    ...templateOf(deploy),
    metadata: { ...(templateOf(deploy).metadata as JsonObject), labels },
  };
  const rsName = `${w.name}-${hash}`;
  const rs = client.create(R.replicasets, {
    apiVersion: "apps/v1",
    kind: "ReplicaSet",
    metadata: {
      name: rsName,
      namespace: w.namespace,
      labels,
      // What the deployment controller keeps on its ReplicaSets (one replica, surge 25% rounded up: at most 2).
      annotations: {
        "deployment.kubernetes.io/desired-replicas": "1",
        "deployment.kubernetes.io/max-replicas": "2",
        "deployment.kubernetes.io/revision": "1",
      },
      ownerReferences: [ownerRef(deploy)],
    },
    spec: { replicas: 1, selector: { matchLabels: labels }, template },
  });
  const node = w.nodes[0];
  const pods = node
    ? [createPod(client, rs, template, {}, template.spec as JsonObject, place(node), now)]
    : [];
  client.updateStatus(R.replicasets, {
    ...rs,
    status: {
      replicas: 1,
      fullyLabeledReplicas: 1,
      readyReplicas: 1,
      availableReplicas: 1,
      observedGeneration: 1,
    },
  });
  client.updateStatus(R.deployments, {
    ...deploy,
    status: {
      observedGeneration: 1,
      replicas: 1,
      updatedReplicas: 1,
      readyReplicas: 1,
      availableReplicas: 1,
      conditions: [
        {
          type: "Available",
          status: "True",
          lastUpdateTime: now,
          lastTransitionTime: now,
          reason: "MinimumReplicasAvailable",
          message: "Deployment has minimum availability.",
        },
        {
          type: "Progressing",
          status: "True",
          lastUpdateTime: now,
          lastTransitionTime: now,
          reason: "NewReplicaSetAvailable",
          message: `ReplicaSet "${rsName}" has successfully progressed.`,
        },
      ],
    },
  });
  return pods;
}

/**
 * Creates a Deployment (with its ReplicaSet) or a DaemonSet, its running pods, and their statuses, in one
 * transaction: the workload controllers of running API servers see it whole and adopt it as theirs.
 */
export function createWorkload(
  client: KubeClient,
  w: WorkloadSpec,
  place: (node: string) => PodPlacement,
): KubeObject[] {
  return client.api.store.write(() =>
    w.kind === "DaemonSet" ? createDaemonSet(client, w, place) : createDeployment(client, w, place),
  );
}
