// The plan's DNS names as the DNS server answers them: consistent, or which records are missing or extra and
// whether the TTL is the plan's.
import type { DnsNameView } from "@k3s-ha/shared";
import { useQuery } from "@tanstack/react-query";
import { Card, CardTitle, LoadError, Loading, Mono, Pill } from "../../../components/ui";
import { dnsQueries } from "../queries";

function problems(n: DnsNameView): string[] {
  const out: string[] = [];
  if (n.error) out.push(n.error.message);
  if (n.missing.length) out.push(`missing ${n.missing.join(", ")}`);
  for (const e of n.extra)
    out.push(`extra ${e.address}${e.stale ? " (in the site's network: a former node?)" : ""}`);
  if (!n.ttlOk)
    out.push(
      `TTL ${[...new Set(n.answers.map((a) => a.ttl))].join(", ")} s, the plan says ${n.ttlExpected} s`,
    );
  return out;
}

export function DnsCard() {
  const dns = useQuery(dnsQueries.names());
  return (
    <Card>
      <CardTitle
        aside={
          dns.data?.dns ? (
            <>
              at <Mono>{dns.data.dns.server}</Mono>
            </>
          ) : undefined
        }
      >
        DNS
      </CardTitle>
      {dns.isPending ? (
        <Loading what="the DNS names" />
      ) : dns.isError ? (
        <div className="p-4">
          <LoadError what="the DNS names" error={dns.error} />
        </div>
      ) : !dns.data.dns ? (
        <p className="p-4 text-sm text-slate-700 dark:text-slate-300">
          The DNS server has not been asked yet.
        </p>
      ) : (
        <ul className="divide-y divide-slate-100 dark:divide-slate-800">
          {dns.data.dns.names.map((n) => {
            const p = problems(n);
            return (
              <li key={n.name} className="space-y-1 px-4 py-3 text-sm">
                <div className="flex flex-wrap items-center justify-between gap-2">
                  <Mono className="font-medium">{n.name}</Mono>
                  <Pill tone={n.consistent ? "good" : "bad"}>{n.consistent ? "as planned" : "differs"}</Pill>
                </div>
                <p className="text-slate-600 dark:text-slate-400">
                  {n.kind === "round-robin" ? "Round-robin over the servers" : "The VIP's name"}:{" "}
                  {n.answers.length ? n.answers.map((a) => a.address).join(", ") : "no AAAA record"}
                </p>
                {p.length > 0 && (
                  <ul className="list-disc pl-5 text-red-800 dark:text-red-300">
                    {p.map((x) => (
                      <li key={x}>{x}</li>
                    ))}
                  </ul>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </Card>
  );
}
