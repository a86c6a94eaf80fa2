// The endpoint matrix: every way a client reaches the API — each server's address, the VIP, each address of the
// round-robin and VIP names (as the DNS source last resolved them) — probed with the kubeconfig's CA and
// credentials: TCP, TLS, the SAN check a client makes for what it dialled, `/readyz`, each with its latency.
import { type RequestOptions, request } from "node:https";
import {
  type ConnectionOptions,
  checkServerIdentity,
  createSecureContext,
  type SecureContext,
  type TLSSocket,
} from "node:tls";
import { isDeepStrictEqual } from "node:util";
import {
  canonicalIp,
  type DnsSnapshot,
  type EndpointProbe,
  endpointsResponseSchema,
  type Plan,
} from "@k3s-ha/shared";
import type { KubeTls } from "../plugins/kube.js";

export interface ProbeTarget {
  target: EndpointProbe["target"];
  name?: string;
  address: string;
  /**
   * An address the plan names (a server, the VIP). A DNS answer outside the plan is still probed (TCP, TLS, SAN), but
   * without the kubeconfig's credentials: a wrong or hostile record must not collect the console's token.
   */
  planned: boolean;
}

const ms = (start: number) => Math.round((performance.now() - start) * 10) / 10;

/** What a client would dial: servers, the VIP, and every address the names resolved to. */
export function endpointTargets(plan: Plan, dns: DnsSnapshot | undefined): ProbeTarget[] {
  const targets: ProbeTarget[] = plan.nodes
    .filter((n) => n.role === "server")
    .map((n) => ({ target: `node:${n.name}` as const, address: n.address, planned: true }));
  targets.push({ target: "vip", address: plan.network.apiVip, planned: true });
  const known = new Set(targets.map((t) => canonicalIp(t.address) ?? t.address));
  for (const n of dns?.names ?? [])
    for (const a of n.answers)
      targets.push({
        target: n.kind,
        name: n.name,
        address: a.address,
        planned: known.has(canonicalIp(a.address) ?? a.address),
      });
  return targets;
}

/**
 * The kubeconfig's TLS material as contexts, parsed once per kubeconfig rather than per probe: with its client
 * certificate for planned addresses, with the CA alone for the rest.
 */
const contexts = new WeakMap<KubeTls, { planned: SecureContext; unplanned: SecureContext }>();
function secureContextFor(tls: KubeTls, planned: boolean): SecureContext {
  let c = contexts.get(tls);
  if (!c) {
    const ca = tls.ca ? { ca: tls.ca } : {};
    c = {
      planned: createSecureContext({
        ...ca,
        ...(tls.cert ? { cert: tls.cert } : {}),
        ...(tls.key ? { key: tls.key } : {}),
      }),
      unplanned: createSecureContext(ca),
    };
    contexts.set(tls, c);
  }
  return planned ? c.planned : c.unplanned;
}

export async function probeEndpoint(
  t: ProbeTarget,
  port: number,
  tls: KubeTls,
  signal: AbortSignal,
  timeoutMs = 2_000,
): Promise<EndpointProbe> {
  const { planned, ...where } = t;
  const out: EndpointProbe = {
    ...where,
    ...(planned ? {} : { outsidePlan: true }),
    port,
    tcp: { ok: false },
    tls: { ok: false, sanCovers: false },
    readyz: { status: null },
  };
  const start = performance.now();
  const abort = AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]);
  return new Promise((resolve) => {
    let done = false;
    const finish = (error?: string) => {
      if (done) return;
      done = true;
      if (error) {
        if (!out.tcp.ok) out.tcp.error = error;
        else if (out.tls.ms === undefined) out.tls.error = out.tls.error ?? error;
        else out.readyz.error = error;
      }
      resolve(out);
    };
    // https.request hands its options to tls.connect, secureContext too (its types leave that out).
    const options: RequestOptions & Pick<ConnectionOptions, "secureContext"> = {
      hostname: t.address,
      port,
      path: "/readyz",
      method: "GET",
      // SNI only for names; the SAN check below is made for exactly what was dialled.
      ...(t.name ? { servername: t.name } : {}),
      secureContext: secureContextFor(tls, planned),
      headers: planned ? tls.headers : {},
      rejectUnauthorized: false,
      checkServerIdentity: () => undefined,
      agent: false,
      signal: abort,
    };
    const req = request(options, (res) => {
      out.readyz = { status: res.statusCode ?? null, ms: ms(start) };
      res.resume();
      res.on("end", () => finish());
      res.on("error", () => finish());
    });
    req.on("socket", (socket) => {
      socket.once("connect", () => {
        out.tcp = { ok: true, ms: ms(start) };
      });
      socket.once("secureConnect", () => {
        const s = socket as TLSSocket;
        const cert = s.getPeerCertificate();
        const identity = checkServerIdentity(t.name ?? t.address, cert);
        out.tls = {
          ok: s.authorized,
          sanCovers: identity === undefined,
          ms: ms(start),
          ...(s.authorized
            ? {}
            : { error: `certificate not trusted by the kubeconfig's CA (${s.authorizationError})` }),
          ...(identity ? { error: identity.message } : {}),
        };
      });
    });
    req.on("error", (err: NodeJS.ErrnoException) =>
      finish(abort.aborted && !signal.aborted ? "timeout" : (err.code ?? err.message)),
    );
    req.end();
  });
}

export async function collectEndpoints(
  plan: Plan,
  dns: DnsSnapshot | undefined,
  access: { server: URL; tls: KubeTls },
  signal: AbortSignal,
): Promise<{ endpoints: EndpointProbe[] }> {
  const port = Number(access.server.port || 443);
  const targets = endpointTargets(plan, dns);
  return { endpoints: await Promise.all(targets.map((t) => probeEndpoint(t, port, access.tls, signal))) };
}

/** The matrix without its latencies: a poll publishes only when an outcome changed. */
export function sameOutcomes(a: unknown, b: { endpoints: EndpointProbe[] }): boolean {
  const strip = (e: EndpointProbe) => ({
    ...e,
    tcp: { ...e.tcp, ms: undefined },
    tls: { ...e.tls, ms: undefined },
    readyz: { ...e.readyz, ms: undefined },
  });
  const prev = endpointsResponseSchema.safeParse(a);
  return prev.success && isDeepStrictEqual(prev.data.endpoints.map(strip), b.endpoints.map(strip));
}
