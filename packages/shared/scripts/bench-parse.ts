// Figures for the route page's on-demand full table: parse a synthesised 100,000-route `show bgp ipv6 unicast json`
// in FRR 10's shape (three paths per prefix, as add-path over a mesh gives) and print the time and memory it took.
//   pnpm -s --filter @k3s-ha/shared bench:parse [--routes 100000]
import { parseArgs } from "node:util";
import { parseBgpTable } from "../src/frr/bgp-routes.js";

const { values } = parseArgs({ options: { routes: { type: "string", default: "100000" } } });
const count = Number(values.routes);

function path(i: number, n: number, best: boolean): string {
  const peer = `2001:db8:1162:79fb::1${n}`;
  return JSON.stringify({
    valid: true,
    ...(best ? { bestpath: true, selectionReason: "Older Path" } : { multipath: true }),
    pathFrom: "external",
    prefix: `2001:db8:${(i >> 16).toString(16)}:${(i & 0xffff).toString(16)}::`,
    prefixLen: 64,
    network: `2001:db8:${(i >> 16).toString(16)}:${(i & 0xffff).toString(16)}::/64`,
    version: i,
    metric: 0,
    weight: 0,
    peerId: peer,
    path: "65010 64512 64513",
    origin: "IGP",
    nexthops: [
      { ip: peer, hostname: `node0${n}`, afi: "ipv6", scope: "global" },
      { ip: `fe80::1${n}`, hostname: `node0${n}`, afi: "ipv6", scope: "link-local", used: true },
    ],
  });
}

function synthesise(n: number): string {
  const parts: string[] = [];
  for (let i = 0; i < n; i++) {
    const prefix = `2001:db8:${(i >> 16).toString(16)}:${(i & 0xffff).toString(16)}::/64`;
    parts.push(`"${prefix}":[${path(i, 1, true)},${path(i, 2, false)},${path(i, 3, false)}]`);
  }
  return `{"vrfId":0,"vrfName":"default","tableVersion":${n},"routerId":"192.0.2.1","defaultLocPrf":100,"localAS":65101,"routes":{${parts.join(",")}},"totalRoutes":${n},"totalPaths":${n * 3}}`;
}

const text = synthesise(count);
const mb = (b: number) => `${(b / 1024 / 1024).toFixed(0)} MB`;
global.gc?.();
const before = process.memoryUsage();
const started = performance.now();
const r = parseBgpTable(text);
const ms = performance.now() - started;
const after = process.memoryUsage();
if (!r.ok) throw new Error(r.error.message);
process.stdout.write(
  `parsed ${r.value.totalRoutes} routes / ${r.value.totalPaths} paths from ${mb(text.length)} of JSON in ${ms.toFixed(0)} ms; ` +
    `heap ${mb(before.heapUsed)} → ${mb(after.heapUsed)}, RSS ${mb(before.rss)} → ${mb(after.rss)} (peak is bounded by the final RSS here)\n`,
);
