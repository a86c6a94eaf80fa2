// The guided setup in Chromium on a lab whose router is pfSense-like (its FRR configuration generated from the
// package's GUI settings, vtysh changes lost), from the design document's starting point: option 1 clicked through,
// where the router step is manual — it shows the GUI settings to change, has no Apply, fails Verify with the live
// hold time until the operator has saved them in the GUI (here: the lab's stand-in for that save), then passes; with
// the VIP up, whether the router shares it is read live. Its own lab and console, beside the e2e ones.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { copyFileSync, mkdirSync, rmSync } from "node:fs";
import { expect, type Locator, test } from "@playwright/test";
import { E2E_PASSWORD, PF_DIR, PF_LAB, PF_PORT } from "../playwright.config";
import { signIn } from "./helpers";
import { card, clickThroughOption1 } from "./setup-flow";

const lab = (...args: string[]) =>
  execFileSync("pnpm", ["-s", "k3s-ha", "lab", ...args, "--name", PF_LAB], {
    stdio: "inherit",
    timeout: 240_000,
  });

let consoleProcess: ChildProcess | undefined;

test.use({ baseURL: `http://127.0.0.1:${PF_PORT}` });

test.beforeAll(async () => {
  test.setTimeout(300_000);
  lab("up", "--router", "pfsense", "--preset", "before");
  rmSync(PF_DIR, { recursive: true, force: true });
  mkdirSync(PF_DIR, { recursive: true });
  copyFileSync(`/run/k3s-ha-lab/${PF_LAB}/plan.yaml`, `${PF_DIR}/plan.yaml`);
  consoleProcess = spawn(
    process.execPath,
    [
      "apps/server/dist/cli.js",
      "serve",
      "--plan",
      `${PF_DIR}/plan.yaml`,
      "--port",
      String(PF_PORT),
      "--data",
      `${PF_DIR}/data`,
    ],
    {
      stdio: ["ignore", "inherit", "inherit"],
      env: { ...process.env, K3S_HA_ADMIN_PASSWORD: E2E_PASSWORD, K3S_HA_LOG_LEVEL: "warn" },
    },
  );
  const deadline = Date.now() + 60_000;
  for (;;) {
    const ok = await fetch(`http://127.0.0.1:${PF_PORT}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline || consoleProcess.exitCode !== null)
      throw new Error(
        `the pfSense lab's console did not answer /api/health (exit ${consoleProcess.exitCode})`,
      );
    await new Promise((r) => setTimeout(r, 250));
  }
});

test.afterAll(async () => {
  test.setTimeout(120_000);
  if (consoleProcess && consoleProcess.exitCode === null) {
    const exited = new Promise((r) => consoleProcess?.once("exit", r));
    consoleProcess.kill("SIGTERM");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    if (consoleProcess.exitCode === null) consoleProcess.kill("SIGKILL");
  }
  lab("down");
  rmSync(PF_DIR, { recursive: true, force: true });
});

/** The manual router step: the GUI's settings, no Apply, Verify failing with the live hold time, then passing. */
async function routerInPfsenseGui(step: Locator): Promise<void> {
  await expect(step.getByText("manual", { exact: true })).toBeVisible();
  await expect(step.getByRole("button", { name: "Apply", exact: true })).toHaveCount(0);
  await step.getByRole("button", { name: "What to do" }).click();
  await expect(step.getByText(/Keep Alive 3 s and Hold Time 9 s/).first()).toBeVisible({ timeout: 60_000 });
  await expect(step.getByText(/has no maximum-paths setting/).first()).toBeVisible();
  await step.getByRole("button", { name: "Verify" }).click();
  await expect(step.getByText("Failed", { exact: true })).toBeVisible({ timeout: 60_000 });
  await expect(step.getByText(/hold 180 s/).first()).toBeVisible();

  // The operator saves every neighbour's timers in pfSense's GUI; the package regenerates FRR's configuration.
  lab("router", "timers", "--keepalive", "3", "--hold", "9");
  await expect(async () => {
    await step.getByRole("button", { name: "Verify" }).click();
    await expect(step.getByText("Verified", { exact: true })).toBeVisible({ timeout: 5_000 });
  }).toPass({ timeout: 90_000 });
}

test("option 1 with a pfSense router, the router step done in its GUI: every step verified", async ({
  page,
}) => {
  test.setTimeout(600_000);
  await signIn(page);
  await clickThroughOption1(page, routerInPfsenseGui);
  // With the VIP advertised by every server, whether the package's FRR (no maximum-paths line) shares it is read
  // live: this FRR uses its built-in limit, so the router's FIB has a path through each server.
  const router = card(page, "Router: BGP timers");
  await router.getByRole("button", { name: "Verify" }).click();
  await expect(router.getByText("Verified", { exact: true })).toBeVisible({ timeout: 60_000 });
  await router.getByText(/^All \d+ checks pass$/).click();
  await expect(router.getByText("VIP load-shared")).toBeVisible();
  await expect(router.getByText(/the router load-shares \S+ over node0\d, node0\d, node0\d/)).toBeVisible();
});
