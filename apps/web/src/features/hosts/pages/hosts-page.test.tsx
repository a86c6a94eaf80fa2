import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { HostCard } from "./hosts-page";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const FP = "SHA256:abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ";
const wrap = (ui: React.ReactNode) =>
  render(<QueryClientProvider client={new QueryClient()}>{ui}</QueryClientProvider>);

describe("HostCard", () => {
  it("approves only after an explicit second click, naming the fingerprint it sends", async () => {
    const fetch = vi.fn(
      async () =>
        new Response(
          JSON.stringify({
            name: "router",
            fingerprint: FP,
            approvedBy: "admin",
            approvedAt: "2026-12-01T11:00:00Z",
          }),
          {
            status: 200,
            headers: { "content-type": "application/json" },
          },
        ),
    );
    vi.stubGlobal("fetch", fetch);
    wrap(
      <ul>
        <HostCard
          host={{
            name: "router",
            address: "2001:db8::1",
            port: 22,
            user: "admin",
            pin: "none",
            pinnedFingerprints: [],
            offered: { fingerprint: FP },
          }}
        />
      </ul>,
    );
    expect(screen.getByText(/not pinned: the console will not connect/)).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Approve this key…" }));
    expect(fetch).not.toHaveBeenCalled();
    fireEvent.click(screen.getByRole("button", { name: /^Approve SHA256:abcdefg/ }));
    await waitFor(() => expect(fetch).toHaveBeenCalledTimes(1));
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe("/api/hosts/router/approve-key");
    expect(JSON.parse(String(init.body))).toEqual({ fingerprint: FP });
  });

  it("warns that a changed key may be someone in between, and offers no approval when the plan pins the key", () => {
    wrap(
      <ul>
        <HostCard
          host={{
            name: "node01",
            address: "2001:db8::11",
            port: 22,
            user: "root",
            pin: "plan",
            pinnedFingerprints: [`SHA256:${"x".repeat(43)}`],
            offered: { fingerprint: FP },
          }}
        />
      </ul>,
    );
    expect(screen.getByText(/different key — possibly someone in between/)).toBeTruthy();
    expect(screen.getByText(/change the plan if the host was reinstalled/)).toBeTruthy();
    expect(screen.queryByRole("button")).toBeNull();
  });
});
