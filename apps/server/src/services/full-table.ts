// The router's whole IPv6 BGP table on demand (the routine poll asks only for the plan's ranges): one read at a time,
// reused for 30 s, parsed with the lean table reader (100,000 routes in well under a second), named after the plan.
import { commands, type NameOf, type Plan, pathViews, type RouteView } from "@k3s-ha/shared";
import { CollectError } from "../collectors/poller.js";
import { planNames } from "../collectors/router.js";
import type { SshPool } from "../plugins/ssh.js";

const REUSE_MS = 30_000;

/** A route as the ranges' view has it, without the FIB (the whole FIB is not read). */
export type FullTableRoute = Omit<RouteView, "fib">;

export interface FullTable {
  routes: FullTableRoute[];
  totalRoutes: number;
  totalPaths: number;
  fetchedAt: string;
  durationMs: number;
}

async function readFullTable(pool: SshPool, plan: Plan): Promise<FullTable> {
  const started = performance.now();
  const out = await pool.exec("router", "frr-show-bgp-ipv6-unicast", {});
  if (out.code !== 0 && !out.stdout.trim())
    throw new CollectError(
      "COMMAND_FAILED",
      `frr-show-bgp-ipv6-unicast exited ${out.code}: ${out.stderr.trim().split("\n")[0] ?? ""}`,
    );
  const parsed = commands["frr-show-bgp-ipv6-unicast"].parse(out.stdout);
  if (!parsed.ok)
    throw new CollectError(parsed.error.code, `${parsed.error.commandId}: ${parsed.error.message}`);
  const nameOf: NameOf = planNames(plan);
  const routes = parsed.value.routes.map((r) => ({ prefix: r.prefix, paths: pathViews(r, nameOf) }));
  return {
    routes,
    totalRoutes: parsed.value.totalRoutes,
    totalPaths: parsed.value.totalPaths,
    fetchedAt: new Date().toISOString(),
    durationMs: Math.round(performance.now() - started),
  };
}

/** Single flight with a 30 s reuse: many viewers asking at once cost one read of the table. */
export class FullTableReader {
  private running: Promise<FullTable> | undefined;
  private last: { at: number; table: FullTable } | undefined;
  reads = 0;

  constructor(private readonly now: () => number = Date.now) {}

  read(pool: SshPool, plan: Plan): Promise<FullTable> {
    if (this.last && this.now() - this.last.at < REUSE_MS) return Promise.resolve(this.last.table);
    if (this.running) return this.running;
    this.reads++;
    this.running = readFullTable(pool, plan)
      .then((table) => {
        this.last = { at: this.now(), table };
        // A 100,000-route table holds tens of MB: let it go once it is no longer reused.
        setTimeout(() => {
          if (this.last?.table === table) this.last = undefined;
        }, REUSE_MS).unref();
        return table;
      })
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }
}

/** The routes whose prefix or next-hop node contains `contains` (case-insensitive), at most `limit`. */
export function filterTable(table: FullTable, contains: string | undefined, limit: number) {
  const f = contains?.trim().toLowerCase();
  const matching = f
    ? table.routes.filter(
        (r) => r.prefix.includes(f) || r.paths.some((p) => (p.node ?? p.nextHop).toLowerCase().includes(f)),
      )
    : table.routes;
  return { routes: matching.slice(0, limit), matched: matching.length };
}
