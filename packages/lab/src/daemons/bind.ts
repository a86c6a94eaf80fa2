// BIND9 on the router, port 5353: the lab zone with TSIG-signed dynamic updates (files under /var/lib/bind for AppArmor).
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { output, run, waitFor } from "../exec.js";
import type { LabTopology } from "../topology.js";

export const namedPidFile = (t: LabTopology) => path.join(t.bindDir, "named.pid");
export const tsigKeyFile = (t: LabTopology) => path.join(t.stateDir, "tsig.key");
const bindTsigKey = (t: LabTopology) => path.join(t.bindDir, "tsig.key");

/** `tsig-keygen -a hmac-sha256 NAME`: a `key "NAME" { algorithm …; secret "…"; };` block. */
export async function makeTsigKey(t: LabTopology): Promise<string> {
  return output("tsig-keygen", ["-a", "hmac-sha256", t.dns.tsigName]);
}

function renderNamedConf(t: LabTopology): string {
  const d = t.bindDir;
  return `// The k3s-ha lab's BIND: authoritative for ${t.dns.zone} on [${t.router.address}]:${t.dns.port} only.
include "${bindTsigKey(t)}";

options {
  directory "${d}";
  pid-file "${namedPidFile(t)}";
  session-keyfile "${path.join(d, "session.key")}";
  managed-keys-directory "${d}";
  listen-on port ${t.dns.port} { none; };
  listen-on-v6 port ${t.dns.port} { ${t.router.address}; };
  recursion no;
  dnssec-validation no;
  notify no;
};

controls { };

logging {
  channel lab_log { file "${path.join(d, "named.log")}" versions 1 size 5m; print-time yes; severity info; };
  category default { lab_log; };
};

zone "${t.dns.zone}" {
  type primary;
  file "${path.join(d, `${t.dns.zone}.zone`)}";
  allow-update { key "${t.dns.tsigName}"; };
};
`;
}

function renderZone(t: LabTopology): string {
  return `$TTL ${t.dns.ttl}
@ IN SOA ns1.${t.dns.zone}. hostmaster.${t.dns.zone}. ( 1 3600 600 86400 ${t.dns.ttl} )
@ IN NS ns1.${t.dns.zone}.
ns1 IN AAAA ${t.router.address}
${t.nodes.map((n) => `${n.name} IN AAAA ${n.address}`).join("\n")}
`;
}

export async function startBind(t: LabTopology, tsigKey: string): Promise<void> {
  await mkdir(t.bindDir, { recursive: true });
  await writeFile(bindTsigKey(t), tsigKey, { mode: 0o640 });
  await writeFile(path.join(t.bindDir, "named.conf"), renderNamedConf(t));
  await writeFile(path.join(t.bindDir, `${t.dns.zone}.zone`), renderZone(t));
  await run("named", ["-c", path.join(t.bindDir, "named.conf")], { ns: t.router.ns });
  await waitFor(
    "BIND to answer",
    async () => ((await dig(t, "SOA", t.dns.zone, t.router.ns)).includes("hostmaster") ? true : undefined),
    { timeoutMs: 10_000, intervalMs: 100 },
  );
}

/** `dig <output flags> TYPE NAME @router -p 5353`, one try of 1 s (from the namespace given, the host by default). */
async function digAt(
  t: LabTopology,
  flags: string[],
  type: string,
  name: string,
  ns?: string,
): Promise<string> {
  const args = [
    ...flags,
    "+time=1",
    "+tries=1",
    "-p",
    String(t.dns.port),
    `@${t.router.address}`,
    type,
    name,
  ];
  return (await run("dig", args, { ns, allowFail: true, timeoutMs: 5_000 })).stdout;
}

/** `dig +short TYPE NAME` at the lab's server. */
export function dig(t: LabTopology, type: string, name: string, ns?: string): Promise<string> {
  return digAt(t, ["+short"], type, name, ns);
}

/** The answer section of `dig TYPE NAME` at the lab's server: each record's TTL and data. */
export async function digAnswer(
  t: LabTopology,
  type: string,
  name: string,
): Promise<{ ttl: number; data: string }[]> {
  return (await digAt(t, ["+noall", "+answer"], type, name))
    .split("\n")
    .map((line) => line.trim().split(/\s+/))
    .filter((f) => f.length >= 5 && f[3] === type)
    .map((f) => ({ ttl: Number(f[1]), data: f.slice(4).join(" ") }));
}

/** Sends a TSIG-signed dynamic update (nsupdate), e.g. the round-robin and VIP names at `up`. */
export async function nsupdate(t: LabTopology, commands: readonly string[]): Promise<void> {
  const script = [
    `server ${t.router.address} ${t.dns.port}`,
    `zone ${t.dns.zone}`,
    ...commands,
    "send",
    "",
  ].join("\n");
  await run("nsupdate", ["-k", tsigKeyFile(t)], { input: script, timeoutMs: 10_000 });
}

/**
 * The HA names a preset has: the round-robin name with one AAAA per node and/or the VIP name with the VIP (none
 * before HA: the zone then holds only the nodes' own names). Names a preset does not have are deleted.
 */
export async function publishLabNames(
  t: LabTopology,
  names: { roundRobin: boolean; vipName: boolean },
): Promise<void> {
  const ttl = t.dns.ttl;
  await nsupdate(t, [
    `update delete ${t.dns.roundRobinName}. AAAA`,
    ...(names.roundRobin
      ? t.nodes.map((n) => `update add ${t.dns.roundRobinName}. ${ttl} AAAA ${n.address}`)
      : []),
    `update delete ${t.dns.vipName}. AAAA`,
    ...(names.vipName ? [`update add ${t.dns.vipName}. ${ttl} AAAA ${t.vip}`] : []),
  ]);
}
