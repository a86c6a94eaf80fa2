// The guided setup's option 1 clicked through in Chromium, shared by the specs for both router kinds: preflight
// verified, then every step previewed, applied (confirmed where it changes the live cluster) and verified by the
// console, the kubeconfig verified, until the page says every step is done. The router step is the caller's: an
// apply through vtysh on a Linux router, the GUI's settings and Verify on pfSense.
import { expect, type Locator, type Page } from "@playwright/test";

export const OPTION_1 = [
  "MetalLB controller",
  "IPAddressPool",
  "Calico BGPConfiguration",
  "BGPFilter",
  "Router: BGP timers",
  "API server configuration",
  "API LoadBalancer Service",
  "DNS: the VIP",
] as const;

export const card = (page: Page, title: string) =>
  page.locator("article").filter({ has: page.getByRole("heading", { name: new RegExp(title) }) });

/** The page's "Next: …" / "Every step …" line. */
export const nextStep = (page: Page) => page.getByRole("status").filter({ hasText: /^Next:|Every step/ });

/** Preview, Apply (and its confirmation when shown), then the console's own verification. */
export async function previewApplyVerify(step: Locator): Promise<void> {
  await expect(step.getByText("Not started", { exact: true })).toBeVisible({ timeout: 30_000 });
  await step.getByRole("button", { name: "Preview" }).click();
  await expect(step.getByText(/^Preview: \d+ change/)).toBeVisible({ timeout: 60_000 });
  await expect(step.getByRole("alert")).toHaveCount(0);
  await step.getByRole("button", { name: "Apply", exact: true }).click();
  // Steps that restart a service, change BGP or DNS, or can cut traffic say what they will do and wait.
  const confirm = step.getByRole("button", { name: "Apply to the live cluster" });
  if (await confirm.isVisible()) {
    await expect(step.getByText(/This changes the live cluster/)).toBeVisible();
    await confirm.click();
  }
  await expect(step.getByText(/^Done: /)).toBeVisible({ timeout: 240_000 });
  await expect(step.getByText("Verified", { exact: true })).toBeVisible({ timeout: 30_000 });
}

export async function clickThroughOption1(
  page: Page,
  router: (step: Locator) => Promise<void> = previewApplyVerify,
): Promise<void> {
  await page.getByRole("navigation").getByRole("link", { name: "Setup", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Setup" })).toBeVisible();
  await expect(page.getByLabel("API VIP (option 1)")).toBeChecked();
  await expect(nextStep(page)).toContainText("Next: Preflight checks", { timeout: 30_000 });

  const preflight = card(page, "Preflight checks");
  await preflight.getByRole("button", { name: "Verify" }).click();
  await expect(preflight.getByText("Verified", { exact: true })).toBeVisible({ timeout: 60_000 });

  for (const title of OPTION_1) {
    const step = card(page, title);
    await (title === "Router: BGP timers" ? router(step) : previewApplyVerify(step));
  }

  const kubeconfig = card(page, "Kubeconfig for the new endpoint");
  await kubeconfig.getByRole("button", { name: "Verify" }).click();
  await expect(kubeconfig.getByText("Verified", { exact: true })).toBeVisible({ timeout: 60_000 });
  await expect(nextStep(page)).toContainText("Every step of this option is done", { timeout: 30_000 });
}
