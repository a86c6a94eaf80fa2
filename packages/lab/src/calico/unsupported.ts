// Fields of BGPPeer and BGPFilter the lab's renderer does not model. calico-node would act on them; the lab refuses
// the whole configuration loudly instead of rendering as if they were absent (a filter rule whose match is ignored
// would become unconditional, widening what it accepts or rejects).
import type { BgpFilterSpec, BgpPeerSpec, Named } from "./render.js";

/** What the renderer reads; anything else in a spec is refused. */
const PEER_FIELDS = new Set([
  "peerIP",
  "asNumber",
  "filters",
  "node",
  "nodeSelector",
  "peerSelector",
  "keepaliveTime",
]);
const FILTER_FIELDS = new Set(["exportV6", "importV6", "exportV4", "importV4"]);
const RULE_FIELDS = new Set(["action", "matchOperator", "cidr", "prefixLength", "source", "interface"]);

export class UnsupportedCalicoField extends Error {}

/** Throws naming every object and field the lab cannot render; returns quietly when all is modelled. */
export function refuseUnsupported(
  peers: readonly Named<BgpPeerSpec>[],
  filters: readonly Named<BgpFilterSpec>[],
): void {
  const problems: string[] = [];
  for (const p of peers) {
    for (const key of Object.keys(p.spec)) {
      if (!PEER_FIELDS.has(key)) problems.push(`BGPPeer ${p.name}: spec.${key}`);
    }
  }
  for (const f of filters) {
    for (const [key, rules] of Object.entries(f.spec)) {
      if (!FILTER_FIELDS.has(key)) {
        problems.push(`BGPFilter ${f.name}: spec.${key}`);
        continue;
      }
      (Array.isArray(rules) ? rules : []).forEach((rule: Record<string, unknown>, i: number) => {
        for (const field of Object.keys(rule)) {
          if (!RULE_FIELDS.has(field)) problems.push(`BGPFilter ${f.name}: spec.${key}[${i}].${field}`);
        }
      });
    }
  }
  if (problems.length > 0) {
    throw new UnsupportedCalicoField(
      `the lab's calico-node does not render ${problems.join(", ")}; it keeps the last configuration rather than ` +
        "render as if these were absent",
    );
  }
}
