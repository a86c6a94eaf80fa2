// A step's checks as the operator reads them: a warning (the pfSense router sending all VIP traffic to one server)
// is said as a warning, never counted as a failing check of a verified step.
import type { SetupCheck } from "@k3s-ha/shared";
import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { ChecksList, checksSummary } from "./checks-list";

afterEach(cleanup);

const check = (id: string, ok: boolean, severity: SetupCheck["severity"] = "error"): SetupCheck => ({
  id,
  title: id,
  ok,
  severity,
  evidence: `${id} evidence`,
});

describe("checks list", () => {
  it("counts failures and warnings apart", () => {
    expect(checksSummary([check("a", true), check("b", true)])).toBe("All 2 checks pass");
    expect(checksSummary([check("a", true), check("b", false), check("c", false)])).toBe(
      "2 of 3 checks fail",
    );
    expect(checksSummary([check("a", true), check("w", false, "warning")])).toBe(
      "1 of 2 checks pass; 1 warning",
    );
    expect(
      checksSummary([check("a", false), check("w", false, "warning"), check("v", false, "warning")]),
    ).toBe("1 of 3 checks fail; 2 warnings");
  });

  it("opens when something needs reading, and shows a warning as a warning", () => {
    const { container } = render(<ChecksList checks={[check("a", true), check("w", false, "warning")]} />);
    expect(container.querySelector("details")?.open).toBe(true);
    expect(screen.getByText("warning")).toBeTruthy();
    expect(screen.queryByText("fail")).toBeNull();
    cleanup();
    const quiet = render(<ChecksList checks={[check("a", true)]} />);
    expect(quiet.container.querySelector("details")?.open).toBe(false);
  });
});
