// Workloads with their ReplicaSets/pods as a running cluster shows them: owner references, hashes, ready status.
import { type KubeClient, R } from "../client.js";
import { controllerRef, type JsonObject, type KubeObject, nowIso } from "../meta.js";

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

/** A Running pod whose containers are all ready (what the kubelet reports for a healthy pod). */
export function runningPodStatus(pod: KubeObject, hostIP: string, podIP: string, now: string): JsonObject {
  const containers = ((pod.spec as JsonObject).containers as ContainerSpec[]).map((c, i) => ({
    name: c.name,
    image: c.image,
    imageID: `${c.image.split(":")[0]}@sha256:${"0".repeat(63)}${i}`,
    containerID: `containerd://${randomSuffix(12)}`,
    ready: true,
    started: true,
    restartCount: 0,
    state: { running: { startedAt: now } },
  }));
  const condition = (type: string) => ({
    type,
    status: "True",
    lastProbeTime: null,
    lastTransitionTime: now,
  });
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
  name: string,
  template: JsonObject,
  at: PodPlacement,
  now: string,
) {
  const meta = template.metadata as JsonObject;
  const pod = client.create(R.pods, {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name,
      namespace: owner.metadata.namespace,
      labels: meta.labels as Record<string, string>,
      ownerReferences: [ownerRef(owner)],
    },
    spec: { ...(template.spec as JsonObject), nodeName: at.node },
  });
  return client.updateStatus(R.pods, { ...pod, status: runningPodStatus(pod, at.hostIP, at.podIP, now) });
}

/** Creates a Deployment (with its ReplicaSet) or a DaemonSet, its running pods, and their statuses. */
export function createWorkload(
  client: KubeClient,
  w: WorkloadSpec,
  place: (node: string) => PodPlacement,
): KubeObject[] {
  const now = nowIso();
  const selector = { matchLabels: w.labels };
  const pods: KubeObject[] = [];
  if (w.kind === "DaemonSet") {
    const revision = randomSuffix(10);
    const template = podTemplate(w, { "controller-revision-hash": revision, "pod-template-generation": "1" });
    const ds = client.create(R.daemonsets, {
      apiVersion: "apps/v1",
      kind: "DaemonSet",
      metadata: { name: w.name, namespace: w.namespace, labels: w.labels },
      spec: { selector, template: podTemplate(w, {}) },
    });
    for (const node of w.nodes)
      pods.push(createPod(client, ds, `${w.name}-${randomSuffix(5)}`, template, place(node), now));
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
  const hash = randomSuffix(10);
  const deploy = client.create(R.deployments, {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: {
      name: w.name,
      namespace: w.namespace,
      labels: w.labels,
      annotations: { "deployment.kubernetes.io/revision": "1" },
    },
    spec: { replicas: 1, selector, template: podTemplate(w, {}) },
  });
  const template = podTemplate(w, { "pod-template-hash": hash });
  const rsName = `${w.name}-${hash}`;
  const rs = client.create(R.replicasets, {
    apiVersion: "apps/v1",
    kind: "ReplicaSet",
    metadata: {
      name: rsName,
      namespace: w.namespace,
      labels: { ...w.labels, "pod-template-hash": hash },
      ownerReferences: [ownerRef(deploy)],
    },
    spec: { replicas: 1, selector: { matchLabels: { ...w.labels, "pod-template-hash": hash } }, template },
  });
  const node = w.nodes[0];
  if (node) pods.push(createPod(client, rs, `${rsName}-${randomSuffix(5)}`, template, place(node), now));
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
