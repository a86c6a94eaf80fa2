// `show version` (vtysh): which FRR the router runs — "FRRouting 10.2.1 (pfsense) on FreeBSD(14.0-CURRENT)."
import { guarded, type Parsed, parseFailed } from "./parsed.js";

export const FRR_VERSION_ID = "frr-show-version";

export interface FrrVersion {
  version: string;
  major: number;
  minor: number;
  hostname?: string;
  os?: string;
}

export function parseFrrVersion(stdout: string): Parsed<FrrVersion> {
  const id = FRR_VERSION_ID;
  return guarded(id, stdout, () => {
    const line = stdout.split("\n").find((l) => /^FRRouting \d/.test(l.trim()));
    const m = line
      ? /^FRRouting (\d+)\.(\d+)(?:\.(\d+))?(\S*) \(([^)]*)\)(?: on (.+?))?\.?$/.exec(line.trim())
      : null;
    if (!m) return parseFailed(id, "no `FRRouting <version> (<host>)` line", stdout);
    const version = `${m[1]}.${m[2]}${m[3] !== undefined ? `.${m[3]}` : ""}${m[4] ?? ""}`;
    return {
      ok: true,
      value: {
        version,
        major: Number(m[1]),
        minor: Number(m[2]),
        ...(m[5] ? { hostname: m[5] } : {}),
        ...(m[6] ? { os: m[6] } : {}),
      },
    };
  });
}
