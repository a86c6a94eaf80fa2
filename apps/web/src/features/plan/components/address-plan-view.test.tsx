import { cleanup, fireEvent, render, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { designDocumentResponse } from "../test-plan";
import { AddressPlanView } from "./address-plan-view";

afterEach(cleanup);

const map = () => screen.getByTestId("allocation-map");
const range = (path: string) => map().querySelector(`[data-range-path="${path}"]`) as HTMLElement;
const address = (path: string) => map().querySelector(`[data-address-path="${path}"]`) as HTMLElement;
const finding = (id: string) => document.querySelector(`[data-finding-id="${id}"]`) as HTMLElement;
const highlighted = () =>
  [...map().querySelectorAll("[data-highlighted]")].map(
    (el) => el.getAttribute("data-range-path") ?? el.getAttribute("data-address-path"),
  );

describe("AddressPlanView", () => {
  it("draws every range and key address on the map with an operator-readable name", () => {
    render(<AddressPlanView response={designDocumentResponse()} />);
    expect(range("network.podCidr").getAttribute("aria-label")).toBe("Pods 2001:db8:1162:79fb:ffcc::/112");
    expect(address("network.apiVip").getAttribute("aria-label")).toBe("API VIP 2001:db8:1162:79fb:ff00::100");
    expect(address("nodes[2].address")).not.toBeNull();
    expect(finding("vip-in-service-range").getAttribute("data-severity")).toBe("error");
    expect(highlighted()).toEqual([]);
  });

  it("highlights what a finding involves while it is hovered, and nothing after", () => {
    render(<AddressPlanView response={designDocumentResponse()} />);
    fireEvent.mouseEnter(finding("vip-in-service-range"));
    expect(highlighted().sort()).toEqual(["network.apiVip", "network.serviceCidr"]);
    expect(range("network.podCidr").className).toContain("opacity-30");
    fireEvent.mouseLeave(finding("vip-in-service-range"));
    expect(highlighted()).toEqual([]);
  });

  it("highlights on keyboard focus, matching a node path to that node's address only", () => {
    render(<AddressPlanView response={designDocumentResponse()} />);
    const button = within(finding("node-address")).getByRole("button");
    fireEvent.focus(button);
    expect(highlighted()).toEqual(["nodes[1].address"]);
    fireEvent.blur(button);
    expect(highlighted()).toEqual([]);
  });

  it("highlights nothing on the map for a finding about tls-san", () => {
    render(<AddressPlanView response={designDocumentResponse()} />);
    fireEvent.mouseEnter(finding("tls-san-missing-vip-name"));
    expect(highlighted()).toEqual([]);
  });

  it("pins a finding on click and zooms to the block holding what it involves", () => {
    render(<AddressPlanView response={designDocumentResponse()} />);
    const button = within(finding("vip-in-service-range")).getByRole("button");
    fireEvent.click(button);
    expect(button.getAttribute("aria-pressed")).toBe("true");
    const current = within(map()).getByRole("button", { current: "location" });
    expect(current.textContent).toBe("2001:db8:1162:79fb:ff00::/112");
    expect(highlighted().sort()).toEqual(["network.apiVip", "network.serviceCidr"]);
    fireEvent.click(button);
    expect(highlighted()).toEqual([]);
  });

  it("selects a range on click and shows its bounds, size and findings", () => {
    render(<AddressPlanView response={designDocumentResponse()} />);
    fireEvent.click(range("network.serviceCidr"));
    const details = screen.getByRole("region", { name: "Details of ClusterIP services" });
    expect(details.textContent).toContain("2001:db8:1162:79fb:ff00::ffff");
    expect(details.textContent).toContain("65,536 (2^16) addresses");
    expect(details.textContent).toContain("API VIP (2001:db8:1162:79fb:ff00::100)");
    expect(details.textContent).toContain("lies inside the ClusterIP range");
  });

  it("shows a range outside the site prefix apart, labelled so", () => {
    const response = designDocumentResponse();
    if (!response.plan) throw new Error("fixture has no plan");
    response.plan.network.podCidr = "2001:db8:1162:79fc::/112";
    render(<AddressPlanView response={response} />);
    const pods = range("network.podCidr");
    expect(pods.getAttribute("aria-label")).toBe("Pods 2001:db8:1162:79fc::/112 (outside the site prefix)");
    expect(pods.closest("div")?.textContent).toContain("Outside the site prefix");
  });

  it("lists each error of an invalid file above the last good plan", () => {
    const response = designDocumentResponse({
      errors: [
        {
          path: "network.apiVip",
          segments: ["network", "apiVip"],
          value: "ff00::zz",
          message: "expected an IP address such as 2001:db8::1",
          line: 25,
          column: 10,
        },
      ],
      source: { file: "plan.yaml", status: "invalid", loadedAt: "2026-05-01T10:00:00.000Z", revision: 4 },
    });
    render(<AddressPlanView response={response} />);
    const banner = screen.getByTestId("plan-errors");
    expect(banner.textContent).toContain("plan.yaml has 1 error — the last good plan is shown below");
    expect(banner.textContent).toContain("line 25:10");
    expect(banner.textContent).toContain('"ff00::zz"');
    expect(map()).toBeTruthy();
  });
});
