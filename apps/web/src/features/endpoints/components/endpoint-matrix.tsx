// The API endpoint matrix: every way a client reaches the API (each server, the VIP, every address of each DNS
// name) with TCP, TLS trust, whether the certificate covers what was dialled, /readyz and its latency.
import type { EndpointProbe } from "@k3s-ha/shared";
import { useQuery } from "@tanstack/react-query";
import { Card, CardTitle, LoadError, Loading, Mono, Pill, type Tone } from "../../../components/ui";
import { endpointQueries } from "../queries";

export function targetLabel(e: Pick<EndpointProbe, "target" | "name">): string {
  if (e.target === "vip") return "VIP";
  if (e.target === "vip-name") return `VIP name ${e.name ?? ""}`;
  if (e.target === "round-robin") return `Round-robin ${e.name ?? ""}`;
  return e.target.replace(/^node:/, "");
}

/** The one-word verdict for a way in, with why when it is not "ready". */
export function verdict(e: EndpointProbe): { tone: Tone; word: string; why?: string } {
  if (e.outsidePlan)
    return {
      tone: "bad",
      word: "not in the plan",
      why: "DNS answers an address the plan does not name (probed without the kubeconfig's credentials)",
    };
  if (!e.tcp.ok) return { tone: "bad", word: "unreachable", why: `TCP: ${e.tcp.error ?? "failed"}` };
  if (!e.tls.ok && e.tls.ms === undefined) return { tone: "bad", word: "TLS failed", why: e.tls.error };
  if (!e.tls.ok) return { tone: "bad", word: "untrusted", why: e.tls.error };
  if (!e.tls.sanCovers)
    return {
      tone: "bad",
      word: "name not in cert",
      why: `the certificate does not cover ${e.name ?? e.address}`,
    };
  if (e.readyz.status === 200) return { tone: "good", word: "ready" };
  if (e.readyz.status === 401 || e.readyz.status === 403)
    return {
      tone: "warn",
      word: `HTTP ${e.readyz.status}`,
      why: "the kubeconfig's credentials were refused",
    };
  if (e.readyz.status === null) return { tone: "bad", word: "no answer", why: e.readyz.error };
  return { tone: "bad", word: `HTTP ${e.readyz.status}`, why: "/readyz is not ready" };
}

const ms = (v: number | undefined) => (v === undefined ? "—" : `${Math.round(v)} ms`);
const th = "px-3 py-2 text-left text-xs font-semibold text-slate-600 dark:text-slate-400";
const td = "px-3 py-2 align-top";

export function EndpointMatrix({ endpoints }: { endpoints: EndpointProbe[] }) {
  if (endpoints.length === 0)
    return <p className="p-4 text-sm text-slate-700 dark:text-slate-300">No way in has been probed yet.</p>;
  return (
    <>
      <table className="hidden w-full text-sm md:table">
        <thead className="border-b border-slate-200 dark:border-slate-800">
          <tr>
            <th className={th}>Way in</th>
            <th className={th}>Address</th>
            <th className={th}>Verdict</th>
            <th className={th}>TCP</th>
            <th className={th}>TLS</th>
            <th className={th}>/readyz</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
          {endpoints.map((e) => {
            const v = verdict(e);
            return (
              <tr key={`${e.target} ${e.address}`}>
                <td className={`${td} font-medium`}>{targetLabel(e)}</td>
                <td className={td}>
                  <Mono>{e.address}</Mono>
                </td>
                <td className={td}>
                  <Pill tone={v.tone}>{v.word}</Pill>
                  {v.why && <p className="mt-1 text-xs text-slate-600 dark:text-slate-400">{v.why}</p>}
                </td>
                <td className={`${td} tabular-nums`}>{e.tcp.ok ? ms(e.tcp.ms) : "failed"}</td>
                <td className={`${td} tabular-nums`}>
                  {e.tls.ms === undefined ? "—" : `${ms(e.tls.ms)}${e.tls.ok && e.tls.sanCovers ? "" : " ✗"}`}
                </td>
                <td className={`${td} tabular-nums`}>
                  {e.readyz.status ?? "—"} {e.readyz.status !== null && `in ${ms(e.readyz.ms)}`}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <ul className="divide-y divide-slate-100 md:hidden dark:divide-slate-800">
        {endpoints.map((e) => {
          const v = verdict(e);
          return (
            <li key={`${e.target} ${e.address}`} className="space-y-1 p-4 text-sm">
              <div className="flex flex-wrap items-center justify-between gap-2">
                <span className="font-medium break-all">{targetLabel(e)}</span>
                <Pill tone={v.tone}>{v.word}</Pill>
              </div>
              <Mono className="block text-slate-600 dark:text-slate-400">{e.address}</Mono>
              {v.why && <p className="text-slate-700 dark:text-slate-300">{v.why}</p>}
              <p className="tabular-nums text-slate-600 dark:text-slate-400">
                TCP {e.tcp.ok ? ms(e.tcp.ms) : "failed"} · TLS {ms(e.tls.ms)} · /readyz{" "}
                {e.readyz.status ?? "—"} {e.readyz.status !== null && `in ${ms(e.readyz.ms)}`}
              </p>
            </li>
          );
        })}
      </ul>
    </>
  );
}

/** Per way in (a name counts once, however many addresses): ready when every address is. */
export function reachability(endpoints: EndpointProbe[]) {
  const groups = new Map<string, EndpointProbe[]>();
  for (const e of endpoints) {
    const key = targetLabel(e);
    groups.set(key, [...(groups.get(key) ?? []), e]);
  }
  return [...groups].map(([label, list]) => {
    const ready = list.filter((e) => verdict(e).word === "ready").length;
    return { label, ready, total: list.length, worst: list.map(verdict).find((v) => v.word !== "ready") };
  });
}

export function EndpointMatrixCard() {
  const matrix = useQuery(endpointQueries.matrix());
  return (
    <Card>
      <CardTitle>API endpoints</CardTitle>
      {matrix.isPending ? (
        <Loading what="the endpoint matrix" />
      ) : matrix.isError ? (
        <div className="p-4">
          <LoadError what="the endpoint matrix" error={matrix.error} />
        </div>
      ) : (
        <EndpointMatrix endpoints={matrix.data.endpoints} />
      )}
    </Card>
  );
}
