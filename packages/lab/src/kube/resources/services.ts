// Services: ClusterIP and NodePort allocation from the configured ranges, type-dependent defaults, validation.
import { cidrFirst, cidrLast, cidrSize, formatIp, parseCidr, parseIp } from "@k3s-ha/shared";
import { isObject, type JsonObject, type KubeObject } from "../meta.js";
import {
  type FieldError,
  fieldDuplicate,
  fieldInvalid,
  fieldNotSupported,
  fieldRequired,
  invalid,
} from "../status.js";
import { defineType } from "./define.js";
import type { PrepareContext } from "./types.js";

const TYPES = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"];
const PROTOCOLS = ["SCTP", "TCP", "UDP"];

interface ServiceSpec extends JsonObject {
  type?: string;
  clusterIP?: string;
  clusterIPs?: string[];
  ports?: JsonObject[];
  externalTrafficPolicy?: string;
  allocateLoadBalancerNodePorts?: boolean;
}

const specOf = (o: KubeObject): ServiceSpec => {
  if (!isObject(o.spec)) o.spec = {};
  return o.spec as ServiceSpec;
};

function usedClusterIps(ctx: PrepareContext, self: KubeObject): Set<string> {
  const used = new Set<string>();
  for (const svc of ctx.store.list("", "services")) {
    if (svc.metadata.uid === self.metadata.uid) continue;
    for (const ip of (svc.spec as ServiceSpec | undefined)?.clusterIPs ?? []) used.add(ip);
  }
  return used;
}

/** Dynamic allocation prefers the range above the static band (KEP-3070), at random, as the apiserver does. */
function allocateClusterIp(ctx: PrepareContext, svc: KubeObject): string {
  const cidr = parseCidr(ctx.config.serviceCidr);
  if (!cidr) throw new Error(`invalid service CIDR ${ctx.config.serviceCidr}`);
  const used = usedClusterIps(ctx, svc);
  const first = cidrFirst(cidr) + 1n;
  const last = cidr.family === 4 ? cidrLast(cidr) - 1n : cidrLast(cidr);
  const size = cidrSize(cidr);
  const band = size / 16n < 16n ? 16n : size / 16n > 256n ? 256n : size / 16n;
  const tryRange = (lo: bigint, hi: bigint): string | undefined => {
    if (hi < lo) return undefined;
    const span = hi - lo + 1n;
    const start = BigInt(Math.floor(Math.random() * Number(span > 1_000_000n ? 1_000_000n : span)));
    for (let i = 0n; i < span && i < 100_000n; i++) {
      const ip = formatIp(cidr.family, lo + ((start + i) % span));
      if (!used.has(ip)) return ip;
    }
    return undefined;
  };
  const ip = tryRange(first + band, last) ?? tryRange(first, last);
  if (!ip) {
    throw invalid({ group: "", kind: "Service" }, svc.metadata.name ?? "", [
      fieldInvalid("spec.clusterIPs", [], "failed to allocate IP: range is full"),
    ]);
  }
  return ip;
}

function checkRequestedIp(ctx: PrepareContext, svc: KubeObject, ip: string): FieldError[] {
  const cidr = parseCidr(ctx.config.serviceCidr);
  const parsed = parseIp(ip);
  if (
    !cidr ||
    !parsed ||
    parsed.family !== cidr.family ||
    parsed.value < cidrFirst(cidr) ||
    parsed.value > cidrLast(cidr)
  ) {
    return [
      fieldInvalid(
        "spec.clusterIPs",
        [ip],
        `failed to allocate IP ${ip}: the provided IP (${ip}) is not in the valid range. The range of valid IPs is ${ctx.config.serviceCidr}`,
      ),
    ];
  }
  if (usedClusterIps(ctx, svc).has(formatIp(parsed.family, parsed.value))) {
    return [
      fieldInvalid("spec.clusterIPs", [ip], `failed to allocate IP ${ip}: provided IP is already allocated`),
    ];
  }
  return [];
}

function allocateNodePorts(ctx: PrepareContext, svc: KubeObject, ports: JsonObject[]): void {
  const used = new Set<number>();
  for (const other of ctx.store.list("", "services")) {
    if (other.metadata.uid === svc.metadata.uid) continue;
    for (const p of (other.spec as ServiceSpec | undefined)?.ports ?? [])
      if (typeof p.nodePort === "number") used.add(p.nodePort);
  }
  const [lo, hi] = ctx.config.nodePortRange;
  for (const p of ports) {
    if (typeof p.nodePort === "number") continue;
    const span = hi - lo + 1;
    const start = Math.floor(Math.random() * span);
    for (let i = 0; i < span; i++) {
      const candidate = lo + ((start + i) % span);
      if (!used.has(candidate)) {
        p.nodePort = candidate;
        used.add(candidate);
        break;
      }
    }
  }
}

/** Keeps what was allocated when an update omits it, and drops what the new type does not use. */
function carryOver(spec: ServiceSpec, old: KubeObject | undefined): void {
  const oldSpec = old?.spec as ServiceSpec | undefined;
  if (!oldSpec) return;
  if (!spec.clusterIP && oldSpec.clusterIP) {
    spec.clusterIP = oldSpec.clusterIP;
    spec.clusterIPs = oldSpec.clusterIPs;
  }
  const needsNodePorts =
    spec.type === "NodePort" ||
    (spec.type === "LoadBalancer" && spec.allocateLoadBalancerNodePorts !== false);
  for (const p of spec.ports ?? []) {
    if (!needsNodePorts) {
      const before = oldSpec.ports?.find(
        (o) => o.port === p.port && (o.protocol ?? "TCP") === (p.protocol ?? "TCP"),
      );
      if (before && before.nodePort === p.nodePort) delete p.nodePort;
    } else if (p.nodePort === undefined) {
      const before = oldSpec.ports?.find(
        (o) => o.port === p.port && (o.protocol ?? "TCP") === (p.protocol ?? "TCP"),
      );
      if (before?.nodePort !== undefined) p.nodePort = before.nodePort;
    }
  }
  if (spec.type !== "LoadBalancer" && spec.type !== "NodePort") delete spec.externalTrafficPolicy;
  if (spec.type !== "LoadBalancer") delete spec.allocateLoadBalancerNodePorts;
}

/** LoadBalancerIPMode (GA in 1.32): an ingress IP without ipMode is a VIP. */
function defaultIpMode(svc: KubeObject): void {
  const lb = isObject(svc.status) && isObject(svc.status.loadBalancer) ? svc.status.loadBalancer : undefined;
  const ingress = lb && Array.isArray(lb.ingress) ? lb.ingress : [];
  for (const i of ingress) if (isObject(i) && i.ip && i.ipMode === undefined) i.ipMode = "VIP";
}

function prepareService(svc: KubeObject, ctx: PrepareContext): void {
  defaultIpMode(svc);
  const spec = specOf(svc);
  spec.type ??= "ClusterIP";
  spec.sessionAffinity ??= "None";
  for (const p of spec.ports ?? []) {
    p.protocol ??= "TCP";
    p.targetPort ??= p.port;
  }
  carryOver(spec, ctx.old);
  if (spec.type === "ExternalName") return;
  if (spec.type === "LoadBalancer") spec.allocateLoadBalancerNodePorts ??= true;
  if (spec.type === "LoadBalancer" || spec.type === "NodePort") spec.externalTrafficPolicy ??= "Cluster";
  spec.internalTrafficPolicy ??= "Cluster";
  if (spec.clusterIP !== "None") {
    const requested = spec.clusterIP ?? spec.clusterIPs?.[0];
    const oldIp = (ctx.old?.spec as ServiceSpec | undefined)?.clusterIP;
    if (!requested) spec.clusterIP = allocateClusterIp(ctx, svc);
    else if (requested !== oldIp) {
      const errors = checkRequestedIp(ctx, svc, requested);
      if (errors.length) throw invalid({ group: "", kind: "Service" }, svc.metadata.name ?? "", errors);
      spec.clusterIP = requested;
    }
    spec.clusterIPs = [spec.clusterIP as string];
  } else spec.clusterIPs = ["None"];
  const family =
    spec.clusterIP === "None"
      ? parseCidr(ctx.config.serviceCidr)?.family
      : parseIp(spec.clusterIP ?? "")?.family;
  spec.ipFamilies ??= [family === 4 ? "IPv4" : "IPv6"];
  spec.ipFamilyPolicy ??= "SingleStack";
  const needsNodePorts =
    spec.type === "NodePort" || (spec.type === "LoadBalancer" && spec.allocateLoadBalancerNodePorts);
  if (needsNodePorts && spec.ports) allocateNodePorts(ctx, svc, spec.ports);
}

function serviceErrors(svc: KubeObject, ctx: PrepareContext): FieldError[] {
  const spec = specOf(svc);
  const errors: FieldError[] = [];
  if (!TYPES.includes(spec.type ?? "")) errors.push(fieldNotSupported("spec.type", spec.type ?? "", TYPES));
  const ports = spec.ports ?? [];
  if (ports.length === 0 && spec.type !== "ExternalName" && spec.clusterIP !== "None") {
    errors.push(fieldRequired("spec.ports"));
  }
  const seen = new Set<string>();
  const names = new Set<string>();
  ports.forEach((p, i) => {
    const at = `spec.ports[${i}]`;
    if (ports.length > 1 && !p.name) errors.push(fieldRequired(`${at}.name`));
    if (typeof p.name === "string" && p.name) {
      if (names.has(p.name)) errors.push(fieldDuplicate(`${at}.name`, p.name));
      names.add(p.name);
    }
    if (typeof p.port !== "number" || p.port < 1 || p.port > 65535) {
      errors.push(fieldInvalid(`${at}.port`, p.port ?? 0, "must be between 1 and 65535, inclusive"));
    }
    if (!PROTOCOLS.includes(String(p.protocol)))
      errors.push(fieldNotSupported(`${at}.protocol`, p.protocol, PROTOCOLS));
    const key = `${p.port}/${p.protocol}`;
    if (seen.has(key)) errors.push(fieldDuplicate(at, { port: p.port, protocol: p.protocol }));
    seen.add(key);
  });
  const etp = spec.externalTrafficPolicy;
  if (etp !== undefined && !["Cluster", "Local"].includes(etp)) {
    errors.push(fieldNotSupported("spec.externalTrafficPolicy", etp, ["Cluster", "Local"]));
  }
  const oldIp = (ctx.old?.spec as ServiceSpec | undefined)?.clusterIP;
  if (oldIp && spec.clusterIP !== oldIp && ctx.old && (ctx.old.spec as ServiceSpec).type !== "ExternalName") {
    errors.push(fieldInvalid("spec.clusterIPs[0]", spec.clusterIP ?? "", "may not change once set"));
  }
  return errors;
}

export const servicesType = defineType({
  group: "",
  versions: ["v1"],
  resource: "services",
  kind: "Service",
  shortNames: ["svc"],
  categories: ["all"],
  status: true,
  nameRule: "dns1035",
  returnDeletedObject: true,
  createStatus: () => ({ loadBalancer: {} }),
  fieldLabels: {
    "spec.clusterIP": (o) => specOf(o).clusterIP ?? "",
    "spec.type": (o) => specOf(o).type ?? "",
  },
  prepare: prepareService,
  validate: serviceErrors,
});
