// `calicoctl node status` as Calico v3.29-v3.32 prints it: BIRD's `show protocols` as a tablewriter table.
import { connect } from "node:net";
import { renderTable } from "./tablewriter.js";

export interface CalicoPeer {
  /** BIRD's protocol name (`Mesh_2001_db8__12`). */
  protocol: string;
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
    protocol: columns[0] ?? "",
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

/** What calicoctl finds running on the node (it looks at the process list). */
export interface NodeProcesses {
  /** calico-node with felix. */
  calicoNode: boolean;
  /** The IPv4 BIRD's peers (`bird`), or undefined when it is not running. */
  bird4: CalicoPeer[] | undefined;
  /** The IPv6 BIRD's peers (`bird6`), or undefined when it is not running. */
  bird6: CalicoPeer[] | undefined;
}

function peerSection(version: "4" | "6", peers: CalicoPeer[] | undefined): string {
  const daemon = version === "4" ? "bird" : "bird6";
  if (!peers) return `\nINFO: BIRDv${version} process: '${daemon}' is not running.\n`;
  const head = `\nIPv${version} BGP status\n`;
  if (peers.length === 0) return `${head}No IPv${version} peers found.\n`;
  const rows = peers.map((p) => [p.peerAddress, p.peerType, p.state, p.since, p.info]);
  return `${head}${renderTable(["Peer address", "Peer type", "State", "Since", "Info"], rows)}\n`;
}

/**
 * `calicoctl node status` as calicoctl's status.go prints it: stdout and exit code. calico-node starts both BIRDs
 * (rc.local enables the bird and bird6 services whatever the address families), so an IPv6-only node has an IPv4
 * BIRD without peers; a missing daemon is named on an INFO line, and without felix calicoctl stops with an error.
 */
export function formatNodeStatus(p: NodeProcesses): { stdout: string; stderr: string; code: number } {
  if (!p.calicoNode) return { stdout: "", stderr: "Calico process is not running.\n", code: 1 };
  let out = "Calico process is running.\n";
  if (p.bird4 || p.bird6) out += peerSection("4", p.bird4) + peerSection("6", p.bird6);
  else out += "\nNone of the BGP backend processes (BIRD or GoBGP) are running.\n";
  return { stdout: `${out}\n`, stderr: "", code: 0 };
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
