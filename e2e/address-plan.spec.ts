// Operator flow: sign in, read the address plan map and its findings, edit the plan file, watch the page follow.
import { writeFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { E2E_PASSWORD, E2E_PLAN } from "../playwright.config";
import { signIn } from "./helpers";
import { type E2ePlan, e2ePlan } from "./lab";

let plan: E2ePlan;
test.beforeAll(() => {
  plan = e2ePlan();
});
test.afterEach(() => {
  writeFileSync(E2E_PLAN, plan.text);
});

test("a wrong password is refused with a clear message", async ({ page }) => {
  await page.goto("/");
  await page.getByLabel("Username").fill("admin");
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert")).toContainText(/wrong user ?name or password/i);
});

test("the address plan shows every range on the map and the findings", async ({ page }) => {
  await signIn(page);
  await page.getByRole("navigation").getByRole("link", { name: "Address plan", exact: true }).click();
  const map = page.getByTestId("allocation-map");
  await expect(map).toBeVisible();
  for (const path of ["network.serviceCidr", "network.loadBalancerCidr", "network.podCidr"]) {
    await expect(map.locator(`[data-range-path="${path}"]`).first()).toBeVisible();
  }
  await expect(map.locator('[data-address-path="network.apiVip"]').first()).toBeVisible();
  // The lab plan is clean: only the documentation-prefix note.
  await expect(page.locator('[data-severity="error"]')).toHaveCount(0);
  await expect(page.locator('[data-finding-id="documentation-prefix"]')).toBeVisible();
  // The /112 pod range inside the /64 can be selected and its details read.
  await map.locator('[data-range-path="network.podCidr"]').first().click();
  await expect(page.getByText(plan.podCidr).first()).toBeVisible();
});

test("editing the plan file updates the page live, and a broken edit keeps the last good plan", async ({
  page,
}) => {
  await signIn(page);
  await page.getByRole("navigation").getByRole("link", { name: "Address plan", exact: true }).click();
  await expect(page.getByTestId("allocation-map")).toBeVisible();
  await page.evaluate(() => {
    (window as unknown as { __noReload: boolean }).__noReload = true;
  });

  // The design document's mistake: the VIP inside the ClusterIP range.
  const prefix = plan.vip.replace(/ff01::1$/, "");
  writeFileSync(E2E_PLAN, plan.text.replaceAll(plan.vip, `${prefix}ff00::100`));
  const vipFinding = page.locator('[data-finding-id="vip-in-service-range"]');
  await expect(vipFinding).toBeVisible();
  await expect(vipFinding).toHaveAttribute("data-severity", "error");

  // A broken file: the errors are shown above the last good plan.
  writeFileSync(E2E_PLAN, plan.text.replace(`clusterAsn: ${plan.clusterAsn}`, "clusterAsn: sixty-five"));
  const banner = page.getByTestId("plan-errors");
  await expect(banner).toBeVisible();
  await expect(banner).toContainText("bgp.clusterAsn");
  await expect(page.getByTestId("allocation-map")).toBeVisible();

  // Fixed again: the banner goes and the finding with it.
  writeFileSync(E2E_PLAN, plan.text);
  await expect(banner).toBeHidden();
  await expect(vipFinding).toHaveCount(0);
  expect(await page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);
});

test("everything on the way to a range's details works from the keyboard", async ({ page }) => {
  await page.goto("/");
  await page.getByLabel("Username").focus();
  await page.keyboard.type("admin");
  await page.keyboard.press("Tab");
  await page.keyboard.type(E2E_PASSWORD);
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("live-status")).toHaveText(/Live/);

  const nav = page.getByRole("navigation").getByRole("link", { name: "Address plan", exact: true });
  await nav.focus();
  await page.keyboard.press("Enter");
  const pods = page.getByTestId("allocation-map").locator('[data-range-path="network.podCidr"]').first();
  await pods.focus();
  await expect(pods).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.getByText(plan.podCidr).first()).toBeVisible();
  // Selecting zoomed in; the zoom-out control is reachable and works.
  const zoomOut = page.getByRole("button", { name: "Zoom out", exact: true });
  await expect(zoomOut).toBeEnabled();
  await zoomOut.focus();
  await page.keyboard.press("Enter");
  await page.keyboard.press("Enter");
  await expect(zoomOut).toBeDisabled();
});
