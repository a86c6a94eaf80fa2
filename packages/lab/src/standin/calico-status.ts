// `calicoctl node status` as Calico v3.29-v3.32 prints it: BIRD's `show protocols` as a tablewriter table.
import { connect } from "node:net";

export interface CalicoPeer {
  peerAddress: string;
  peerType: string;
  state: string;
  since: string;
  info: string;
}

const PEER_NAME = /^(Global|Node|Mesh)_(.+)$/;
const PEER_TYPES: Record<string, string> = {
  Global: "global",
  Mesh: "node-to-node mesh",
  Node: "node specific",
};
const HEADINGS = ["name", "proto", "table", "state", "since", "info"];

/** One `show protocols` row, as calicoctl reads it (fields split on blanks; only BGP rows named Global_/Node_/Mesh_). */
export function parsePeerRow(row: string): CalicoPeer | undefined {
  const columns = row.trim().split(/\s+/);
  if (columns.length < 6 || columns[1] !== "BGP") return undefined;
  const m = PEER_NAME.exec(columns[0] ?? "");
  const type = m?.[1];
  if (!m || !type || !m[2]) return undefined;
  const info = [columns[5], ...columns.slice(6)].join(" ");
  return {
    peerAddress: m[2].replaceAll("_", ":"),
    peerType: PEER_TYPES[type] ?? type,
    state: columns[3] ?? "",
    since: columns[4] ?? "",
    info,
  };
}

/**
 * Reads BIRD's control-socket reply to `show protocols` (numbered reply codes, as calicoctl does):
 * 0001 ready, 2002 headings, 1002 first row, " " further rows, 0000 end.
 */
export function parseBirdSocketReply(reply: string): CalicoPeer[] {
  const peers: CalicoPeer[] = [];
  for (const line of reply.split("\n")) {
    if (line.startsWith("0000")) break;
    if (line.startsWith("0001") || line === "") continue;
    if (line.startsWith("2002")) {
      const headings = line.slice(5).trim().toLowerCase().split(/\s+/);
      if (headings.join(" ") !== HEADINGS.join(" ")) throw new Error("unknown BIRD table output format");
      continue;
    }
    const row = line.startsWith("1002") ? line.slice(5) : line.startsWith(" ") ? line.slice(1) : undefined;
    if (row === undefined) throw new Error("unexpected output line from BIRD");
    const peer = parsePeerRow(row);
    if (peer) peers.push(peer);
  }
  return peers;
}

function centre(text: string, width: number): string {
  const pad = width - text.length;
  const left = Math.floor(pad / 2);
  return " ".repeat(left) + text + " ".repeat(pad - left);
}

/** olekukonko/tablewriter's default rendering: upper-case centred headings, left-aligned cells, +-| borders. */
export function renderTable(headings: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headings.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const rule = `+${widths.map((w) => "-".repeat(w + 2)).join("+")}+`;
  const head = `|${headings.map((h, i) => ` ${centre(h.toUpperCase(), widths[i] ?? 0)} `).join("|")}|`;
  const body = rows.map((r) => `|${widths.map((w, i) => ` ${(r[i] ?? "").padEnd(w)} `).join("|")}|`);
  return [rule, head, rule, ...body, rule].join("\n");
}

/** The whole output for an IPv6-only node; `peers` undefined means BIRD is not running. */
export function formatNodeStatus(peers: CalicoPeer[] | undefined): string {
  let out = "Calico process is running.\n";
  if (!peers) return `${out}\nThe BGP backend process (BIRD) is not running.\n\n`;
  out += "\nIPv4 BGP status\nNo IPv4 peers found.\n";
  out += "\nIPv6 BGP status\n";
  if (peers.length === 0) return `${out}No IPv6 peers found.\n\n`;
  const rows = peers.map((p) => [p.peerAddress, p.peerType, p.state, p.since, p.info]);
  return `${out}${renderTable(["Peer address", "Peer type", "State", "Since", "Info"], rows)}\n\n`;
}

/** Asks BIRD over its control socket, as calicoctl does; undefined when BIRD does not answer. */
export function queryBirdProtocols(socketPath: string, timeoutMs = 2_000): Promise<CalicoPeer[] | undefined> {
  return new Promise((resolve, reject) => {
    const socket = connect(socketPath);
    let reply = "";
    let sent = false;
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error("Error executing command: timed out reading from BIRD"));
    }, timeoutMs);
    socket.setEncoding("utf8");
    socket.on("error", () => {
      clearTimeout(timer);
      resolve(undefined);
    });
    socket.on("data", (chunk: string) => {
      reply += chunk;
      if (!sent && reply.includes("0001 ")) {
        sent = true;
        reply = "";
        socket.write("show protocols\n");
      } else if (sent && /^0000/m.test(reply)) {
        clearTimeout(timer);
        socket.end();
        try {
          resolve(parseBirdSocketReply(reply));
        } catch (err) {
          reject(err);
        }
      }
    });
  });
}
