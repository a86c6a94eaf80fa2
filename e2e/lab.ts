// The e2e lab's plan and faults, for specs: values come from the plan the console serves, never hard-coded.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { E2E_LAB, E2E_PLAN } from "../playwright.config";

export interface E2ePlan {
  text: string;
  vip: string;
  podCidr: string;
  clusterAsn: number;
}

/** The plan as the web server's command copied it from the lab. */
export function e2ePlan(): E2ePlan {
  const text = readFileSync(E2E_PLAN, "utf8");
  const doc = parse(text) as {
    network: { apiVip: string; podCidr: string };
    bgp: { clusterAsn: number };
  };
  return { text, vip: doc.network.apiVip, podCidr: doc.network.podCidr, clusterAsn: doc.bgp.clusterAsn };
}

/** `k3s-ha lab fault … ` on the e2e lab (bounded: the lab's own commands time out). */
export function labFault(...args: string[]): void {
  execFileSync("pnpm", ["-s", "k3s-ha", "lab", "fault", "--name", E2E_LAB, ...args], {
    stdio: "inherit",
    timeout: 60_000,
  });
}
