// Route /cluster: nodes, the API endpoint matrix, the API Service and LoadBalancer services, MetalLB and Calico —
// as the console's informers see them, live. Loaded on demand (the YAML views bring the yaml library).
import { useQuery } from "@tanstack/react-query";
import { StaleNotice } from "../../../components/stale-notice";
import { LoadError, Loading, PageHeader } from "../../../components/ui";
import { EndpointMatrixCard } from "../../endpoints/components/endpoint-matrix";
import { CalicoWarning } from "../../overview/components/live-glance";
import { SourceState } from "../../sources/components/source-state";
import { CalicoCard, MetalLbCard } from "../components/metallb-calico";
import { NodesCard } from "../components/nodes-card";
import { ServicesCard } from "../components/services-card";
import { clusterQueries } from "../queries";

export default function ClusterPage() {
  const cluster = useQuery(clusterQueries.current());
  return (
    <>
      <PageHeader title="Cluster" aside={<SourceState id="kubernetes" label="Kubernetes API" />}>
        Nodes, the ways in to the API, MetalLB and Calico, as the cluster reports them.
      </PageHeader>
      <CalicoWarning />
      {cluster.isPending ? (
        <Loading what="the cluster" />
      ) : cluster.isError ? (
        <LoadError what="the cluster" error={cluster.error} />
      ) : !cluster.data.cluster ? (
        <p className="text-sm text-slate-700 dark:text-slate-300">
          The cluster has not been read yet: see the Kubernetes API source above for why.
        </p>
      ) : (
        <div className="space-y-5">
          <StaleNotice updatedAt={cluster.dataUpdatedAt} what="the cluster" />
          <NodesCard nodes={cluster.data.cluster.nodes} />
          <EndpointMatrixCard />
          <ServicesCard
            api={cluster.data.cluster.apiService}
            loadBalancers={cluster.data.cluster.loadBalancerServices}
          />
          <div className="grid grid-cols-1 gap-5 lg:grid-cols-2">
            <MetalLbCard metallb={cluster.data.cluster.metallb} />
            <CalicoCard calico={cluster.data.cluster.calico} />
          </div>
        </div>
      )}
    </>
  );
}
