// The cluster source's snapshot as the API answers it (`GET /api/cluster`): nodes, the API Service and its endpoints,
// LoadBalancer services, MetalLB and Calico, and each watched resource's own state (absent, forbidden…).
import { z } from "zod";

export const resourceStates = ["ok", "syncing", "absent", "forbidden", "failing"] as const;

export const resourceStateSchema = z.object({
  status: z.enum(resourceStates),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
  /** Objects whose shape the console does not know (skipped; named in `error`). */
  skipped: z.number().int().optional(),
});
export type ResourceState = z.infer<typeof resourceStateSchema>;

export const clusterNodeSchema = z.object({
  name: z.string(),
  ready: z.enum(["ready", "not-ready", "unknown"]),
  readyReason: z.string().optional(),
  readyMessage: z.string().optional(),
  readySince: z.string().optional(),
  roles: z.array(z.string()),
  /** Labelled `node-role.kubernetes.io/etcd` (embedded etcd member). */
  etcd: z.boolean(),
  controlPlane: z.boolean(),
  addresses: z.array(z.object({ type: z.string(), address: z.string() })),
  unschedulable: z.boolean(),
  /** `node.kubernetes.io/exclude-from-external-load-balancers`: Calico stops advertising eTP=Local IPs from it. */
  excludedFromLoadBalancers: z.boolean(),
  kubeletVersion: z.string().optional(),
  taints: z.array(z.object({ key: z.string(), effect: z.string() })),
  /** Pressure conditions that are True (MemoryPressure, DiskPressure, PIDPressure, NetworkUnavailable). */
  problems: z.array(z.string()),
});
export type ClusterNode = z.infer<typeof clusterNodeSchema>;

export const endpointViewSchema = z.object({
  address: z.string(),
  ready: z.boolean(),
  serving: z.boolean(),
  terminating: z.boolean(),
  /** The slice's nodeName, or the plan node with this address (the API Service's slices name none). */
  node: z.string().optional(),
});
export type EndpointView = z.infer<typeof endpointViewSchema>;

export const serviceViewSchema = z.object({
  namespace: z.string(),
  name: z.string(),
  type: z.string(),
  clusterIPs: z.array(z.string()),
  /** status.loadBalancer.ingress: what MetalLB assigned. */
  loadBalancerIPs: z.array(z.string()),
  /** What the service asks for (metallb.io/loadBalancerIPs, the deprecated annotation, spec.loadBalancerIP). */
  requestedIPs: z.array(z.string()),
  externalTrafficPolicy: z.string().optional(),
  ports: z.array(z.object({ name: z.string().optional(), port: z.number(), protocol: z.string() })),
  endpoints: z.array(endpointViewSchema),
});
export type ServiceView = z.infer<typeof serviceViewSchema>;

export const podViewSchema = z.object({
  namespace: z.string(),
  name: z.string(),
  node: z.string().optional(),
  phase: z.string().optional(),
  ready: z.boolean(),
  images: z.array(z.string()),
});
export type PodView = z.infer<typeof podViewSchema>;

/** A custom resource for the YAML views: its name and whole spec. */
export const customViewSchema = z.object({
  name: z.string(),
  namespace: z.string().optional(),
  spec: z.record(z.string(), z.unknown()),
});
export type CustomView = z.infer<typeof customViewSchema>;

export const clusterSnapshotSchema = z.object({
  resources: z.record(z.string(), resourceStateSchema),
  nodes: z.array(clusterNodeSchema),
  /** default/kubernetes: the apiservers' own endpoints. */
  apiService: serviceViewSchema.nullable(),
  loadBalancerServices: z.array(serviceViewSchema),
  metallb: z.object({
    /** Its CRDs are served. */
    installed: z.boolean(),
    controllers: z.array(podViewSchema),
    speakers: z.array(podViewSchema),
    pools: z.array(
      z.object({
        name: z.string(),
        namespace: z.string(),
        addresses: z.array(z.string()),
        autoAssign: z.boolean(),
      }),
    ),
    l2Advertisements: z.array(z.string()),
    bgpAdvertisements: z.array(z.string()),
    bgpPeers: z.array(z.string()),
  }),
  calico: z.object({
    /** ClusterInformation `default`'s calicoVersion (calico-node writes it). */
    version: z.string().optional(),
    datastoreReady: z.boolean().optional(),
    bgpConfigurations: z.array(customViewSchema),
    bgpPeers: z.array(customViewSchema),
    bgpFilters: z.array(customViewSchema),
    nodeStatuses: z.array(
      z.object({
        name: z.string(),
        node: z.string().optional(),
        lastUpdated: z.string().optional(),
        /** status.agent.birdV6.state is Ready (absent when the Agent class is not asked for). */
        birdReady: z.boolean().optional(),
        updatePeriodSeconds: z.number().optional(),
        peers: z.array(
          z.object({
            address: z.string(),
            type: z.string().optional(),
            state: z.string().optional(),
            since: z.string().optional(),
          }),
        ),
      }),
    ),
  }),
});
export type ClusterSnapshot = z.infer<typeof clusterSnapshotSchema>;

export const clusterResponseSchema = z.object({
  cluster: clusterSnapshotSchema.nullable(),
  /** Calico's eTP=Local readiness regression for the version read, when it applies. */
  calicoWarning: z.object({ version: z.string(), message: z.string() }).optional(),
});
export type ClusterResponse = z.infer<typeof clusterResponseSchema>;
