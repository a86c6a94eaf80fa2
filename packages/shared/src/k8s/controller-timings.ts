// kube-controller-manager's timings as k3s passes them (`kube-controller-manager-arg: [name=value]` in the config
// files or on the command line): the node-monitor grace period and period, and its leader election's lease and
// retry period. Values are Go durations ("20s", "1m0s", "1m30s", "500ms"). Pure; the lab's stand-in reads the same.

/** Go's time.ParseDuration, to milliseconds: a sequence of decimal numbers with units (ns, us, µs, ms, s, m, h). */
export function parseGoDurationMs(text: string): number | undefined {
  const t = text.trim();
  if (t === "0") return 0;
  const unitMs: Record<string, number> = {
    ns: 1e-6,
    us: 1e-3,
    µs: 1e-3,
    ms: 1,
    s: 1_000,
    m: 60_000,
    h: 3_600_000,
  };
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/y;
  let total = 0;
  let at = 0;
  while (at < t.length) {
    re.lastIndex = at;
    const m = re.exec(t);
    if (!m?.[1] || !m[2]) return undefined;
    total += Number(m[1]) * (unitMs[m[2]] ?? Number.NaN);
    at = re.lastIndex;
  }
  return at > 0 && Number.isFinite(total) ? total : undefined;
}

export const CONTROLLER_TIMING_FLAGS = {
  nodeMonitorGracePeriodMs: "node-monitor-grace-period",
  nodeMonitorPeriodMs: "node-monitor-period",
  leaderLeaseMs: "leader-elect-lease-duration",
  leaderRetryMs: "leader-elect-retry-period",
} as const;

export type ControllerTimings = Partial<Record<keyof typeof CONTROLLER_TIMING_FLAGS, number>>;

/**
 * The timings `kube-controller-manager-arg` values set (`node-monitor-grace-period=20s`, also with a leading `--`);
 * a later value of the same flag wins, as the controller manager's flag parsing does. Unset or unparseable: absent.
 */
export function controllerTimings(args: readonly string[]): ControllerTimings {
  const out: ControllerTimings = {};
  for (const raw of args) {
    const arg = raw.trim().replace(/^--/, "");
    const eq = arg.indexOf("=");
    if (eq < 0) continue;
    const flag = arg.slice(0, eq);
    for (const [key, name] of Object.entries(CONTROLLER_TIMING_FLAGS) as [
      keyof ControllerTimings,
      string,
    ][]) {
      if (flag !== name) continue;
      const ms = parseGoDurationMs(arg.slice(eq + 1));
      if (ms !== undefined && ms > 0) out[key] = ms;
    }
  }
  return out;
}
