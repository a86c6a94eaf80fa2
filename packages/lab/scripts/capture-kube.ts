// Captures the lab Kubernetes API's list answers for the resources the console watches, byte for byte, as
// packages/shared/src/k8s/fixtures/<resource>.<scenario>.lab-kube-api.json: option 1 healthy, option 1 with node02's
// k3s stopped (its API endpoint not ready), and the document's starting point (no MetalLB: its lists answer 404 and
// are not written). The lab's API is the simulated part of the lab, so the tag says so. As root:
//   pnpm -s --filter @k3s-ha/lab capture-kube
import { readFileSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { request } from "node:https";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { clusterResourceIds, clusterResources, resourcePath } from "@k3s-ha/shared";
import { KubeConfig } from "@kubernetes/client-node";
import { sleep } from "../src/exec.js";
import { startK3s, stopK3s } from "../src/faults.js";
import { labDown, labUp } from "../src/lab.js";
import { requireRoot } from "../src/packages.js";
import { kubeconfigFile } from "../src/state.js";
import { labTopology } from "../src/topology.js";

const OUT = fileURLToPath(new URL("../../shared/src/k8s/fixtures/", import.meta.url));
const t = labTopology("lab");

async function get(apiPath: string): Promise<{ status: number; body: string }> {
  const kc = new KubeConfig();
  kc.loadFromString(readFileSync(kubeconfigFile(t), "utf8"));
  const opts: { ca?: unknown; cert?: unknown; key?: unknown; headers?: Record<string, string> } = {};
  await kc.applyToHTTPSOptions(opts as never);
  // node01 directly: the VIP may lead to a stopped server in the degraded scenario.
  const url = new URL(apiPath, `https://[${t.nodes[0]?.address}]:6443`);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        ca: opts.ca as string,
        cert: opts.cert as string,
        key: opts.key as string,
        headers: opts.headers ?? {},
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }),
        );
      },
    );
    req.on("error", reject);
    req.end();
  });
}

async function capture(scenario: string): Promise<void> {
  await mkdir(OUT, { recursive: true });
  for (const id of clusterResourceIds) {
    const r = await get(resourcePath(clusterResources[id]));
    if (r.status !== 200) {
      process.stderr.write(`capture-kube: ${id} ${scenario}: HTTP ${r.status} (not written)\n`);
      continue;
    }
    const file = `${id}.${scenario}.lab-kube-api.json`;
    await writeFile(path.join(OUT, file), r.body);
    process.stderr.write(`capture-kube: ${file} (${r.body.length} bytes)\n`);
  }
}

/** Waits until the API LoadBalancer service's slice says node02's endpoint is not ready. */
async function waitForUnready(node: string): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    const r = await get("/apis/discovery.k8s.io/v1/namespaces/default/endpointslices");
    if (r.status === 200) {
      const list = JSON.parse(r.body) as {
        items: {
          metadata: { labels?: Record<string, string> };
          endpoints?: { nodeName?: string; conditions?: { ready?: boolean } }[];
        }[];
      };
      const vip = list.items.filter(
        (s) => s.metadata.labels?.["kubernetes.io/service-name"] === "kubernetes-api-vip",
      );
      if (vip.some((s) => s.endpoints?.some((e) => e.nodeName === node && e.conditions?.ready === false)))
        return;
    }
    await sleep(1_000);
  }
  throw new Error(`${node}'s endpoint never turned not ready`);
}

requireRoot("capture-kube");
try {
  await labUp("lab", { preset: "vip", fastControllers: true });
  await sleep(3_000);
  await capture("vip-healthy");
  await stopK3s(t, "node02");
  await waitForUnready("node02");
  await capture("vip-k3s-stopped-node02");
  await startK3s(t, "node02");
  await labUp("lab", { preset: "before", fastControllers: true });
  await sleep(3_000);
  await capture("before");
} finally {
  await labDown("lab");
}
