// CalicoNodeStatus (crd.projectcalico.org/v1) as calico-node fills it in: the BGP peers BIRD reports.
import type { KubeObject } from "../kube/index.js";
import type { CalicoPeer } from "../standin/calico-status.js";

const PEER_TYPES: Record<string, string> = {
  global: "GlobalPeer",
  "node-to-node mesh": "NodeMesh",
  "node specific": "NodePeer",
};
const SESSION_STATES = ["Idle", "Connect", "Active", "OpenSent", "OpenConfirm", "Established", "Close"];

export interface PeerStatus {
  peerIP: string;
  type: string;
  state: string;
  since: string;
}

/** BIRD's `show protocols` row → the status entry (state from BIRD's info column, as Calico's status.go). */
export function peerStatus(p: CalicoPeer): PeerStatus {
  const word = p.info.split(/\s+/)[0] ?? "";
  return {
    peerIP: p.peerAddress,
    type: PEER_TYPES[p.peerType] ?? p.peerType,
    state: SESSION_STATES.includes(word) ? word : "Idle",
    since: p.since,
  };
}

/** The node's CalicoNodeStatus; `peers` undefined means BIRD does not answer. */
export function nodeStatusObject(
  node: string,
  peers: CalicoPeer[] | undefined,
  periodSeconds: number,
  now: Date,
): KubeObject & { spec: Record<string, unknown>; status: Record<string, unknown> } {
  const v6 = (peers ?? []).map(peerStatus);
  const established = v6.filter((p) => p.state === "Established").length;
  return {
    apiVersion: "crd.projectcalico.org/v1",
    kind: "CalicoNodeStatus",
    metadata: { name: node },
    spec: { node, classes: ["Agent", "BGP"], updatePeriodSeconds: periodSeconds },
    status: {
      lastUpdated: now.toISOString().replace(/\.\d+Z$/, "Z"),
      agent: {
        birdV4: { state: "NotReady" },
        birdV6: { state: peers ? "Ready" : "NotReady" },
      },
      bgp: {
        numberEstablishedV4: 0,
        numberNotEstablishedV4: 0,
        numberEstablishedV6: established,
        numberNotEstablishedV6: v6.length - established,
        peersV6: v6,
      },
    },
  };
}
