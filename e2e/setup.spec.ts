// The guided setup in Chromium: the e2e lab is put back to the design document's starting point (`--preset before`),
// then every option 1 step is clicked through — preview, apply (confirmed where it changes the live cluster), and
// the console's own verification — until the page says every step is done; then option 2's steps, ending in a
// failover run through the round-robin name started from its step. The lab ends where the vip preset is.
import { execFileSync } from "node:child_process";
import { expect, test } from "@playwright/test";
import { E2E_LAB } from "../playwright.config";
import { signIn } from "./helpers";
import { card, clickThroughOption1 } from "./setup-flow";

test.beforeAll(() => {
  execFileSync("pnpm", ["-s", "k3s-ha", "lab", "up", "--name", E2E_LAB, "--preset", "before"], {
    stdio: "inherit",
    timeout: 240_000,
  });
});

test("option 1 clicked through from the document's starting point: every step verified", async ({ page }) => {
  test.setTimeout(600_000);
  await signIn(page);
  await clickThroughOption1(page);

  // Option 2 on the same cluster: the round-robin records, then the join endpoint, verified.
  await page.getByLabel("DNS round-robin (option 2)").check();
  const rr = card(page, "DNS: round-robin records");
  await rr.getByRole("button", { name: "Preview" }).click();
  await expect(rr.getByText(/^Preview: 1 change/)).toBeVisible({ timeout: 60_000 });
  await rr.getByRole("button", { name: "Apply", exact: true }).click();
  await rr.getByRole("button", { name: "Apply to the live cluster" }).click();
  await expect(rr.getByText("Verified", { exact: true })).toBeVisible({ timeout: 60_000 });
  await expect(rr.getByRole("link", { name: /Measure this option's failover/ })).toBeVisible();
  const join = card(page, "Join command");
  await join.getByRole("button", { name: "What to do" }).click();
  await expect(join.getByText(/--server https:\/\/k8s-cluster\./)).toBeVisible();
  await join.getByRole("button", { name: "Verify" }).click();
  await expect(join.getByText("Verified", { exact: true })).toBeVisible({ timeout: 60_000 });

  // Option 2 ends in a DNS failover run from the link on its step: k3s stopped on node03, probed through the
  // round-robin name; a client of the name (Go's dialer moves on from a refused address) loses next to nothing of
  // what node03's own address loses.
  await rr.getByRole("link", { name: /Measure this option's failover/ }).click();
  await page.getByLabel("Scenario").selectOption("stop-k3s");
  await page.getByLabel("Node", { exact: true }).selectOption("node03");
  for (const box of await page.getByRole("group", { name: "Probe through" }).getByRole("checkbox").all())
    if ((await box.isChecked()) !== ((await box.locator("xpath=..").textContent()) === "round-robin"))
      await box.click();
  await page.getByLabel("Fault held for (s)").fill("5");
  await page.getByLabel("Duration (s)").fill("14");
  await page.getByLabel("Type node03 to confirm").fill("node03");
  await page.getByRole("button", { name: /^Start Stop k3s on node03/ }).click();
  await expect(page).toHaveURL(/\/failover\/runs\/[0-9a-f-]+$/);
  await expect(page.getByRole("status", { name: "Run state" })).toHaveText("done", {
    timeout: 90_000,
  });
  const unavailableMs = async (name: RegExp) => {
    const text = (await page.getByRole("row", { name }).getByRole("cell").nth(3).textContent()) ?? "";
    const m = /^([\d.]+) (ms|s)$/.exec(text.trim());
    if (!m) throw new Error(`unavailable time "${text}"`);
    return Number(m[1]) * (m[2] === "s" ? 1_000 : 1);
  };
  const own = await unavailableMs(/node03 \(direct\) new each probe/);
  const name = await unavailableMs(/Round-robin name new each probe/);
  expect(own).toBeGreaterThan(3_000);
  expect(name).toBeLessThan(own / 4);

  // The audit log has every apply with its diff.
  await page.getByRole("navigation").getByRole("link", { name: "Audit", exact: true }).click();
  await expect(
    page.getByText("setup.apply", { exact: true }).filter({ visible: true }).first(),
  ).toBeVisible();
});
