// Leader election through a coordination.k8s.io Lease, as client-go's leaderelection does it: acquire, renew, expire.
import { type KubeClient, R } from "../client.js";
import { isObject, type KubeObject, nowMicro } from "../meta.js";

export interface LeaderOptions {
  name: string;
  namespace?: string;
  identity: string;
  /** How long a lease stays valid without renewal (default 15 s; whole seconds in the Lease). */
  leaseDurationMs?: number;
  /** How often candidates try to acquire or renew (default 2 s). */
  retryPeriodMs?: number;
}

interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}

export class LeaderElection {
  private leading = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly ns: string;
  private readonly durationS: number;

  constructor(
    private readonly client: KubeClient,
    private readonly options: LeaderOptions,
    private readonly onChange: (leading: boolean) => void = () => {},
  ) {
    this.ns = options.namespace ?? "kube-system";
    this.durationS = Math.max(1, Math.round((options.leaseDurationMs ?? 15_000) / 1000));
  }

  get isLeader(): boolean {
    return this.leading;
  }

  private set(leading: boolean): void {
    if (leading === this.leading) return;
    this.leading = leading;
    this.onChange(leading);
  }

  /** One acquire-or-renew attempt; true while this candidate leads. */
  tick(): boolean {
    try {
      this.set(this.tryAcquireOrRenew());
    } catch {
      // A lost race (409) or an unavailable datastore: not leading until a later attempt succeeds.
      this.set(false);
    }
    return this.leading;
  }

  private tryAcquireOrRenew(): boolean {
    const now = new Date();
    const lease = this.client.get(R.leases, this.ns, this.options.name);
    const mine: LeaseSpec = {
      holderIdentity: this.options.identity,
      leaseDurationSeconds: this.durationS,
      renewTime: nowMicro(now),
    };
    if (!lease) {
      this.client.create(R.leases, {
        apiVersion: "coordination.k8s.io/v1",
        kind: "Lease",
        metadata: { name: this.options.name, namespace: this.ns },
        spec: { ...mine, acquireTime: nowMicro(now), leaseTransitions: 0 },
      });
      return true;
    }
    const spec = (isObject(lease.spec) ? lease.spec : {}) as LeaseSpec;
    const renewed = spec.renewTime ? Date.parse(spec.renewTime) : 0;
    const expired = now.getTime() > renewed + (spec.leaseDurationSeconds ?? this.durationS) * 1000;
    const holder = spec.holderIdentity;
    if (holder && holder !== this.options.identity && !expired) return false;
    const taking = holder !== this.options.identity;
    const next: KubeObject = {
      ...lease,
      spec: {
        ...spec,
        ...mine,
        acquireTime: taking ? nowMicro(now) : spec.acquireTime,
        leaseTransitions: (spec.leaseTransitions ?? 0) + (taking && holder ? 1 : 0),
      },
    };
    this.client.update(R.leases, next);
    return true;
  }

  start(): void {
    if (this.timer) return;
    this.tick();
    this.timer = setInterval(() => this.tick(), this.options.retryPeriodMs ?? 2_000);
    this.timer.unref();
  }

  /** Stops campaigning; a leader releases the lease so another candidate takes over at once. */
  stop(release = true): void {
    clearInterval(this.timer);
    this.timer = undefined;
    if (this.leading && release) {
      try {
        const lease = this.client.get(R.leases, this.ns, this.options.name);
        const spec = (isObject(lease?.spec) ? lease?.spec : {}) as LeaseSpec;
        if (lease && spec.holderIdentity === this.options.identity) {
          this.client.update(R.leases, {
            ...lease,
            spec: { ...spec, holderIdentity: "", leaseDurationSeconds: 1 },
          });
        }
      } catch {
        // the store may already be closed
      }
    }
    this.set(false);
  }
}
