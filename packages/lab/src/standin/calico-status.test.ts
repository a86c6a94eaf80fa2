import { describe, expect, it } from "vitest";
import { formatNodeStatus, parseBirdSocketReply } from "./calico-status.js";
import { renderTable, wrapString } from "./tablewriter.js";

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
        protocol: "Mesh_2001_db8_1162_79fb__12",
        peerAddress: "2001:db8:1162:79fb::12",
        peerType: "node-to-node mesh",
        state: "up",
        since: "15:49:28",
        info: "Established",
      },
      {
        protocol: "Mesh_2001_db8_1162_79fb__13",
        peerAddress: "2001:db8:1162:79fb::13",
        peerType: "node-to-node mesh",
        state: "start",
        since: "15:50:01",
        info: "Active Socket: Connection refused",
      },
      {
        protocol: "Global_2001_db8_1162_79fb__1",
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

  it("prints the IPv6-only layout: an IPv4 BIRD without peers, then the IPv6 table", () => {
    const peer = {
      protocol: "Global_2001_db8__1",
      peerAddress: "2001:db8::1",
      peerType: "global",
      state: "up",
      since: "2026-01-12",
      info: "Established",
    };
    const out = formatNodeStatus({ calicoNode: true, bird4: [], bird6: [peer] });
    expect(out.code).toBe(0);
    expect(
      out.stdout.startsWith(
        "Calico process is running.\n\nIPv4 BGP status\nNo IPv4 peers found.\n\nIPv6 BGP status\n+",
      ),
    ).toBe(true);
    expect(out.stdout.endsWith("+\n\n")).toBe(true);
    expect(formatNodeStatus({ calicoNode: true, bird4: [], bird6: [] }).stdout).toContain(
      "No IPv6 peers found.\n\n",
    );
  });

  it("says what calicoctl says when a BIRD, both BIRDs or calico-node itself is not running (status.go)", () => {
    expect(formatNodeStatus({ calicoNode: true, bird4: [], bird6: undefined }).stdout).toBe(
      "Calico process is running.\n\nIPv4 BGP status\nNo IPv4 peers found.\n\nINFO: BIRDv6 process: 'bird6' is not running.\n\n",
    );
    expect(formatNodeStatus({ calicoNode: true, bird4: undefined, bird6: undefined }).stdout).toBe(
      "Calico process is running.\n\nNone of the BGP backend processes (BIRD or GoBGP) are running.\n\n",
    );
    expect(formatNodeStatus({ calicoNode: false, bird4: undefined, bird6: undefined })).toEqual({
      stdout: "",
      stderr: "Calico process is not running.\n",
      code: 1,
    });
  });

  it("refuses an unknown BIRD table format", () => {
    expect(() => parseBirdSocketReply("2002-Name Proto State\n0000 \n")).toThrow(
      /unknown BIRD table output format/,
    );
  });
});

describe("tablewriter v0.0.5 wrapping", () => {
  it("wraps a cell over 30 characters by minimum raggedness, as calicoctl prints it", () => {
    expect(wrapString("Active Socket: Connection refused", 30).lines).toEqual([
      "Active Socket: Connection",
      "refused",
    ]);
    expect(wrapString("Established", 30).lines).toEqual(["Established"]);
    // A word longer than the limit raises it rather than being cut.
    expect(wrapString("x".repeat(35), 30)).toEqual({ lines: ["x".repeat(35)], limit: 35 });
  });

  it("prints continuation lines with the other cells empty (projectcalico/calicoctl#1883)", () => {
    const table = renderTable(
      ["Peer address", "Peer type", "State", "Since", "Info"],
      [
        [
          "2001:db8:1162:79fb::12",
          "node-to-node mesh",
          "start",
          "15:50:01",
          "Active Socket: Connection refused",
        ],
        ["2001:db8:1162:79fb::1", "global", "up", "15:49:27", "Established"],
      ],
    );
    // The column is as wide as the wrap limit (30), not as its longest wrapped line: parseDimension keeps the limit.
    expect(table).toBe(
      [
        "+------------------------+-------------------+-------+----------+--------------------------------+",
        "|      PEER ADDRESS      |     PEER TYPE     | STATE |  SINCE   |              INFO              |",
        "+------------------------+-------------------+-------+----------+--------------------------------+",
        "| 2001:db8:1162:79fb::12 | node-to-node mesh | start | 15:50:01 | Active Socket: Connection      |",
        "|                        |                   |       |          | refused                        |",
        "| 2001:db8:1162:79fb::1  | global            | up    | 15:49:27 | Established                    |",
        "+------------------------+-------------------+-------+----------+--------------------------------+",
      ].join("\n"),
    );
  });

  it("aligns numbers right, as tablewriter's default alignment does", () => {
    expect(
      renderTable(
        ["A", "B"],
        [
          ["12", "x"],
          ["1,234", "yy"],
        ],
      ),
    ).toBe(
      [
        "+-------+----+",
        "|   A   | B  |",
        "+-------+----+",
        "|    12 | x  |",
        "| 1,234 | yy |",
        "+-------+----+",
      ].join("\n"),
    );
  });
});
