import { cleanup, render, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { formatDuration, NodeViews, PeersCard, RouteCard } from "./bgp-page";

afterEach(cleanup);

describe("BGP page parts", () => {
  it("shows each session's name, state, uptime and timers, and a dropped one with its peerState", () => {
    render(
      <PeersCard
        peers={[
          {
            source: "router",
            address: "2001:db8::11",
            name: "node01",
            state: "Established",
            uptimeMs: 3_723_000,
            prefixesReceived: 8,
            prefixesSent: 4,
            keepaliveMs: 60_000,
            holdTimeMs: 180_000,
            gracefulRestart: { remoteMode: "Restart", peerRestartTimeS: 120 },
          },
          {
            source: "router",
            address: "2001:db8::12",
            name: "node02",
            state: "Established",
            peerState: "Policy",
          },
        ]}
      />,
    );
    const table = screen.getByRole("table");
    const rows = within(table).getAllByRole("row");
    expect(rows[1]?.textContent).toContain("node01");
    expect(rows[1]?.textContent).toContain("1 h 2 min");
    expect(rows[1]?.textContent).toContain("60 s / 180 s");
    expect(rows[1]?.textContent).toContain("Restart, 120 s");
    // ebgp-requires-policy: Established, but exchanging nothing — the state says so.
    expect(rows[2]?.textContent).toContain("Established (Policy)");
  });

  it("names the FIB's next hops and marks stale and best paths; an empty FIB is said plainly", () => {
    render(
      <ul>
        <RouteCard
          route={{
            prefix: "2001:db8::1/128",
            paths: [
              {
                nextHop: "2001:db8::11",
                node: "node01",
                peer: "2001:db8::11",
                best: true,
                multipath: false,
                valid: true,
                stale: true,
              },
              {
                nextHop: "2001:db8::12",
                node: "node02",
                peer: "2001:db8::12",
                best: false,
                multipath: true,
                valid: true,
                stale: false,
              },
            ],
            fib: { nextHops: [{ address: "2001:db8::11", node: "node01", active: true }] },
          }}
        />
        <RouteCard route={{ prefix: "2001:db8::/112", paths: [], fib: { nextHops: [] } }} />
      </ul>,
    );
    const paths = screen.getByRole("list", { name: "BGP paths for 2001:db8::1/128" });
    expect(
      within(paths)
        .getAllByRole("listitem")
        .map((li) => li.textContent),
    ).toEqual(["via node01 · best · stale (graceful restart)", "via node02 · multipath"]);
    expect(screen.getAllByText(/Forwarded to/, { selector: "p" }).map((p) => p.textContent)).toEqual([
      "Forwarded to node01",
      "Forwarded to nobody: the router has no route in its FIB",
    ]);
  });

  it("formats durations as an operator reads them", () => {
    expect([formatDuration(undefined), formatDuration(42_000), formatDuration(90_061_000)]).toEqual([
      "—",
      "42 s",
      "1 d 1 h",
    ]);
  });

  it("groups Calico's own sessions by node, naming each peer", () => {
    render(
      <NodeViews
        peers={[
          { source: "node:node01", address: "2001:db8::12", name: "node02", state: "Established" },
          { source: "node:node01", address: "2001:db8::1", name: "router", state: "Active" },
          { source: "node:node02", address: "2001:db8::11", name: "node01", state: "Established" },
        ]}
      />,
    );
    const n1 = screen.getByRole("list", { name: "BGP sessions of node01" });
    expect(
      within(n1)
        .getAllByRole("listitem")
        .map((li) => li.textContent),
    ).toEqual(["node02Established", "routerActive"]);
    expect(screen.getByRole("list", { name: "BGP sessions of node02" })).toBeTruthy();
  });
});

describe("route paths", () => {
  it("groups add-path copies by next-hop node, counting them", () => {
    const path = (node: string, best = false) => ({
      nextHop: `2001:db8::${node.slice(-1)}`,
      node,
      peer: "2001:db8::11",
      best,
      multipath: !best,
      valid: true,
      stale: false,
    });
    render(
      <ul>
        <RouteCard
          route={{
            prefix: "2001:db8:ff00::/112",
            paths: [path("node01", true), path("node01"), path("node01"), path("node02"), path("node02")],
            fib: { nextHops: [] },
          }}
        />
      </ul>,
    );
    const paths = screen.getByRole("list", { name: "BGP paths for 2001:db8:ff00::/112" });
    expect(
      within(paths)
        .getAllByRole("listitem")
        .map((li) => li.textContent),
    ).toEqual(["via node01 ×3 · best", "via node02 ×2 · multipath"]);
  });
});
