import { describe, expect, it } from "vitest";
import { formatNodeStatus, parseBirdSocketReply, renderTable } from "./calico-status.js";

// BIRD's control-socket reply to `show protocols` (reply codes as calicoctl reads them).
const REPLY = [
  "2002-Name       Proto      Table      State  Since         Info",
  "1002-static1    Static     master6    up     15:49:26      ",
  " kernel1    Kernel     master6    up     15:49:26      ",
  " Mesh_2001_db8_1162_79fb__12 BGP        ---        up     15:49:28      Established   ",
  " Mesh_2001_db8_1162_79fb__13 BGP        ---        start  15:50:01      Active        Socket: Connection refused",
  " Global_2001_db8_1162_79fb__1 BGP        ---        up     15:49:27      Established   ",
  "0000 ",
  "",
].join("\n");

describe("calicoctl node status", () => {
  it("keeps only Calico-named BGP peers and maps names back to addresses", () => {
    expect(parseBirdSocketReply(REPLY)).toEqual([
      {
        peerAddress: "2001:db8:1162:79fb::12",
        peerType: "node-to-node mesh",
        state: "up",
        since: "15:49:28",
        info: "Established",
      },
      {
        peerAddress: "2001:db8:1162:79fb::13",
        peerType: "node-to-node mesh",
        state: "start",
        since: "15:50:01",
        info: "Active Socket: Connection refused",
      },
      {
        peerAddress: "2001:db8:1162:79fb::1",
        peerType: "global",
        state: "up",
        since: "15:49:27",
        info: "Established",
      },
    ]);
  });

  it("renders the table as tablewriter does (the documented example, byte for byte)", () => {
    const table = renderTable(
      ["Peer address", "Peer type", "State", "Since", "Info"],
      [["172.17.8.102", "node-to-node mesh", "up", "23:30:04", "Established"]],
    );
    expect(table).toBe(
      [
        "+--------------+-------------------+-------+----------+-------------+",
        "| PEER ADDRESS |     PEER TYPE     | STATE |  SINCE   |    INFO     |",
        "+--------------+-------------------+-------+----------+-------------+",
        "| 172.17.8.102 | node-to-node mesh | up    | 23:30:04 | Established |",
        "+--------------+-------------------+-------+----------+-------------+",
      ].join("\n"),
    );
  });

  it("prints the IPv6-only layout, and says when BIRD is not running", () => {
    const out = formatNodeStatus([
      {
        peerAddress: "2001:db8::1",
        peerType: "global",
        state: "up",
        since: "2026-01-12",
        info: "Established",
      },
    ]);
    expect(
      out.startsWith(
        "Calico process is running.\n\nIPv4 BGP status\nNo IPv4 peers found.\n\nIPv6 BGP status\n+",
      ),
    ).toBe(true);
    expect(out.endsWith("+\n\n")).toBe(true);
    expect(formatNodeStatus(undefined)).toBe(
      "Calico process is running.\n\nThe BGP backend process (BIRD) is not running.\n\n",
    );
    expect(formatNodeStatus([])).toContain("No IPv6 peers found.\n");
  });

  it("refuses an unknown BIRD table format", () => {
    expect(() => parseBirdSocketReply("2002-Name Proto State\n0000 \n")).toThrow(
      /unknown BIRD table output format/,
    );
  });
});
