// A step's Undo as an operator meets it: confirmed first; refused when what was there before cannot be put back,
// with the server's reason; then undone without it only after a second, explicit confirmation (force).
import type { SetupStepSummary } from "@k3s-ha/shared";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { StepCard } from "./step-card";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const step: SetupStepSummary = {
  id: "apiserver-config",
  title: "API server configuration",
  status: "verified",
  options: ["vip", "dns"],
  risky: true,
  undoable: true,
  why: "Every name clients dial must be in the serving certificate.",
  corrections: [],
};

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

describe("StepCard undo", () => {
  it("shows a refused undo's reason and forces it only after a second confirmation", async () => {
    const refusal =
      "undo of apiserver-config is refused: node01: the 50-k3s-ha.yaml there before the apply is not one the console can write again";
    const fetch = vi
      .fn()
      .mockResolvedValueOnce(json(409, { code: "UNDO_REFUSED", message: refusal }))
      .mockResolvedValueOnce(
        json(200, {
          step: { ...step, status: "not-started" },
          ok: true,
          message: "removed it",
          changes: [],
          checks: [],
        }),
      )
      .mockResolvedValue(json(200, { steps: [] }));
    vi.stubGlobal("fetch", fetch);
    render(
      <QueryClientProvider client={new QueryClient()}>
        <StepCard step={step} index={6} next={false} busy={false} />
      </QueryClientProvider>,
    );
    fireEvent.click(screen.getByRole("button", { name: "Undo" }));
    expect(fetch).not.toHaveBeenCalled();
    expect(screen.getByText(/puts back what was there before, and restarts k3s on each server/)).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Undo on the live cluster" }));
    await waitFor(() => expect(screen.getByText(refusal)).toBeTruthy());
    const [url, init] = fetch.mock.calls[0] as [string, RequestInit];
    expect(url).toBe("/api/setup/steps/apiserver-config/undo");
    expect(JSON.parse(String(init.body))).toEqual({ confirm: true });

    fireEvent.click(screen.getByRole("button", { name: "Undo without putting that back…" }));
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(screen.getByText(/what was there before it is not put back/)).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Undo anyway" }));
    await waitFor(() => expect(screen.getByText("Done: removed it")).toBeTruthy());
    const [, forced] = fetch.mock.calls[1] as [string, RequestInit];
    expect(JSON.parse(String(forced.body))).toEqual({ confirm: true, force: true });
  });
});
