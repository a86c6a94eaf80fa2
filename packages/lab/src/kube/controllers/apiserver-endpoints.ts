// The lease endpoint reconciler every apiserver runs (pkg/controlplane/reconcilers/lease.go): each process refreshes
// a TTL'd key with its advertise address and rewrites default/kubernetes Endpoints and EndpointSlice to the live ones.
import { createHash } from "node:crypto";
import { cidrFirst, formatIp, parseCidr, parseIp } from "@k3s-ha/shared";
import { type KubeClient, R } from "../client.js";
import { isObject, jsonEqual, type KubeObject, nowMicro } from "../meta.js";

export interface ApiserverEndpointsOptions {
  /** This apiserver: node name and advertise address (--advertise-address). */
  identity: string;
  address: string;
  port?: number;
  /** DefaultEndpointReconcilerTTL (15 s) and DefaultEndpointReconcilerInterval (10 s). */
  ttlMs?: number;
  intervalMs?: number;
}

const PREFIX = "masterleases/";

function kubernetesService(client: KubeClient): KubeObject {
  const cidr = parseCidr(client.api.config.serviceCidr);
  const clusterIP = cidr ? formatIp(cidr.family, cidrFirst(cidr) + 1n) : undefined;
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: {
      name: "kubernetes",
      namespace: "default",
      labels: { component: "apiserver", provider: "kubernetes" },
    },
    spec: {
      ...(clusterIP ? { clusterIP } : {}),
      ports: [{ name: "https", port: 443, protocol: "TCP", targetPort: 6443 }],
      sessionAffinity: "None",
      type: "ClusterIP",
    },
  };
}

/** How soon a failed round (a create race, a busy store) is tried again. */
const START_RETRY_MS = 200;

export class ApiserverEndpoints {
  private timer: NodeJS.Timeout | undefined;
  private readonly port: number;
  private readonly ttlMs: number;

  constructor(
    private readonly client: KubeClient,
    private readonly options: ApiserverEndpointsOptions,
  ) {
    this.port = options.port ?? 6443;
    this.ttlMs = options.ttlMs ?? 15_000;
  }

  /** The addresses whose keys are alive, sorted. */
  liveAddresses(): string[] {
    return this.client.api.store
      .liveKeys(PREFIX)
      .map((k) => k.key.slice(PREFIX.length))
      .sort();
  }

  private ensureService(): void {
    if (this.client.get(R.services, "default", "kubernetes")) return;
    try {
      this.client.create(R.services, kubernetesService(this.client));
    } catch {
      // another apiserver created it
    }
  }

  private identityLease(): void {
    const name = `apiserver-${createHash("sha256").update(this.options.identity).digest("hex").slice(0, 26)}`;
    const lease = this.client.get(R.leases, "kube-system", name);
    const spec = {
      holderIdentity: `${name}_${this.options.identity}`,
      leaseDurationSeconds: 3600,
      renewTime: nowMicro(),
    };
    const meta = {
      name,
      namespace: "kube-system",
      labels: {
        "apiserver.kubernetes.io/identity": "kube-apiserver",
        "kubernetes.io/hostname": this.options.identity,
      },
    };
    if (!lease)
      this.client.create(R.leases, {
        apiVersion: "coordination.k8s.io/v1",
        kind: "Lease",
        metadata: meta,
        spec,
      });
    else
      this.client.update(R.leases, {
        ...lease,
        spec: { ...(isObject(lease.spec) ? lease.spec : {}), ...spec },
      });
  }

  /** ReconcileEndpoints: Endpoints and the EndpointSlice list exactly the live apiservers. */
  reconcile(): void {
    const ips = this.liveAddresses();
    const ports = [{ name: "https", port: this.port, protocol: "TCP" }];
    const endpoints: KubeObject = {
      apiVersion: "v1",
      kind: "Endpoints",
      metadata: {
        name: "kubernetes",
        namespace: "default",
        labels: { "endpointslice.kubernetes.io/skip-mirror": "true" },
      },
      ...(ips.length ? { subsets: [{ addresses: ips.map((ip) => ({ ip })), ports }] } : {}),
    };
    const current = this.client.get(R.endpoints, "default", "kubernetes");
    if (!current) this.client.create(R.endpoints, endpoints);
    else if (
      !jsonEqual(current.subsets, endpoints.subsets) ||
      !jsonEqual(current.metadata.labels, endpoints.metadata.labels)
    ) {
      this.client.update(R.endpoints, {
        ...current,
        metadata: { ...current.metadata, labels: endpoints.metadata.labels },
        subsets: endpoints.subsets,
      });
    }
    const family =
      parseIp(ips[0] ?? "")?.family ?? parseCidr(this.client.api.config.serviceCidr)?.family ?? 4;
    const slice: KubeObject = {
      apiVersion: "discovery.k8s.io/v1",
      kind: "EndpointSlice",
      metadata: {
        name: "kubernetes",
        namespace: "default",
        labels: { "kubernetes.io/service-name": "kubernetes" },
      },
      addressType: family === 6 ? "IPv6" : "IPv4",
      endpoints: ips.map((ip) => ({ addresses: [ip], conditions: { ready: true } })),
      ports,
    };
    const currentSlice = this.client.get(R.endpointslices, "default", "kubernetes");
    if (!currentSlice) this.client.create(R.endpointslices, slice);
    else if (
      !jsonEqual(currentSlice.endpoints ?? [], slice.endpoints) ||
      currentSlice.addressType !== slice.addressType
    ) {
      this.client.update(R.endpointslices, {
        ...currentSlice,
        addressType: slice.addressType,
        endpoints: slice.endpoints,
        ports,
      });
    }
  }

  /** One round: refresh this apiserver's key, then reconcile. */
  tick(): void {
    this.client.api.store.setKey(`${PREFIX}${this.options.address}`, this.options.identity, this.ttlMs);
    this.ensureService();
    this.identityLease();
    this.reconcile();
  }

  start(): void {
    if (this.timer) return;
    // Servers starting together race to create default/kubernetes and its slice: a conflict (409) or a busy store
    // is retried shortly, never left to crash the apiserver (it did, as `systemctl start k3s` failing with 409).
    const round = () => {
      try {
        this.tick();
      } catch {
        if (this.timer) setTimeout(() => this.safeTick(), START_RETRY_MS).unref();
      }
    };
    this.timer = setInterval(round, this.options.intervalMs ?? 10_000);
    this.timer.unref();
    round();
  }

  private safeTick(): void {
    try {
      if (this.timer) this.tick();
    } catch {
      // the next round retries
    }
  }

  /** Stops refreshing. A graceful stop removes this apiserver at once (RemoveEndpoints); otherwise the TTL does. */
  stop(graceful = false): void {
    clearInterval(this.timer);
    this.timer = undefined;
    if (!graceful) return;
    try {
      this.client.api.store.deleteKey(`${PREFIX}${this.options.address}`);
      this.reconcile();
    } catch {
      // store already closed
    }
  }
}
