// Takes the e2e lab down after the run (its namespaces, daemons and files), whatever the tests did.
import { execFileSync } from "node:child_process";
import { E2E_LAB } from "../playwright.config";

export default function teardown(): void {
  execFileSync("pnpm", ["-s", "k3s-ha", "lab", "down", "--name", E2E_LAB], {
    stdio: "inherit",
    timeout: 60_000,
  });
}
