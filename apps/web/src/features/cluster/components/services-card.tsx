// The API Service (default/kubernetes: the apiservers themselves) and the LoadBalancer services with the IPs MetalLB
// assigned and their endpoints per node, ready or not.
import type { ServiceView } from "@k3s-ha/shared";
import { Card, CardTitle, Mono, Pill } from "../../../components/ui";

function Endpoints({ service }: { service: ServiceView }) {
  if (service.endpoints.length === 0) return <p className="text-red-800 dark:text-red-300">No endpoints.</p>;
  return (
    <ul className="flex flex-wrap gap-1.5" aria-label={`Endpoints of ${service.namespace}/${service.name}`}>
      {service.endpoints.map((e) => (
        <li key={e.address}>
          <Pill tone={e.ready ? "good" : e.terminating ? "warn" : "bad"}>
            {e.node ?? e.address} {e.ready ? "ready" : e.terminating ? "terminating" : "not ready"}
          </Pill>
        </li>
      ))}
    </ul>
  );
}

function ServiceItem({ service }: { service: ServiceView }) {
  const assigned = service.loadBalancerIPs;
  return (
    <li className="space-y-1.5 px-4 py-3 text-sm">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <span className="font-medium">
          {service.namespace}/{service.name}
        </span>
        <span className="text-xs text-slate-600 dark:text-slate-400">
          {service.type}
          {service.externalTrafficPolicy ? ` · externalTrafficPolicy ${service.externalTrafficPolicy}` : ""} ·
          ports {service.ports.map((p) => p.port).join(", ")}
        </span>
      </div>
      {service.type === "LoadBalancer" && (
        <p>
          {assigned.length ? (
            <>
              Assigned <Mono>{assigned.join(", ")}</Mono>
            </>
          ) : (
            <span className="text-red-800 dark:text-red-300">
              No IP assigned
              {service.requestedIPs.length ? ` (asks for ${service.requestedIPs.join(", ")})` : ""}
            </span>
          )}
        </p>
      )}
      <p className="text-slate-600 dark:text-slate-400">
        ClusterIP <Mono>{service.clusterIPs.join(", ") || "none"}</Mono>
      </p>
      <Endpoints service={service} />
    </li>
  );
}

export function ServicesCard({
  api,
  loadBalancers,
}: {
  api: ServiceView | null;
  loadBalancers: ServiceView[];
}) {
  return (
    <Card>
      <CardTitle>API Service and LoadBalancer services</CardTitle>
      <ul className="divide-y divide-slate-100 dark:divide-slate-800">
        {api ? (
          <ServiceItem service={api} />
        ) : (
          <li className="p-4 text-sm">default/kubernetes is not listed.</li>
        )}
        {loadBalancers.map((s) => (
          <ServiceItem key={`${s.namespace}/${s.name}`} service={s} />
        ))}
        {loadBalancers.length === 0 && (
          <li className="p-4 text-sm text-slate-700 dark:text-slate-300">
            No LoadBalancer service: the VIP option is not set up.
          </li>
        )}
      </ul>
    </Card>
  );
}
