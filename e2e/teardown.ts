// Takes the e2e labs down after the run (their namespaces, daemons and files), whatever the tests did: the one the
// web server's console reads, and the pfSense-router lab of the setup spec (a no-op when it is already down).
import { execFileSync } from "node:child_process";
import { E2E_LAB, PF_LAB } from "../playwright.config";

export default function teardown(): void {
  for (const name of [E2E_LAB, PF_LAB])
    execFileSync("pnpm", ["-s", "k3s-ha", "lab", "down", "--name", name], {
      stdio: "inherit",
      timeout: 60_000,
    });
}
