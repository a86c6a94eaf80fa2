// Route /address-plan: the plan's ranges and addresses on the allocation map, its findings, the file's state.
import { useQuery } from "@tanstack/react-query";
import { StaleNotice } from "../../../components/stale-notice";
import { LoadError, Loading, PageHeader } from "../../../components/ui";
import { HostKeyPins } from "../../hosts/components/host-key-pins";
import { AddressPlanView } from "../components/address-plan-view";
import { SourceStatus } from "../components/source-status";
import { planQueries } from "../queries";

export function AddressPlanPage() {
  const { data, error, isPending, dataUpdatedAt } = useQuery(planQueries.current());
  return (
    <>
      <PageHeader title="Address plan" aside={data && <SourceStatus source={data.source} />}>
        {data?.plan ? (
          <>
            <span className="font-medium text-slate-800 dark:text-slate-200">{data.plan.metadata.name}</span>
            {data.plan.metadata.description && <> — {data.plan.metadata.description}</>}
          </>
        ) : (
          "Where every range and key address sits in the site prefix, and what the linter says about them."
        )}
      </PageHeader>
      <StaleNotice updatedAt={dataUpdatedAt} what="the plan and its findings" />
      {isPending ? (
        <Loading what="the plan" />
      ) : error ? (
        <LoadError what="the plan" error={error} />
      ) : (
        <>
          <AddressPlanView response={data} />
          <HostKeyPins />
        </>
      )}
    </>
  );
}
