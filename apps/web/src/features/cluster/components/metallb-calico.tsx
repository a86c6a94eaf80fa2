// MetalLB (controller, any speaker, pools, advertisements) and Calico (version, BGPConfiguration, BGPPeer, BGPFilter)
// with readable YAML of each resource.
import type { ClusterSnapshot, CustomView, PodView } from "@k3s-ha/shared";
import { objectYaml } from "@k3s-ha/shared/yaml-view";
import { Card, CardTitle, Mono, Pill } from "../../../components/ui";

function Pods({ pods, none }: { pods: PodView[]; none: string }) {
  if (pods.length === 0) return <span className="text-slate-600 dark:text-slate-400">{none}</span>;
  return (
    <ul className="flex flex-wrap gap-1.5">
      {pods.map((p) => (
        <li key={p.name}>
          <Pill tone={p.ready ? "good" : "bad"}>
            {p.name} on {p.node ?? "?"} {p.ready ? "ready" : (p.phase ?? "not ready")}
          </Pill>
        </li>
      ))}
    </ul>
  );
}

function YamlView({ apiVersion, kind, object }: { apiVersion: string; kind: string; object: CustomView }) {
  return (
    <details className="px-4 py-2 text-sm">
      <summary className="cursor-pointer">
        <span className="font-medium">{kind}</span> <Mono>{object.name}</Mono>
      </summary>
      <pre className="mt-2 overflow-x-auto rounded-md bg-slate-50 p-3 font-mono text-xs text-slate-800 dark:bg-slate-950 dark:text-slate-200">
        {objectYaml(apiVersion, kind, object.name, object.namespace, object.spec)}
      </pre>
    </details>
  );
}

export function MetalLbCard({ metallb }: { metallb: ClusterSnapshot["metallb"] }) {
  return (
    <Card>
      <CardTitle
        aside={
          <Pill tone={metallb.installed ? "good" : "neutral"}>
            {metallb.installed ? "installed" : "not installed"}
          </Pill>
        }
      >
        MetalLB
      </CardTitle>
      <dl className="space-y-3 p-4 text-sm">
        <div>
          <dt className="text-xs font-medium text-slate-500 dark:text-slate-400">
            Controller (allocates the VIP)
          </dt>
          <dd className="mt-1">
            <Pods pods={metallb.controllers} none="No controller pod." />
          </dd>
        </div>
        <div>
          <dt className="text-xs font-medium text-slate-500 dark:text-slate-400">Speakers</dt>
          <dd className="mt-1">
            {metallb.speakers.length ? (
              <>
                <Pods pods={metallb.speakers} none="" />
                <p className="mt-1 text-red-800 dark:text-red-300">
                  A speaker would announce the VIP itself and compete with Calico for the router's sessions:
                  Calico advertises it here, so run the controller only.
                </p>
              </>
            ) : (
              <span className="text-slate-600 dark:text-slate-400">None (Calico advertises the VIP).</span>
            )}
          </dd>
        </div>
        <div>
          <dt className="text-xs font-medium text-slate-500 dark:text-slate-400">IPAddressPools</dt>
          <dd className="mt-1">
            {metallb.pools.length ? (
              <ul>
                {metallb.pools.map((p) => (
                  <li key={`${p.namespace}/${p.name}`}>
                    <Mono>{p.name}</Mono>: <Mono>{p.addresses.join(", ")}</Mono>
                    {p.autoAssign ? "" : " (assigned only when asked for)"}
                  </li>
                ))}
              </ul>
            ) : (
              <span className="text-slate-600 dark:text-slate-400">None.</span>
            )}
          </dd>
        </div>
        {(metallb.l2Advertisements.length > 0 ||
          metallb.bgpAdvertisements.length > 0 ||
          metallb.bgpPeers.length > 0) && (
          <p className="text-amber-900 dark:text-amber-200">
            MetalLB advertisement objects exist (
            {[...metallb.l2Advertisements, ...metallb.bgpAdvertisements, ...metallb.bgpPeers].join(", ")}):
            with Calico advertising the VIP they are not needed, and a speaker would act on them.
          </p>
        )}
      </dl>
    </Card>
  );
}

export function CalicoCard({ calico }: { calico: ClusterSnapshot["calico"] }) {
  const groups: [string, CustomView[]][] = [
    ["BGPConfiguration", calico.bgpConfigurations],
    ["BGPPeer", calico.bgpPeers],
    ["BGPFilter", calico.bgpFilters],
  ];
  return (
    <Card>
      <CardTitle aside={calico.version ? <Mono>{calico.version}</Mono> : "version not read"}>
        Calico
      </CardTitle>
      <div className="divide-y divide-slate-100 dark:divide-slate-800">
        {groups.map(([kind, list]) =>
          list.length ? (
            list.map((o) => (
              <YamlView
                key={`${kind} ${o.name}`}
                apiVersion="crd.projectcalico.org/v1"
                kind={kind}
                object={o}
              />
            ))
          ) : (
            <p key={kind} className="px-4 py-2 text-sm text-slate-600 dark:text-slate-400">
              No {kind}.
            </p>
          ),
        )}
      </div>
    </Card>
  );
}
