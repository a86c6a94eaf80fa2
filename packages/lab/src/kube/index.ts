// The lab Kubernetes API: what the k3s stand-in, the lab CLI and tests import.
export {
  createKubeApi,
  DEFAULT_GIT_VERSION,
  type KubeApi,
  type KubeApiOptions,
  SYSTEM_NAMESPACES,
} from "./api-server.js";
export { type Gvr, KubeClient, type ListOptions, R, type WatchHandler } from "./client.js";
export { ApiserverEndpoints, type ApiserverEndpointsOptions } from "./controllers/apiserver-endpoints.js";
export {
  type Heartbeat,
  type HeartbeatOptions,
  nodeHeartbeat,
  startNodeHeartbeat,
} from "./controllers/heartbeat.js";
export { type ControllersOptions, type RunningControllers, startControllers } from "./controllers/index.js";
export { LeaderElection, type LeaderOptions } from "./controllers/leader.js";
export type { AuthOptions, UserInfo } from "./http/auth.js";
export type { KubeObject, ObjectMeta } from "./meta.js";
export type { ClusterConfig } from "./resources/types.js";
export {
  createWorkload,
  ensureMetalLbController,
  METALLB_CONTROLLER,
  runningPodStatus,
  type SeedNode,
  type SeedOptions,
  seedCluster,
  type WorkloadSpec,
} from "./seed/index.js";
export { StatusError } from "./status.js";
export { ChangeFeed } from "./store/feed.js";
export { KubeStore } from "./store/store.js";
