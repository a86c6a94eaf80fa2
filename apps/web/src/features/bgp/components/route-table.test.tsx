import type { BgpRoutesResponse } from "@k3s-ha/shared";
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { matchesFilter, RouteTable } from "./route-table";

afterEach(cleanup);

type Route = BgpRoutesResponse["routes"][number];
const route = (i: number, node: string): Route => ({
  prefix: `2001:db8:${i.toString(16)}::/64`,
  paths: [
    {
      nextHop: "2001:db8::11",
      node,
      peer: "2001:db8::11",
      best: true,
      multipath: false,
      valid: true,
      stale: false,
    },
  ],
  fib: { nextHops: [{ address: "2001:db8::11", node, active: true }] },
});
const item = (r: Route) => (
  <li key={r.prefix} data-testid="route">
    {r.prefix}
  </li>
);

describe("route table", () => {
  it("filters by prefix or by node name", () => {
    const r = route(1, "node02");
    expect([
      matchesFilter(r, ""),
      matchesFilter(r, "db8:1::"),
      matchesFilter(r, "NODE02"),
      matchesFilter(r, "node03"),
    ]).toEqual([true, true, true, false]);
  });

  it("renders every route of a small table, and counts what the filter keeps", () => {
    render(
      <RouteTable routes={[route(1, "node01"), route(2, "node02"), route(3, "node02")]} render={item} />,
    );
    expect(screen.getAllByTestId("route")).toHaveLength(3);
    fireEvent.change(screen.getByLabelText("Filter by prefix or node"), { target: { value: "node02" } });
    expect(screen.getAllByTestId("route")).toHaveLength(2);
    expect(screen.getByText("2 of 3 routes")).toBeTruthy();
    fireEvent.change(screen.getByLabelText("Filter by prefix or node"), { target: { value: "nothing" } });
    expect(screen.getByText("No route matches “nothing”.")).toBeTruthy();
  });
});
