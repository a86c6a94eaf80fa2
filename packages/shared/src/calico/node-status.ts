// `calicoctl node status` (calicoctl/commands/node/status.go): whether calico-node runs, and per IP family BIRD's BGP
// peers as calicoctl's tablewriter (v0.0.5) draws them — cells longer than 30 characters wrapped onto continuation
// rows whose other cells are blank, which this parser joins back. BIRD's states are mapped to FRR's FSM names.
import type { BgpState } from "../frr/bgp-state.js";
import { guarded, type Parsed, parseFailed } from "../frr/parsed.js";

export const CALICOCTL_NODE_STATUS_ID = "calicoctl-node-status";

export interface CalicoPeer {
  address: string;
  /** "node-to-node mesh", "global", "node specific" (calicoctl's words). */
  type: string;
  /** BIRD's protocol state column: up, start, down, passive… */
  birdState: string;
  since: string;
  /** BIRD's info column, wrapped lines joined with a space ("Active Socket: Connection refused"). */
  info: string;
  /** The session state in FRR's names, from the first word of info; Passive (waiting for the peer) is Idle. */
  state: BgpState;
}

export type CalicoFamilyStatus =
  | { bird: "running"; peers: CalicoPeer[] }
  | { bird: "not-running"; daemon: string };

export interface CalicoNodeStatus {
  calicoRunning: boolean;
  ipv4?: CalicoFamilyStatus;
  ipv6?: CalicoFamilyStatus;
  /** "None of the BGP backend processes (BIRD or GoBGP) are running." */
  noBgpBackend: boolean;
}

const FSM: Record<string, BgpState> = {
  Idle: "Idle",
  Connect: "Connect",
  Active: "Active",
  OpenSent: "OpenSent",
  OpenConfirm: "OpenConfirm",
  Established: "Established",
  Passive: "Idle",
  Close: "Idle",
  Down: "Idle",
};

const cells = (line: string) =>
  line
    .trim()
    .replace(/^\||\|$/g, "")
    .split("|")
    .map((c) => c.trim());

/** Rows of one tablewriter table starting at `start` (the top border); continuation rows joined to their row. */
function readTable(lines: string[], start: number): { rows: string[][]; end: number } | string {
  let i = start;
  if (!lines[i]?.startsWith("+")) return "a table must start with a +---+ border";
  const header = lines[i + 1];
  if (!header?.startsWith("|") || !lines[i + 2]?.startsWith("+")) return "the table has no header row";
  const width = cells(header).length;
  const rows: string[][] = [];
  for (i = start + 3; i < lines.length; i++) {
    const line = lines[i] ?? "";
    if (line.startsWith("+")) return { rows, end: i };
    if (!line.startsWith("|")) return `row ${i + 1} is neither a table row nor its bottom border`;
    const c = cells(line);
    if (c.length !== width) return `row ${i + 1} has ${c.length} cells, the header ${width}`;
    const last = rows.at(-1);
    if (c[0] === "" && last) {
      for (const [k, v] of c.entries()) if (v) last[k] = last[k] ? `${last[k]} ${v}` : v;
    } else rows.push(c);
  }
  return "the table has no bottom border (truncated output?)";
}

export function parseCalicoNodeStatus(stdout: string): Parsed<CalicoNodeStatus> {
  const id = CALICOCTL_NODE_STATUS_ID;
  return guarded(id, stdout, () => {
    const text = stdout.replace(/\r\n/g, "\n");
    if (/^Calico process is not running\.\s*$/m.test(text))
      return { ok: true, value: { calicoRunning: false, noBgpBackend: false } };
    if (!/^Calico process is running\.$/m.test(text))
      return parseFailed(id, "neither `Calico process is running.` nor `… is not running.`", stdout);
    const lines = text.split("\n");
    const status: CalicoNodeStatus = {
      calicoRunning: true,
      noBgpBackend: /None of the BGP backend processes/.test(text),
    };
    for (const [v, daemon] of [
      ["4", "bird"],
      ["6", "bird6"],
    ] as const) {
      const key = v === "4" ? "ipv4" : "ipv6";
      if (new RegExp(`^INFO: BIRDv${v} process: '${daemon}' is not running\\.$`, "m").test(text)) {
        status[key] = { bird: "not-running", daemon };
        continue;
      }
      const at = lines.indexOf(`IPv${v} BGP status`);
      if (at < 0) continue;
      if (lines[at + 1] === `No IPv${v} peers found.`) {
        status[key] = { bird: "running", peers: [] };
        continue;
      }
      const table = readTable(lines, at + 1);
      if (typeof table === "string") return parseFailed(id, `IPv${v} BGP status: ${table}`, stdout);
      const peers: CalicoPeer[] = [];
      for (const [address = "", type = "", birdState = "", since = "", info = ""] of table.rows) {
        const state = FSM[info.split(/[\s:]/)[0] ?? ""];
        if (!state) return parseFailed(id, `peer ${address}: unknown BIRD state in "${info}"`, stdout);
        peers.push({ address, type, birdState, since, info, state });
      }
      status[key] = { bird: "running", peers };
    }
    if (!status.ipv4 && !status.ipv6 && !status.noBgpBackend)
      return parseFailed(id, "no IPv4 or IPv6 BGP status section", stdout);
    return { ok: true, value: status };
  });
}
