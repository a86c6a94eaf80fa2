// The lab's Kubernetes side at `lab up`: the shared store with the CRDs and the seeded cluster, the admin kubeconfig,
// and the presets (`before`, `vip`, `dns`) written through the API as calicoctl/kubectl would have stored them.
import { randomBytes, randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { stringify } from "yaml";
import { caFiles, issueClientCert } from "./ca.js";
import { type CalicoVersion, DEFAULT_CALICO } from "./calico/versions.js";
import {
  createKubeApi,
  createWorkload,
  ensureMetalLbController,
  type KubeClient,
  type KubeObject,
  METALLB_CONTROLLER,
  R,
  seedCluster,
} from "./kube/index.js";
import { installCrds, installLabCrds, kubeDbFile, kubeTokenFile, metallbCrds } from "./kube-state.js";
import { kubeconfigFile } from "./state.js";
import type { LabTopology } from "./topology.js";

export const presets = ["before", "vip", "dns"] as const;
export type Preset = (typeof presets)[number];

export const CALICO = {
  bgpConfigurations: { group: "crd.projectcalico.org", version: "v1", resource: "bgpconfigurations" },
  bgpPeers: { group: "crd.projectcalico.org", version: "v1", resource: "bgppeers" },
  bgpFilters: { group: "crd.projectcalico.org", version: "v1", resource: "bgpfilters" },
} as const;

/** Names of what the presets create. */
export const PRESET_NAMES = {
  bgpPeer: "router",
  bgpFilter: "reject-pod-routes",
  pool: "api-vip",
  service: "kubernetes-api-vip",
  daemonSet: "kubernetes-api-vip",
  namespace: "default",
  /** The API DaemonSet's pod label (the Service's selector). */
  podLabels: { app: "kubernetes-api-vip" } as Record<string, string>,
};

/** The admin client certificate (CN=admin, O=system:masters) embedded in the kubeconfig. */
export const adminCertFiles = (t: LabTopology) => ({
  cert: path.join(t.stateDir, "kube", "admin.crt"),
  key: path.join(t.stateDir, "kube", "admin.key"),
});

/** The API server a preset's kubeconfig names: node01 before HA (the document's starting point), the VIP with `vip`. */
export function kubeconfigServer(t: LabTopology, preset: Preset): string {
  const host = preset === "vip" ? t.vip : (t.nodes[0]?.address ?? "");
  return `https://[${host}]:6443`;
}

/** Writes the admin kubeconfig (context = the lab's name, as the plan says) with everything embedded. */
export async function writeKubeconfig(t: LabTopology, preset: Preset): Promise<string> {
  const files = adminCertFiles(t);
  const ca = caFiles(t.stateDir);
  if (!existsSync(files.cert) || !existsSync(files.key)) {
    const pem = await issueClientCert(ca, "admin", ["system:masters"]);
    await mkdir(path.dirname(files.cert), { recursive: true });
    await writeFile(files.key, pem.key, { mode: 0o600 });
    await writeFile(files.cert, pem.cert);
  }
  const b64 = async (f: string) => Buffer.from(await readFile(f)).toString("base64");
  const config = {
    apiVersion: "v1",
    kind: "Config",
    preferences: {},
    clusters: [
      {
        name: t.name,
        cluster: { server: kubeconfigServer(t, preset), "certificate-authority-data": await b64(ca.cert) },
      },
    ],
    users: [
      {
        name: t.name,
        user: {
          "client-certificate-data": await b64(files.cert),
          "client-key-data": await b64(files.key),
        },
      },
    ],
    contexts: [{ name: t.name, context: { cluster: t.name, user: t.name } }],
    "current-context": t.name,
  };
  const file = kubeconfigFile(t);
  await writeFile(file, stringify(config), { mode: 0o600 });
  await chmod(file, 0o600);
  return file;
}

/** A Calico object as libcalico-go's Kubernetes backend stores it: the v3 metadata kept in an annotation. */
function calicoObject(kind: string, name: string, spec: Record<string, unknown>): KubeObject {
  const meta = { uid: randomUUID(), creationTimestamp: new Date().toISOString().replace(/\.\d+Z$/, "Z") };
  return {
    apiVersion: "crd.projectcalico.org/v1",
    kind,
    metadata: { name, annotations: { "projectcalico.org/metadata": JSON.stringify(meta) } },
    spec,
  };
}

/** Creates or replaces (keeping the stored annotations) a cluster-scoped or namespaced object. */
function put(
  client: KubeClient,
  gvr: (typeof CALICO)[keyof typeof CALICO] | typeof R.ipAddressPools,
  obj: KubeObject,
) {
  const existing = client.get(gvr, obj.metadata.namespace, obj.metadata.name ?? "");
  if (!existing) return client.create(gvr, obj);
  return client.update(gvr, {
    ...obj,
    metadata: { ...existing.metadata, labels: obj.metadata.labels ?? existing.metadata.labels },
  });
}

function apiDaemonSet(client: KubeClient, t: LabTopology): void {
  const ns = PRESET_NAMES.namespace;
  if (client.get(R.daemonsets, ns, PRESET_NAMES.daemonSet)) return;
  createWorkload(
    client,
    {
      kind: "DaemonSet",
      namespace: ns,
      name: PRESET_NAMES.daemonSet,
      labels: PRESET_NAMES.podLabels,
      hostNetwork: true,
      containers: [
        {
          name: "apiserver-health",
          image: "docker.io/rancher/mirrored-pause:3.6",
          ports: [{ name: "https", containerPort: 6443, protocol: "TCP" }],
          readinessProbe: {
            httpGet: { path: "/readyz", port: 6443, scheme: "HTTPS" },
            periodSeconds: 2,
            timeoutSeconds: 1,
            successThreshold: 1,
            failureThreshold: 3,
          },
        },
      ],
      nodes: t.nodes.map((n) => n.name),
      tolerations: [
        { key: "node-role.kubernetes.io/control-plane", operator: "Exists", effect: "NoSchedule" },
        { key: "CriticalAddonsOnly", operator: "Exists" },
      ],
    },
    (node) => {
      const address = t.nodes.find((n) => n.name === node)?.address ?? "";
      return { node, hostIP: address, podIP: address };
    },
  );
}

function apiService(t: LabTopology): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: {
      name: PRESET_NAMES.service,
      namespace: PRESET_NAMES.namespace,
      annotations: { "metallb.io/loadBalancerIPs": t.vip },
    },
    spec: {
      type: "LoadBalancer",
      externalTrafficPolicy: "Local",
      ipFamilies: ["IPv6"],
      ipFamilyPolicy: "SingleStack",
      selector: PRESET_NAMES.podLabels,
      ports: [{ name: "https", port: 6443, protocol: "TCP", targetPort: 6443 }],
    },
  };
}

/** Which presets have MetalLB (option 1 only: the document's starting point and option 2 have none). */
export const presetHasMetalLb = (preset: Preset) => preset === "vip";

/** MetalLB as its manifest installs it: the CRDs first, then the controller (no speaker). */
function installMetalLb(client: KubeClient, t: LabTopology): void {
  installCrds(client, metallbCrds());
  const first = t.nodes[0];
  if (first) ensureMetalLbController(client, { name: first.name, address: first.address });
}

/** Removes MetalLB as `kubectl delete -f metallb-native.yaml` would: controller, namespace objects, CRDs. */
function removeMetalLb(client: KubeClient): void {
  const ns = METALLB_CONTROLLER.namespace;
  const own = (o: KubeObject) => o.metadata.labels?.app === "metallb";
  // The Deployment first: its ReplicaSet and pods go with it, and no controller recreates them meanwhile.
  client.delete(R.deployments, ns, METALLB_CONTROLLER.name);
  for (const rs of client.list(R.replicasets, { namespace: ns }).filter(own))
    client.delete(R.replicasets, ns, rs.metadata.name ?? "");
  for (const pod of client.list(R.pods, { namespace: ns }).filter(own))
    client.delete(R.pods, ns, pod.metadata.name ?? "");
  for (const crd of metallbCrds()) client.delete(R.crds, undefined, crd.metadata.name ?? "");
}

/** Removes what only the `vip` preset has (switching a running lab to another preset). */
function removeVip(client: KubeClient): void {
  const ns = PRESET_NAMES.namespace;
  client.delete(R.services, ns, PRESET_NAMES.service);
  client.delete(R.daemonsets, ns, PRESET_NAMES.daemonSet);
  for (const pod of client.list(R.pods, { namespace: ns }))
    if (pod.metadata.labels?.app === PRESET_NAMES.podLabels.app)
      client.delete(R.pods, ns, pod.metadata.name ?? "");
  if (client.get(R.crds, undefined, "ipaddresspools.metallb.io"))
    client.delete(R.ipAddressPools, "metallb-system", PRESET_NAMES.pool);
  removeMetalLb(client);
}

/** Brings the cluster's Calico, MetalLB and API Service objects to what `preset` stands for. */
export function applyPreset(client: KubeClient, t: LabTopology, preset: Preset): void {
  const k = client.as("kubectl");
  const vip = preset === "vip";
  put(
    k,
    CALICO.bgpConfigurations,
    calicoObject("BGPConfiguration", "default", {
      asNumber: t.clusterAsn,
      logSeverityScreen: "Info",
      nodeToNodeMeshEnabled: true,
      serviceClusterIPs: [{ cidr: t.serviceCidr }],
      ...(vip ? { serviceLoadBalancerIPs: [{ cidr: t.loadBalancerCidr }] } : {}),
    }),
  );
  if (vip)
    put(
      k,
      CALICO.bgpFilters,
      calicoObject("BGPFilter", PRESET_NAMES.bgpFilter, {
        exportV6: [
          { action: "Reject", matchOperator: "In", cidr: t.podCidr },
          // With the mesh on, every node relays the eTP=Local /128s it learns from the others: without this rule the
          // router keeps a path through a node whose apiserver is down (Calico >= v3.32 `source: RemotePeers`).
          { action: "Reject", matchOperator: "In", cidr: t.loadBalancerCidr, source: "RemotePeers" },
        ],
      }),
    );
  put(
    k,
    CALICO.bgpPeers,
    calicoObject("BGPPeer", PRESET_NAMES.bgpPeer, {
      peerIP: t.router.address,
      asNumber: t.router.asn,
      ...(vip ? { filters: [PRESET_NAMES.bgpFilter] } : {}),
    }),
  );
  if (!vip) {
    k.delete(CALICO.bgpFilters, undefined, PRESET_NAMES.bgpFilter);
    removeVip(k);
    return;
  }
  installMetalLb(k, t);
  put(k, R.ipAddressPools, {
    apiVersion: "metallb.io/v1beta1",
    kind: "IPAddressPool",
    metadata: { name: PRESET_NAMES.pool, namespace: "metallb-system" },
    spec: { addresses: [t.loadBalancerCidr], autoAssign: false },
  });
  apiDaemonSet(k, t);
  if (!k.get(R.services, PRESET_NAMES.namespace, PRESET_NAMES.service)) k.create(R.services, apiService(t));
}

/**
 * Creates the shared store (idempotent), installs the CRDs, seeds the cluster with the lab's servers and applies
 * `preset`; then writes the kubeconfig. Runs in the `lab up` process before (or while) the k3s stand-ins run.
 */
export async function setupKube(
  t: LabTopology,
  preset: Preset,
  calico: CalicoVersion = DEFAULT_CALICO,
): Promise<void> {
  const dbFile = kubeDbFile(t);
  await mkdir(path.dirname(dbFile), { recursive: true });
  const kube = createKubeApi({ dbFile, config: { serviceCidr: t.serviceCidr }, compactIntervalMs: 0 });
  try {
    installLabCrds(kube.client, { calico, metallb: false });
    seedCluster(kube.client, {
      nodes: t.nodes.map((n) => ({ name: n.name, address: n.address, role: "server" as const })),
      podCidr: t.podCidr,
      clusterDns: t.clusterDns,
      calicoVersion: calico,
      metallb: false,
    });
    applyPreset(kube.client, t, preset);
  } finally {
    kube.close();
  }
  if (!existsSync(kubeTokenFile(t)))
    await writeFile(kubeTokenFile(t), `${randomBytes(24).toString("hex")}\n`, { mode: 0o600 });
  await writeKubeconfig(t, preset);
}

/** Applies a preset to a running lab (`up --preset` on a lab that is up) and rewrites the kubeconfig. */
export async function applyPresetToLab(t: LabTopology, preset: Preset): Promise<void> {
  const kube = createKubeApi({
    dbFile: kubeDbFile(t),
    config: { serviceCidr: t.serviceCidr },
    compactIntervalMs: 0,
  });
  try {
    applyPreset(kube.client, t, preset);
  } finally {
    kube.close();
  }
  await writeKubeconfig(t, preset);
}
