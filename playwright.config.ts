// End-to-end tests in Debian's Chromium against the built console on a lab of real daemons ("e2e", its own /64):
// the web server's command brings the lab up and serves a copy of its plan; the global teardown takes it down.
import { defineConfig } from "@playwright/test";

export const E2E_PORT = 8181;
export const E2E_DIR = ".e2e";
export const E2E_PLAN = `${E2E_DIR}/plan.yaml`;
export const E2E_PASSWORD = "e2e-admin-password";
/** The lab the e2e console reads (never the operator's default lab "lab"). */
export const E2E_LAB = "e2e";
/** The setup spec's second lab and console: a pfSense-like router (its own /64, port and data). */
export const PF_LAB = "e2e-pf";
export const PF_PORT = 8182;
export const PF_DIR = ".e2e-pf";

/** Debian's Chromium, as root and without background traffic (this machine's network is closed). */
export const CHROMIUM_LAUNCH = {
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
  ],
};

export default defineConfig({
  testDir: "e2e",
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: [["list"], ["json", { outputFile: "reports/playwright.json" }]],
  globalTeardown: "./e2e/teardown.ts",
  use: {
    baseURL: `http://127.0.0.1:${E2E_PORT}`,
    trace: "retain-on-failure",
    launchOptions: CHROMIUM_LAUNCH,
  },
  webServer: {
    // A fresh plan copy and database for every run; the built server serves the built web app.
    command: `pnpm -s k3s-ha lab up --name ${E2E_LAB} --preset vip >&2 && rm -rf ${E2E_DIR} && mkdir -p ${E2E_DIR} && cp /run/k3s-ha-lab/${E2E_LAB}/plan.yaml ${E2E_PLAN} && exec node apps/server/dist/cli.js serve --plan ${E2E_PLAN} --port ${E2E_PORT} --data ${E2E_DIR}/data`,
    url: `http://127.0.0.1:${E2E_PORT}/api/health`,
    reuseExistingServer: false,
    timeout: 120_000,
    env: { K3S_HA_ADMIN_PASSWORD: E2E_PASSWORD, K3S_HA_LOG_LEVEL: "warn" },
  },
});
