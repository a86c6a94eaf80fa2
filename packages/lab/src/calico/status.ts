// CalicoNodeStatus (crd.projectcalico.org/v1) as calico-node's status reporter fills it in: only objects a user
// created for this node (spec.node), only the classes asked for (Agent, BGP; Routes is not modelled), every
// spec.updatePeriodSeconds (0: never), and a write only when the status changed.
import type { KubeObject } from "../kube/index.js";
import type { CalicoPeer } from "../standin/calico-status.js";

const PEER_TYPES: Record<string, string> = {
  global: "GlobalPeer",
  "node-to-node mesh": "NodeMesh",
  "node specific": "NodePeer",
};
/** The session states the CRD allows; anything else BIRD says (Passive, Down) is reported as "" (unknown). */
const SESSION_STATES = ["Idle", "Connect", "Active", "OpenSent", "OpenConfirm", "Established", "Close"];

export interface PeerStatus {
  peerIP: string;
  type: string;
  state: string;
  since: string;
}

export interface BirdDaemonStatus {
  state: "Ready" | "NotReady";
  version?: string;
  routerID?: string;
  lastBootTime?: string;
  lastReconfigurationTime?: string;
}

/** `show protocols all`: each protocol's `BGP state:` line, by protocol name. */
export function parseBgpStates(showProtocolsAll: string): Map<string, string> {
  const states = new Map<string, string>();
  let current: string | undefined;
  for (const line of showProtocolsAll.split("\n")) {
    const head = /^(\S+)\s+BGP\s/.exec(line);
    if (head) current = head[1];
    else if (/^\S/.test(line)) current = undefined;
    const state = /^\s+BGP state:\s+(\S+)/.exec(line);
    if (state && current) states.set(current, state[1] ?? "");
  }
  return states;
}

/** `show status`: router ID, boot and reconfiguration times (to the second, as Calico prints them), version. */
export function parseBirdStatus(showStatus: string): Omit<BirdDaemonStatus, "state"> {
  const time = (label: string) =>
    new RegExp(`^${label} on (\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d)`, "m").exec(showStatus)?.[1];
  const version = /^BIRD (\S+)/m.exec(showStatus)?.[1];
  const routerID = /^Router ID is (\S+)/m.exec(showStatus)?.[1];
  const lastBootTime = time("Last reboot");
  const lastReconfigurationTime = time("Last reconfiguration");
  return {
    ...(version ? { version: `v${version}-lab` } : {}),
    ...(routerID ? { routerID } : {}),
    ...(lastBootTime ? { lastBootTime } : {}),
    ...(lastReconfigurationTime ? { lastReconfigurationTime } : {}),
  };
}

/** A `show protocols` row and the protocol's `BGP state:` → the status entry. */
export function peerStatus(p: CalicoPeer, bgpState: string | undefined): PeerStatus {
  const state = bgpState ?? p.info.split(/\s+/)[0] ?? "";
  return {
    peerIP: p.peerAddress,
    type: PEER_TYPES[p.peerType] ?? p.peerType,
    state: SESSION_STATES.includes(state) ? state : "",
    since: p.since,
  };
}

export interface NodeObservation {
  /** The IPv6 BIRD's peers with their protocol names, or undefined when it does not answer. */
  peers: CalicoPeer[] | undefined;
  bgpStates: Map<string, string>;
  bird6: Omit<BirdDaemonStatus, "state">;
  /** calico-node's IPv4 BIRD runs without peers on an IPv6-only node (rc.local starts both). */
  bird4Running: boolean;
}

/** The status for the classes asked for, without lastUpdated (which changes only when this does). */
export function desiredStatus(classes: readonly string[], o: NodeObservation): Record<string, unknown> {
  const status: Record<string, unknown> = {};
  if (classes.includes("Agent")) {
    status.agent = {
      birdV4: o.bird4Running ? { state: "Ready", ...o.bird6 } : { state: "NotReady" },
      birdV6: o.peers ? { state: "Ready", ...o.bird6 } : { state: "NotReady" },
    };
  }
  if (classes.includes("BGP")) {
    const v6 = (o.peers ?? []).map((p) => peerStatus(p, o.bgpStates.get(p.protocol)));
    const established = v6.filter((p) => p.state === "Established").length;
    status.bgp = {
      numberEstablishedV4: 0,
      numberNotEstablishedV4: 0,
      numberEstablishedV6: established,
      numberNotEstablishedV6: v6.length - established,
      ...(v6.length ? { peersV6: v6 } : {}),
    };
  }
  return status;
}

/** Objects this node must fill, and whether each is due (its period elapsed since it was last looked at). */
export function dueStatuses(
  objects: readonly KubeObject[],
  node: string,
  lastLook: Map<string, number>,
  now: number,
): KubeObject[] {
  return objects.filter((o) => {
    const spec = (o.spec ?? {}) as { node?: string; updatePeriodSeconds?: number };
    if (spec.node !== node) return false;
    const period = spec.updatePeriodSeconds ?? 10;
    if (period <= 0) return false;
    const last = lastLook.get(o.metadata.name ?? "");
    return last === undefined || now - last >= period * 1000;
  });
}

/** lastUpdated as Calico writes it: RFC 3339 in UTC, to the second. */
export function lastUpdated(now: Date): string {
  return now.toISOString().replace(/\.\d+Z$/, "Z");
}
