// A name as a probing client sees it: resolved at the plan's DNS server, kept for the record's TTL (then resolved
// again), one lookup at a time per name; only the plan's addresses are ever dialled — an answer outside the plan is
// reported, never probed (a wrong or hostile record must not collect the console's credentials or traffic).
import { Resolver } from "node:dns/promises";

export interface Resolved {
  /** The answer's addresses that the plan names, in the order the server sent them. */
  addresses: string[];
  /** Answers dropped because the plan does not name them. */
  outsidePlan: string[];
  ttlS: number;
}

export class NameLookupError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

interface Entry {
  value?: Resolved;
  expiresAtMs: number;
  pending?: Promise<Resolved>;
}

export class NameCache {
  private readonly entries = new Map<string, Entry>();
  private readonly resolver: Resolver;
  /** Lookups sent to the server (tests and the run's figures). */
  lookups = 0;

  constructor(
    server: { address: string; port: number },
    private readonly allowed: ReadonlySet<string>,
    private readonly now: () => number,
    timeoutMs = 1_000,
  ) {
    this.resolver = new Resolver({ timeout: timeoutMs, tries: 1 });
    this.resolver.setServers([`[${server.address}]:${server.port}`]);
  }

  async resolve(name: string): Promise<Resolved> {
    const entry = this.entries.get(name);
    if (entry?.value && entry.expiresAtMs > this.now()) return entry.value;
    if (entry?.pending) return entry.pending;
    const pending = this.lookup(name).then(
      (value) => {
        this.entries.set(name, { value, expiresAtMs: this.now() + value.ttlS * 1_000 });
        return value;
      },
      (err: unknown) => {
        this.entries.delete(name);
        throw err;
      },
    );
    this.entries.set(name, { ...entry, expiresAtMs: 0, pending });
    return pending;
  }

  private async lookup(name: string): Promise<Resolved> {
    this.lookups++;
    let records: { address: string; ttl: number }[];
    try {
      records = await this.resolver.resolve6(name, { ttl: true });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? "DNS_FAILED";
      throw new NameLookupError(code, `${name}: ${code} from the plan's DNS server`);
    }
    const canonical = (a: string) => a.toLowerCase();
    const addresses = records.map((r) => r.address).filter((a) => this.allowed.has(canonical(a)));
    const outsidePlan = records.map((r) => r.address).filter((a) => !this.allowed.has(canonical(a)));
    if (addresses.length === 0)
      throw new NameLookupError(
        "NO_PLAN_ADDRESS",
        `${name}: no address the plan names in the answer (${outsidePlan.join(", ") || "empty"})`,
      );
    return { addresses, outsidePlan, ttlS: Math.min(...records.map((r) => r.ttl)) };
  }

  stop(): void {
    this.resolver.cancel();
  }
}
