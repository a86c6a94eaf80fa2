// Route /failover, loaded on demand: start a run (or just observe while you work elsewhere) and the runs so far.
import { useQuery } from "@tanstack/react-query";
import { LoadError, Loading, PageHeader } from "../../../components/ui";
import { planQueries } from "../../plan/queries";
import { FailureTableCard } from "../components/failure-table";
import { NewRunForm } from "../components/new-run-form";
import { RunsList } from "../components/runs-list";

export default function FailoverPage() {
  const plan = useQuery(planQueries.current());
  return (
    <>
      <PageHeader title="Failover">
        Measure the API through every way a client reaches it — the VIP, the names, each server — while a node
        is drained, stopped or cut off, or while you do maintenance elsewhere.
      </PageHeader>
      <div className="space-y-5">
        {plan.isPending ? (
          <Loading what="the plan" />
        ) : plan.isError ? (
          <LoadError what="the plan" error={plan.error} />
        ) : plan.data.plan ? (
          <NewRunForm plan={plan.data.plan} />
        ) : (
          <p className="text-sm">
            The plan is not valid: fix it on the Address plan page before running a test.
          </p>
        )}
        <RunsList />
        <FailureTableCard />
      </div>
    </>
  );
}
