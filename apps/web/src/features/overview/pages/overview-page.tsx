// Route /: one glance — the API reachable through every way in, BGP sessions, the route-policy audit worst first,
// DNS, every source's status and age; then the plan: what it is, its findings, whether the file on disk is valid.
import type { PlanResponse } from "@k3s-ha/shared";
import { useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { Link } from "wouter";
import { StaleNotice, useIsStale } from "../../../components/stale-notice";
import { Card, CardTitle, LoadError, Loading, PageHeader } from "../../../components/ui";
import { formatAgo, formatDateTime } from "../../../lib/format";
import { DnsCard } from "../../dns/components/dns-card";
import { severityStyles } from "../../plan/components/kind-styles";
import { groupBySeverity, severities } from "../../plan/findings";
import { planQueries } from "../../plan/queries";
import { AuditChecksCard } from "../../route-audit/components/audit-checks";
import { SourcesCard } from "../../sources/components/sources-card";
import { CalicoWarning, ReachabilityCard, SessionsCard } from "../components/live-glance";

function Fact({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div>
      <dt className="text-xs font-medium text-slate-500 dark:text-slate-400">{term}</dt>
      <dd className="mt-0.5 text-sm">{children}</dd>
    </div>
  );
}

const mono = "font-mono text-[0.8125rem] break-all";

function PlanSummary({ response }: { response: PlanResponse }) {
  const { plan } = response;
  if (!plan) return <p className="p-4 text-sm">No valid plan has been loaded yet.</p>;
  const servers = plan.nodes.filter((n) => n.role === "server").length;
  return (
    <dl className="grid gap-4 p-4 sm:grid-cols-2">
      <Fact term="Site prefix">
        <span className={mono}>{plan.network.prefix}</span>
      </Fact>
      <Fact term="API VIP">
        <span className={mono}>{plan.network.apiVip}</span>
      </Fact>
      <Fact term="Nodes">
        {plan.nodes.length} ({servers} server{servers === 1 ? "" : "s"}, {plan.nodes.length - servers} agent
        {plan.nodes.length - servers === 1 ? "" : "s"})
      </Fact>
      <Fact term="BGP">
        AS {plan.bgp.clusterAsn} ↔ {plan.bgp.router.name} AS {plan.bgp.router.asn} ({plan.bgp.router.platform}
        )
      </Fact>
      <Fact term="DNS">
        <span className={mono}>{plan.dns.vipName}</span>,{" "}
        <span className={mono}>{plan.dns.roundRobinName}</span>
      </Fact>
      <Fact term="Kubernetes ranges">
        <span className={mono}>
          services {plan.network.serviceCidr} · pods {plan.network.podCidr}
        </span>
      </Fact>
    </dl>
  );
}

function FindingCounts({ response }: { response: PlanResponse }) {
  const groups = groupBySeverity(response.findings);
  return (
    <ul className="grid grid-cols-3 gap-3 p-4">
      {severities.map((severity) => {
        const count = groups[severity].length;
        const style = severityStyles[severity];
        return (
          <li key={severity}>
            <Link
              href="/address-plan"
              className={`block rounded-lg border p-3 hover:shadow-sm ${style.panel}`}
            >
              <span className="block text-2xl font-semibold tabular-nums">{count}</span>{" "}
              <span className="text-sm text-slate-700 dark:text-slate-300">
                {style.label}
                {severity === "info" ? "" : count === 1 ? "" : "s"}
              </span>
              <span className="sr-only">: open the address plan</span>
            </Link>
          </li>
        );
      })}
    </ul>
  );
}

function SourceFacts({ response }: { response: PlanResponse }) {
  const { source, errors } = response;
  const stale = useIsStale();
  return (
    <dl className="grid gap-4 p-4 sm:grid-cols-2">
      <Fact term="File">
        <span className={mono}>{source.file}</span>
      </Fact>
      <Fact term="Status">
        {source.status === "ok" ? (
          <span className="font-medium text-emerald-800 dark:text-emerald-300">
            Valid{stale && <span className="font-normal"> when last seen (not live)</span>}
          </span>
        ) : (
          <Link href="/address-plan" className="font-medium text-red-800 underline dark:text-red-300">
            Invalid: {errors.length} error{errors.length === 1 ? "" : "s"}, showing the last good plan
          </Link>
        )}
      </Fact>
      <Fact term="Read">
        <time dateTime={source.loadedAt} title={formatDateTime(source.loadedAt)}>
          {formatAgo(source.loadedAt)}
        </time>
      </Fact>
      <Fact term="Revision">{source.revision}</Fact>
    </dl>
  );
}

export function OverviewPage() {
  const { data, error, isPending, dataUpdatedAt } = useQuery(planQueries.current());
  return (
    <>
      <PageHeader title="Overview">
        {data?.plan ? (
          <>
            <span className="font-medium text-slate-800 dark:text-slate-200">{data.plan.metadata.name}</span>
            {data.plan.metadata.description && <> — {data.plan.metadata.description}</>}
          </>
        ) : (
          "The plan this console works from."
        )}
      </PageHeader>
      <CalicoWarning />
      <div className="mb-6 grid gap-6 lg:grid-cols-2">
        <ReachabilityCard />
        <AuditChecksCard />
        <SessionsCard />
        <DnsCard />
      </div>
      <StaleNotice updatedAt={dataUpdatedAt} what="the plan shown here" />
      {isPending ? (
        <Loading what="the plan" />
      ) : error ? (
        <LoadError what="the plan" error={error} />
      ) : (
        <div className="grid gap-6 lg:grid-cols-2">
          <Card className="lg:row-span-2">
            <CardTitle
              aside={
                <Link href="/address-plan" className="text-sky-800 underline dark:text-sky-300">
                  Address plan
                </Link>
              }
            >
              Plan
            </CardTitle>
            <PlanSummary response={data} />
          </Card>
          <Card>
            <CardTitle aside={`${data.findings.length} in total`}>Findings</CardTitle>
            <FindingCounts response={data} />
          </Card>
          <Card>
            <CardTitle>Plan file</CardTitle>
            <SourceFacts response={data} />
          </Card>
          <SourcesCard />
        </div>
      )}
    </>
  );
}
