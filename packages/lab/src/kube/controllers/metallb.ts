// MetalLB controller stand-in (controller/service.go convergeBalancer): LoadBalancer IPs from IPAddressPools into
// status.loadBalancer.ingress, with IPAllocated/AllocationFailed events, releasing on delete or type change.
import { type IpFamily, parseIp } from "@k3s-ha/shared";
import { type KubeClient, R } from "../client.js";
import { isObject, isPodReady, type JsonObject, jsonEqual, type KubeObject } from "../meta.js";
import { recordEvent } from "./events.js";
import {
  Assignments,
  canonical,
  type Pool,
  parsePool,
  poolFor,
  poolServes,
  poolSize,
} from "./metallb-pools.js";
import type { Controller } from "./runtime.js";

const POOL = "metallb.io/address-pool";
const IPS = "metallb.io/loadBalancerIPs";
const OLD_POOL = "metallb.universe.tf/address-pool";
const OLD_IPS = "metallb.universe.tf/loadBalancerIPs";
const FROM_POOL = "metallb.io/ip-allocated-from-pool";
const OLD_FROM_POOL = "metallb.universe.tf/ip-allocated-from-pool";
const COMPONENT = "metallb-controller";

export interface MetalLbOptions {
  /** Namespace whose IPAddressPools count (default metallb-system). */
  namespace?: string;
  resyncMs?: number;
}

interface Svc {
  obj: KubeObject;
  key: string;
  spec: JsonObject;
  annotations: Record<string, string>;
  ingressIps: string[];
}

const annotation = (a: Record<string, string>, stable: string, old: string) => a[stable] ?? a[old] ?? "";

function familyOf(spec: JsonObject): IpFamily | undefined {
  const ip = (Array.isArray(spec.clusterIPs) ? spec.clusterIPs[0] : spec.clusterIP) as string | undefined;
  return ip ? parseIp(ip)?.family : undefined;
}

/** getDesiredLbIPs: the annotation, or spec.loadBalancerIP, never both. */
function desiredIps(s: Svc): { ips: string[]; error?: string } {
  const fromAnnotation = annotation(s.annotations, IPS, OLD_IPS);
  const fromSpec = typeof s.spec.loadBalancerIP === "string" ? s.spec.loadBalancerIP : "";
  if (fromAnnotation && fromSpec)
    return { ips: [], error: `service can not have both ${IPS} and svc.Spec.LoadBalancerIP` };
  if (fromAnnotation) {
    const ips = fromAnnotation.split(",").map((x) => x.trim());
    if (ips.some((ip) => !parseIp(ip))) return { ips: [], error: `invalid ${IPS}: "${fromAnnotation}"` };
    return { ips };
  }
  if (fromSpec)
    return parseIp(fromSpec)
      ? { ips: [fromSpec] }
      : { ips: [], error: `invalid spec.loadBalancerIP "${fromSpec}"` };
  return { ips: [] };
}

const quoteList = (ips: string[]) => `[${ips.map((ip) => JSON.stringify(ip)).join(" ")}]`;

export function metallbController(client: KubeClient, options: MetalLbOptions = {}): Controller {
  const ns = options.namespace ?? "metallb-system";
  const outcomes = new Map<string, string>();
  const mb = client.as(COMPONENT);

  function allocate(
    s: Svc,
    pools: Pool[],
    held: Assignments,
  ): { ips: string[]; pool: string } | { error: string } {
    const family = familyOf(s.spec);
    if (!family)
      return {
        error: `invalid ClusterIPs [${String(s.spec.clusterIPs ?? "")}] [${String(s.spec.clusterIP ?? "")}], can't determine family`,
      };
    const desired = desiredIps(s);
    if (desired.error) return { error: desired.error };
    const wantedPool = annotation(s.annotations, POOL, OLD_POOL);
    if (desired.ips.length) {
      if (desired.ips.some((ip) => parseIp(ip)?.family !== family)) {
        return {
          error: `requested loadBalancer IP(s) ${quoteList(desired.ips)} does not match the ipFamily of the service`,
        };
      }
      for (const ip of desired.ips) {
        const err = held.tryAssign(pools, ip, s.key);
        if (err) {
          held.release(s.key);
          return { error: err };
        }
      }
      const pool = poolFor(pools, desired.ips[0] ?? "")?.name ?? "";
      if (wantedPool && pool !== wantedPool) {
        held.release(s.key);
        return {
          error: `requested loadBalancer IP(s) ${quoteList(desired.ips)} is not compatible with requested address pool ${wantedPool}`,
        };
      }
      return { ips: desired.ips.map(canonical), pool };
    }
    if (wantedPool) {
      const pool = pools.find((p) => p.name === wantedPool);
      if (!pool) return { error: `unknown pool "${wantedPool}"` };
      const ip = held.fromPool(pool, family, s.key);
      return ip ? { ips: [ip], pool: pool.name } : { error: `no available IPs in pool "${wantedPool}"` };
    }
    const nsLabels = (name: string) => client.get(R.namespaces, undefined, name)?.metadata.labels;
    for (const pool of pools.filter((p) => p.autoAssign && poolServes(p, s.obj, nsLabels))) {
      const ip = held.fromPool(pool, family, s.key);
      if (ip) return { ips: [ip], pool: pool.name };
    }
    return { error: "no available IPs" };
  }

  /** Keeps the current IPs when they still fit the configuration and the request (the convergeBalancer checks). */
  function keepCurrent(s: Svc, pools: Pool[], held: Assignments): string | undefined {
    if (s.ingressIps.length === 0) return undefined;
    for (const ip of s.ingressIps) {
      if (held.tryAssign(pools, ip, s.key)) {
        held.release(s.key);
        return undefined;
      }
    }
    const pool = poolFor(pools, s.ingressIps[0] ?? "")?.name;
    const wantedPool = annotation(s.annotations, POOL, OLD_POOL);
    const desired = desiredIps(s).ips.map(canonical);
    const same = desired.length === 0 || jsonEqual([...desired].sort(), s.ingressIps.map(canonical).sort());
    if ((wantedPool && pool !== wantedPool) || !same) {
      held.release(s.key);
      return undefined;
    }
    return pool;
  }

  function write(s: Svc, ips: string[], pool: string | undefined): void {
    const ingress = ips.map((ip) => ({ ip, ipMode: "VIP" }));
    const current =
      isObject(s.obj.status) && isObject(s.obj.status.loadBalancer)
        ? s.obj.status.loadBalancer.ingress
        : undefined;
    if (!jsonEqual(current ?? [], ingress)) {
      mb.patch(
        R.services,
        s.obj.metadata.namespace,
        s.obj.metadata.name ?? "",
        { status: { loadBalancer: { ingress: ips.length ? ingress : null } } },
        { status: true },
      );
    }
    if ((s.annotations[FROM_POOL] ?? null) !== (pool ?? null) || s.annotations[OLD_FROM_POOL] !== undefined) {
      mb.patch(R.services, s.obj.metadata.namespace, s.obj.metadata.name ?? "", {
        metadata: { annotations: { [FROM_POOL]: pool ?? null, [OLD_FROM_POOL]: null } },
      });
    }
  }

  function report(
    s: Svc,
    outcome: string,
    type: "Normal" | "Warning",
    reason: string,
    message: string,
  ): void {
    if (outcomes.get(s.key) === outcome) return;
    outcomes.set(s.key, outcome);
    recordEvent(mb, s.obj, type, reason, message, COMPONENT);
  }

  /** Which deprecated annotations were reported, per Service (one Warning each, not one per sync). */
  const deprecatedSeen = new Set<string>();
  /** main.go SetBalancer: a Warning `deprecatedAnnotation` per metallb.universe.tf annotation (still honoured). */
  function warnDeprecated(s: Svc): void {
    for (const key of Object.keys(s.annotations)) {
      if (!key.startsWith("metallb.universe.tf")) continue;
      const seen = `${s.obj.metadata.uid ?? s.key} ${key}`;
      if (deprecatedSeen.has(seen)) continue;
      deprecatedSeen.add(seen);
      recordEvent(
        mb,
        s.obj,
        "Warning",
        "deprecatedAnnotation",
        `Service uses deprecated annotation ${key}`,
        COMPONENT,
      );
    }
  }

  function sync(): void {
    // This stand-in is MetalLB's controller: it acts only while a controller pod runs and is ready (none in the
    // `before` preset; none either while the Deployment is scaled to 0 or its pod is unready).
    if (!controllerPodReady(client, ns)) return;
    let pools: Pool[];
    try {
      pools = client.list(R.ipAddressPools, { namespace: ns }).map(parsePool);
    } catch {
      return; // MetalLB's CRDs are not installed: nothing to do, as a controller waiting for its config
    }
    pools.sort((a, b) => a.priority - b.priority || a.name.localeCompare(b.name));
    const services: Svc[] = client
      .list(R.services)
      .map((obj) => {
        const status =
          isObject(obj.status) && isObject(obj.status.loadBalancer) ? obj.status.loadBalancer : {};
        const ingress = Array.isArray(status.ingress) ? status.ingress : [];
        return {
          obj,
          key: `${obj.metadata.namespace}/${obj.metadata.name}`,
          spec: (isObject(obj.spec) ? obj.spec : {}) as JsonObject,
          annotations: obj.metadata.annotations ?? {},
          ingressIps: ingress.map((i) => (isObject(i) ? String(i.ip ?? "") : "")).filter(Boolean),
        };
      })
      .sort(
        (a, b) =>
          String(a.obj.metadata.creationTimestamp).localeCompare(String(b.obj.metadata.creationTimestamp)) ||
          a.key.localeCompare(b.key),
      );
    const held = new Assignments();
    const balancers = services.filter((s) => s.spec.type === "LoadBalancer" && !s.spec.loadBalancerClass);
    const keep = new Map<string, string>();
    for (const s of balancers) {
      const pool = keepCurrent(s, pools, held);
      if (pool) keep.set(s.key, pool);
    }
    for (const s of services) {
      // A Service of another load balancer class belongs to another controller: MetalLB never touches it.
      if (!s.spec.loadBalancerClass && s.spec.type === "LoadBalancer") warnDeprecated(s);
      if (s.spec.loadBalancerClass) {
        outcomes.delete(s.key);
        continue;
      }
      if (!balancers.includes(s)) {
        if (s.ingressIps.length || s.annotations[FROM_POOL]) write(s, [], undefined);
        outcomes.delete(s.key);
        continue;
      }
      // With the configuration loaded but no pool left, every balancer loses its IP (convergeBalancer finds none).
      const kept = keep.get(s.key);
      if (kept) {
        write(s, s.ingressIps, kept);
        continue;
      }
      const result = allocate(s, pools, held);
      if ("error" in result) {
        write(s, [], undefined);
        report(
          s,
          `fail:${result.error}`,
          "Warning",
          "AllocationFailed",
          `Failed to allocate IP for "${s.key}": ${result.error}`,
        );
        continue;
      }
      write(s, result.ips, result.pool);
      report(
        s,
        `ok:${result.ips.join(",")}`,
        "Normal",
        "IPAllocated",
        `Assigned IP ${quoteList(result.ips)}`,
      );
    }
    for (const key of outcomes.keys()) if (!services.some((s) => s.key === key)) outcomes.delete(key);
    updatePoolStatus(mb, ns, pools, held);
  }

  return {
    name: COMPONENT,
    watches: [R.services, R.ipAddressPools, R.pods],
    resyncMs: options.resyncMs ?? 30_000,
    sync,
  };
}

/** A Running, Ready pod of MetalLB's controller (metallb-native.yaml labels it app=metallb, component=controller). */
function controllerPodReady(client: KubeClient, ns: string): boolean {
  return client
    .list(R.pods, { namespace: ns, labelSelector: "app=metallb,component=controller" })
    .some(
      (p) =>
        !p.metadata.deletionTimestamp && isObject(p.status) && p.status.phase === "Running" && isPodReady(p),
    );
}

function updatePoolStatus(client: KubeClient, ns: string, pools: Pool[], held: Assignments): void {
  for (const pool of pools) {
    const status = {
      assignedIPv4: held.countIn(pool, 4),
      assignedIPv6: held.countIn(pool, 6),
      availableIPv4: Number(poolSize(pool, 4)) - held.countIn(pool, 4),
      availableIPv6: Math.min(Number(poolSize(pool, 6)), Number.MAX_SAFE_INTEGER) - held.countIn(pool, 6),
    };
    const obj = client.get(R.ipAddressPools, ns, pool.name);
    if (obj && !jsonEqual(obj.status, status))
      client.patch(R.ipAddressPools, ns, pool.name, { status }, { status: true });
  }
}
