// The DNS source: the plan's round-robin and VIP names resolved at the plan's DNS server and port (node:dns's
// Resolver pointed at it, a per-query timeout, cancelled with the poll), compared with what the plan expects.
import { Resolver } from "node:dns/promises";
import {
  compareDnsName,
  type DnsLookup,
  type DnsSnapshot,
  expectedDnsNames,
  type Plan,
} from "@k3s-ha/shared";
import { CollectError } from "./poller.js";

const LOOKUP_CODES: Record<string, { code: string; message: string }> = {
  ENOTFOUND: { code: "DNS_NXDOMAIN", message: "the server says the name does not exist (NXDOMAIN)" },
  ENODATA: { code: "DNS_NODATA", message: "the name exists but has no AAAA record" },
  ESERVFAIL: { code: "DNS_SERVFAIL", message: "the server failed to answer (SERVFAIL)" },
  EREFUSED: { code: "DNS_REFUSED", message: "the server refused the query" },
};

/** Errors that mean the server itself did not answer (the source fails rather than every name). */
const UNREACHABLE = new Set(["ETIMEOUT", "ECONNREFUSED", "ECANCELLED"]);

export function dnsServerAddress(plan: Plan): string {
  return `[${plan.dns.server}]:${plan.dns.port}`;
}

export async function collectDns(plan: Plan, signal: AbortSignal, timeoutMs = 2_000): Promise<DnsSnapshot> {
  const resolver = new Resolver({ timeout: timeoutMs, tries: 2 });
  const server = dnsServerAddress(plan);
  resolver.setServers([server]);
  const cancel = () => resolver.cancel();
  signal.addEventListener("abort", cancel, { once: true });
  try {
    const wanted = expectedDnsNames(plan);
    const lookups = await Promise.all(
      wanted.map(async (w): Promise<DnsLookup | { unreachable: string }> => {
        try {
          const answers = await resolver.resolve6(w.name, { ttl: true });
          return { answers: answers.map((a) => ({ address: a.address, ttl: a.ttl })) };
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code ?? "";
          if (UNREACHABLE.has(code)) return { unreachable: code };
          const known = LOOKUP_CODES[code] ?? {
            code: "DNS_ERROR",
            message: `the lookup failed (${code || "unknown"})`,
          };
          return { answers: [], error: known };
        }
      }),
    );
    const down = lookups.find((l): l is { unreachable: string } => "unreachable" in l);
    if (down)
      throw new CollectError(
        down.unreachable === "ETIMEOUT" ? "DNS_TIMEOUT" : "DNS_UNREACHABLE",
        `the DNS server ${server} did not answer (${down.unreachable})`,
      );
    return {
      server,
      names: wanted.map((w, i) => {
        const l = lookups[i];
        return compareDnsName(plan, w, l && !("unreachable" in l) ? l : { answers: [] });
      }),
    };
  } finally {
    signal.removeEventListener("abort", cancel);
  }
}
