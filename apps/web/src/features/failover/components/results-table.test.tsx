import { runResults } from "@k3s-ha/shared";
import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { ResultsTable } from "./results-table";

afterEach(cleanup);

const facts = {
  routerKnown: true,
  vipPaths: 3,
  nodeHasVipPath: true,
  bfd: false,
  calicoHonoursReadiness: true,
  nodeGraceMs: 8_000,
  nodeMonitorPeriodMs: 1_000,
  restartSecMs: 5_000,
  dnsTtlS: 30,
};

/** A graceful maintenance on node01 seen through the VIP: one probe reset as the router's paths changed. */
function results(resetAtMs: number) {
  const samples = Array.from({ length: 30 }, (_, i) => ({
    seq: i + 1,
    endpoint: "vip",
    mode: "new" as const,
    startedAtMs: i * 100,
    durationMs: 5,
    outcome: i * 100 === resetAtMs ? ("reset" as const) : ("ok" as const),
  }));
  return runResults(samples, {
    scenario: "graceful-maintenance",
    node: "node01",
    request: { intervalMs: 100, timeoutMs: 1_000, durationS: 3, faultS: 1, dial: "go" },
    actionAtMs: 0,
    servers: 3,
    facts,
    vipPathChangesAtMs: [354],
    routerPollMs: 250,
  });
}

describe("ResultsTable", () => {
  it("says a reset at a change of the VIP's paths was the ECMP rehash, not an outage", () => {
    render(<ResultsTable results={results(300)} live={false} />);
    expect(
      screen.getAllByText(/One probe was reset as the router's paths to the VIP changed/),
    ).not.toHaveLength(0);
    expect(screen.getAllByText(/a connection still in its handshake/).length).toBeGreaterThan(0);
  });

  it("says nothing of the rehash for a failure far from any path change", () => {
    render(<ResultsTable results={results(2_000)} live={false} />);
    expect(screen.queryAllByText(/reset as the router's paths to the VIP changed/)).toHaveLength(0);
  });
});
