// seedCluster: namespaces, k3s-like nodes with their leases, and the system pods a k3s cluster with Calico and
// MetalLB (controller only) runs, so the console's cluster views have something real to read.
import { cidrFirst, formatIp, parseCidr } from "@k3s-ha/shared";
import { DEFAULT_GIT_VERSION } from "../api-server.js";
import { type KubeClient, R } from "../client.js";
import { type KubeObject, nowIso, nowMicro } from "../meta.js";
import { freePodIp, nodeObject, nodePodCidr, type SeedNode } from "./nodes.js";
import { createWorkload, type PodPlacement, type WorkloadSpec } from "./workloads.js";

export type { SeedNode } from "./nodes.js";
export { createWorkload, runningPodStatus, type WorkloadSpec } from "./workloads.js";

export interface SeedOptions {
  nodes: SeedNode[];
  /** Cluster pod CIDR (k3s --cluster-cidr); node i gets its i-th /64 (/24 for IPv4). */
  podCidr?: string;
  /** kube-dns ClusterIP (k3s --cluster-dns; default: the 10th address of the service CIDR). */
  clusterDns?: string;
  k3sVersion?: string;
  /** MetalLB controller Deployment in metallb-system (default true). */
  metallb?: boolean;
  /** calico-node DaemonSet and calico-kube-controllers in calico-system (default true). */
  calico?: boolean;
  /** Their image tag (default v3.31.7). */
  calicoVersion?: string;
}

export interface SeededCluster {
  nodes: KubeObject[];
  pods: KubeObject[];
}

const ensureNamespace = (client: KubeClient, name: string, labels?: Record<string, string>) => {
  if (!client.get(R.namespaces, undefined, name)) {
    client.create(R.namespaces, {
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name, ...(labels ? { labels } : {}) },
    });
  }
};

function podIps(options: SeedOptions): (node: string, hostNetwork: boolean) => PodPlacement {
  const used = new Map<string, Set<string>>();
  return (node, hostNetwork) => {
    const index = options.nodes.findIndex((n) => n.name === node);
    const hostIP = options.nodes[index]?.address ?? "";
    const taken = used.get(node) ?? new Set<string>();
    used.set(node, taken);
    const podIP = hostNetwork
      ? undefined
      : freePodIp(nodePodCidr(options.podCidr, Math.max(index, 0)), taken);
    if (podIP) taken.add(podIP);
    return { node, hostIP, podIP: podIP ?? hostIP };
  };
}

function systemWorkloads(options: SeedOptions, servers: string[], all: string[]): WorkloadSpec[] {
  const pick = (i: number) => [servers[i % servers.length] ?? all[0] ?? ""];
  const critical = "system-cluster-critical";
  const out: WorkloadSpec[] = [
    {
      kind: "Deployment",
      namespace: "kube-system",
      name: "coredns",
      labels: { "k8s-app": "kube-dns" },
      containers: [
        {
          name: "coredns",
          image: "rancher/mirrored-coredns-coredns:1.12.3",
          ports: [
            { name: "dns", containerPort: 53, protocol: "UDP" },
            { name: "dns-tcp", containerPort: 53, protocol: "TCP" },
            { name: "metrics", containerPort: 9153, protocol: "TCP" },
          ],
        },
      ],
      nodes: pick(0),
      priorityClassName: critical,
    },
    {
      kind: "Deployment",
      namespace: "kube-system",
      name: "local-path-provisioner",
      labels: { app: "local-path-provisioner" },
      containers: [{ name: "local-path-provisioner", image: "rancher/local-path-provisioner:v0.0.31" }],
      nodes: pick(0),
      priorityClassName: critical,
    },
    {
      kind: "Deployment",
      namespace: "kube-system",
      name: "metrics-server",
      labels: { "k8s-app": "metrics-server" },
      containers: [
        {
          name: "metrics-server",
          image: "rancher/mirrored-metrics-server:v0.8.0",
          ports: [{ name: "https", containerPort: 10250, protocol: "TCP" }],
        },
      ],
      nodes: pick(1),
      priorityClassName: critical,
      emptyDirs: ["tmp-dir"],
    },
  ];
  if (options.calico !== false) {
    const calicoTag = options.calicoVersion ?? "v3.31.7";
    out.push(
      {
        kind: "DaemonSet",
        namespace: "calico-system",
        name: "calico-node",
        labels: { "k8s-app": "calico-node" },
        containers: [{ name: "calico-node", image: `docker.io/calico/node:${calicoTag}` }],
        nodes: all,
        hostNetwork: true,
        priorityClassName: "system-node-critical",
        tolerations: [
          { operator: "Exists", effect: "NoSchedule" },
          { operator: "Exists", effect: "NoExecute" },
          { key: "CriticalAddonsOnly", operator: "Exists" },
        ],
      },
      {
        kind: "Deployment",
        namespace: "calico-system",
        name: "calico-kube-controllers",
        labels: { "k8s-app": "calico-kube-controllers" },
        containers: [
          { name: "calico-kube-controllers", image: `docker.io/calico/kube-controllers:${calicoTag}` },
        ],
        nodes: pick(2),
        priorityClassName: critical,
      },
    );
  }
  if (options.metallb !== false) out.push(metallbControllerWorkload(pick(1)));
  return out;
}

/** Where MetalLB's controller runs; the lab's MetalLB stand-in acts only while this Deployment exists. */
export const METALLB_CONTROLLER = { namespace: "metallb-system", name: "controller" } as const;

/** MetalLB v0.15.3's controller Deployment as metallb-native.yaml installs it (no speaker). */
export function metallbControllerWorkload(nodes: string[]): WorkloadSpec {
  return {
    kind: "Deployment",
    namespace: METALLB_CONTROLLER.namespace,
    name: METALLB_CONTROLLER.name,
    labels: { app: "metallb", component: "controller" },
    containers: [
      {
        name: "controller",
        image: "quay.io/metallb/controller:v0.15.3",
        ports: [{ name: "monitoring", containerPort: 7472, protocol: "TCP" }],
      },
    ],
    nodes,
  };
}

/** Installs MetalLB's controller (namespace and Deployment with its pod) if it is not there. */
export function ensureMetalLbController(client: KubeClient, node: SeedNode): void {
  const k = client.as("kubectl");
  ensureNamespace(k, METALLB_CONTROLLER.namespace, { "pod-security.kubernetes.io/enforce": "privileged" });
  if (k.get(R.deployments, METALLB_CONTROLLER.namespace, METALLB_CONTROLLER.name)) return;
  const ips = podIps({ nodes: [node] });
  createWorkload(k, metallbControllerWorkload([node.name]), (n) => ips(n, false));
}

function systemServices(client: KubeClient, options: SeedOptions): void {
  const cidr = parseCidr(client.api.config.serviceCidr);
  const dns = options.clusterDns ?? (cidr ? formatIp(cidr.family, cidrFirst(cidr) + 10n) : undefined);
  const services: KubeObject[] = [
    {
      apiVersion: "v1",
      kind: "Service",
      metadata: {
        name: "kube-dns",
        namespace: "kube-system",
        labels: { "k8s-app": "kube-dns", "kubernetes.io/name": "CoreDNS" },
      },
      spec: {
        ...(dns ? { clusterIP: dns } : {}),
        selector: { "k8s-app": "kube-dns" },
        ports: [
          { name: "dns", port: 53, protocol: "UDP", targetPort: 53 },
          { name: "dns-tcp", port: 53, protocol: "TCP", targetPort: 53 },
          { name: "metrics", port: 9153, protocol: "TCP", targetPort: 9153 },
        ],
      },
    },
    {
      apiVersion: "v1",
      kind: "Service",
      metadata: {
        name: "metrics-server",
        namespace: "kube-system",
        labels: { "kubernetes.io/name": "Metrics-server" },
      },
      spec: {
        selector: { "k8s-app": "metrics-server" },
        ports: [{ name: "https", port: 443, protocol: "TCP", targetPort: "https" }],
      },
    },
  ];
  for (const svc of services)
    if (!client.get(R.services, svc.metadata.namespace, svc.metadata.name ?? ""))
      client.create(R.services, svc);
}

/** Seeds a fresh cluster (objects that already exist are left alone, so seeding twice is harmless). */
export function seedCluster(client: KubeClient, options: SeedOptions): SeededCluster {
  const k = client.as("k3s");
  const version = options.k3sVersion ?? DEFAULT_GIT_VERSION;
  for (const ns of ["default", "kube-system", "kube-public", "kube-node-lease"]) ensureNamespace(k, ns);
  if (options.metallb !== false)
    ensureNamespace(k, "metallb-system", { "pod-security.kubernetes.io/enforce": "privileged" });
  if (options.calico !== false)
    ensureNamespace(k, "calico-system", {
      name: "calico-system",
      "pod-security.kubernetes.io/enforce": "privileged",
    });
  const now = nowIso();
  const nodes = options.nodes.map((n, i) => {
    const existing = k.get(R.nodes, undefined, n.name);
    if (existing) return existing;
    const node = k.create(R.nodes, nodeObject(n, nodePodCidr(options.podCidr, i), version, now));
    k.create(R.leases, {
      apiVersion: "coordination.k8s.io/v1",
      kind: "Lease",
      metadata: {
        name: n.name,
        namespace: "kube-node-lease",
        ownerReferences: [{ apiVersion: "v1", kind: "Node", name: n.name, uid: node.metadata.uid ?? "" }],
      },
      spec: { holderIdentity: n.name, leaseDurationSeconds: 40, renewTime: nowMicro() },
    });
    return node;
  });
  systemServices(k, options);
  const servers = options.nodes.filter((n) => (n.role ?? "server") === "server").map((n) => n.name);
  const all = options.nodes.map((n) => n.name);
  const ips = podIps(options);
  const pods: KubeObject[] = [];
  for (const w of systemWorkloads(options, servers, all)) {
    const kind = w.kind === "Deployment" ? R.deployments : R.daemonsets;
    if (k.get(kind, w.namespace, w.name)) continue;
    pods.push(...createWorkload(k, w, (node) => ips(node, w.hostNetwork === true)));
  }
  return { nodes, pods };
}
