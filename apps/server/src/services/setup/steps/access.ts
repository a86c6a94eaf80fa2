// The manual steps that hand the HA endpoint to people: `kubeconfig` (a download per published HA name, verified by
// an authenticated request through the name) and `join-command` (further servers join through the round-robin name;
// verified by /cacerts answering through every address of it). The cluster token is never read or shown.
import { Resolver } from "node:dns/promises";
import { request } from "node:https";
import { canonicalIp, type SetupCheck } from "@k3s-ha/shared";
import { check, type StepContext, type StepDriver } from "../driver.js";
import { endpointUrl, type HaEndpoint } from "../kubeconfig.js";

async function resolveName(ctx: StepContext, name: string): Promise<string[]> {
  const r = new Resolver({ timeout: 2_000, tries: 2 });
  r.setServers([`[${ctx.plan.dns.server}]:${ctx.plan.dns.port}`]);
  return r.resolve6(name).catch(() => []);
}

/** GET `path` at [address]:port verifying the certificate for `name`, with or without the kubeconfig's credentials. */
async function getThrough(
  ctx: StepContext,
  name: string,
  address: string,
  path: string,
  credentials: boolean,
) {
  const access = await ctx.kubeAccess();
  const port = Number(access.server.port || 443);
  return new Promise<{ status?: number; error?: string }>((resolve) => {
    const req = request(
      {
        host: address,
        port,
        path,
        servername: name,
        ...(access.tls.ca ? { ca: access.tls.ca } : {}),
        ...(credentials && access.tls.cert ? { cert: access.tls.cert } : {}),
        ...(credentials && access.tls.key ? { key: access.tls.key } : {}),
        headers: credentials ? access.tls.headers : {},
        checkServerIdentity: (_host, cert) => {
          const sans = (cert.subjectaltname ?? "")
            .split(/,\s*/)
            .map((s) => s.replace(/^DNS:/, "").toLowerCase());
          return sans.includes(name.toLowerCase())
            ? undefined
            : new Error(`the certificate does not name ${name}`);
        },
        agent: false,
        signal: AbortSignal.any([ctx.signal, AbortSignal.timeout(5_000)]),
      },
      (res) => {
        res.resume();
        resolve({ status: res.statusCode ?? 0 });
      },
    );
    req.on("error", (err: NodeJS.ErrnoException) => resolve({ error: err.message || err.code }));
    req.end();
  });
}

const endpoints: { endpoint: HaEndpoint; name: (ctx: StepContext) => string }[] = [
  { endpoint: "vip-name", name: (ctx) => ctx.plan.dns.vipName },
  { endpoint: "round-robin", name: (ctx) => ctx.plan.dns.roundRobinName },
];

export const kubeconfigStep: StepDriver = {
  id: "kubeconfig",
  async plan(ctx) {
    const access = await ctx.kubeAccess();
    const port = Number(access.server.port || 443);
    return {
      changes: [],
      satisfied: false,
      refusals: [],
      instructions: [
        ...endpoints.map(
          (e) =>
            `Download the kubeconfig for ${endpointUrl(ctx.plan, e.endpoint, port)} (${e.endpoint}) once its name is in DNS.`,
        ),
        "It carries the admin credentials of the console's kubeconfig: the download is confirmed and audited. Then run Verify: it makes a real request through each published name.",
      ],
    };
  },
  async verify(ctx): Promise<SetupCheck[]> {
    const out: SetupCheck[] = [];
    for (const e of endpoints) {
      const name = e.name(ctx);
      const addresses = await resolveName(ctx, name);
      if (!addresses.length) continue;
      const first = addresses[0] ?? "";
      const r = await getThrough(ctx, name, first, "/api/v1/namespaces/default?resourceVersion=0", true);
      out.push(
        check(
          `kubeconfig-${e.endpoint}`,
          `A request through ${name} succeeds`,
          r.status === 200,
          `${name} → [${first}]: ${r.status ? `HTTP ${r.status}` : r.error}`,
        ),
      );
    }
    if (!out.length)
      out.push(
        check(
          "kubeconfig-published",
          "An HA name is in DNS",
          false,
          "neither the VIP's name nor the round-robin name answers yet",
        ),
      );
    return out;
  },
};

export const joinCommandStep: StepDriver = {
  id: "join-command",
  async plan(ctx) {
    const access = await ctx.kubeAccess();
    const port = Number(access.server.port || 443);
    const url = endpointUrl(ctx.plan, "round-robin", port);
    return {
      changes: [],
      satisfied: false,
      refusals: [],
      instructions: [
        `On the new server: curl -sfL https://get.k3s.io | K3S_TOKEN=<token> sh -s - server --server ${url}`,
        "The token is on every existing server in /var/lib/rancher/k3s/server/token (read it there with sudo; the console never reads or shows it).",
        `Add the new server to the plan (nodes) and to the round-robin records (dns-round-robin) once it is Ready, then run the apiserver-config step so its certificate names ${ctx.plan.dns.roundRobinName}.`,
        `What to expect from this option: clients resolve ${ctx.plan.dns.roundRobinName} (TTL ${ctx.plan.dns.ttl} s) and dial the answers in order — Go clients (kubectl, client-go) split their dial deadline over the addresses (at least 2 s each), so a silently dead first server costs a stall of seconds; Node's happy eyeballs moves on after 250 ms. Run a failover test (Failover page, endpoint round-robin) to measure it on this cluster.`,
      ],
    };
  },
  async verify(ctx): Promise<SetupCheck[]> {
    const name = ctx.plan.dns.roundRobinName;
    const addresses = await resolveName(ctx, name);
    const servers = ctx.plan.nodes.filter((n) => n.role === "server").map((n) => canonicalIp(n.address));
    const out: SetupCheck[] = [
      check(
        "join-name-resolves",
        `${name} answers every server`,
        servers.every((s) => addresses.some((a) => canonicalIp(a) === s)),
        `answers: ${addresses.join(", ") || "none"}`,
      ),
    ];
    for (const a of addresses) {
      const r = await getThrough(ctx, name, a, "/cacerts", false);
      out.push(
        check(
          `join-cacerts-${canonicalIp(a)}`,
          `/cacerts answers through ${name} at ${a}`,
          r.status === 200,
          r.status ? `HTTP ${r.status}` : (r.error ?? "no answer"),
        ),
      );
    }
    return out;
  },
};
