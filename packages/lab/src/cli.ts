// `k3s-ha lab …`: up, down, status and fault controls for the disposable lab of real daemons.
import { parseArgs } from "node:util";
import { CALICO_VERSIONS, type CalicoVersion, isCalicoVersion } from "./calico/versions.js";
import {
  blackholeNode,
  cutLink,
  healBlackhole,
  killBird,
  killCalicoNode,
  restoreLink,
  setBgpMode,
  startBirdAgain,
  startCalicoNodeAgain,
  startK3s,
  stopBirdGracefully,
  stopK3s,
} from "./faults.js";
import { type Preset, presets } from "./kube-lab.js";
import { isUp, labDown, labStatusOf, labUp } from "./lab.js";
import { NotRootError, requireRoot } from "./packages.js";
import { regenerateRouter, saveNeighbourTimers, setCarpState } from "./router.js";
import {
  type BgpMode,
  bgpModes,
  DEFAULT_LAB,
  labTopology,
  type RouterKind,
  routerKinds,
} from "./topology.js";

const USAGE = `k3s-ha lab — a disposable IPv6 BGP and DNS lab of real daemons (FRR, BIRD2, BIND9, OpenSSH), as root

Usage:
  k3s-ha lab up     [--name L] [--bgp default|fast|bfd] [--preset before|vip|dns] [--fast-controllers]
                    [--calico v3.31.7|v3.32.1|v3.31.3] [--router linux-frr|pfsense]
                                                         bring the lab up (idempotent); prints where its plan is;
                                                         on a running lab, switches BGP mode / applies the preset
  k3s-ha lab down   [--name L]                           stop and remove everything the lab made
  k3s-ha lab status [--name L] [--json]                  is it up, and where are its plan, keys and kubeconfig
  k3s-ha lab router regenerate [--name L]                pfsense router: frr.conf rendered again from the package's
                                                         settings and FRR restarted (vtysh changes are lost)
  k3s-ha lab router timers [--name L] --keepalive S --hold S
                                                         pfsense router: every neighbour's Keep Alive and Hold Time
                                                         saved as in the package's GUI, then regenerated
  k3s-ha lab fault  [--name L] FAULT [NODE] [--for SECONDS]
      stop-k3s NODE | start-k3s NODE       systemctl stop|start k3s on the node
      stop-bird NODE                       birdc down (graceful: the router withdraws at once)
      kill-bird NODE | start-bird NODE     SIGKILL BIRD (runit restarts it at once with -R) | sv up after stop-bird
      kill-calico-node NODE                SIGKILL calico-node and BIRD: nothing restarts them; stale routes up to 120 s
      start-calico-node NODE               calico-node (and BIRD, with graceful restart recovery) back
      cut-link NODE | restore-link NODE    the node's switch port down | up
      blackhole NODE --for SECONDS         drop all the node's packets (nftables), healing by itself after SECONDS
      heal NODE                            end a blackhole now
      bgp default|fast|bfd                 FRR timers 60/180, 1/3, or BFD 100 ms x 3 (a what-if: Calico renders no BFD)
      carp-backup | carp-master            pfsense router only: CARP backup (FRR stopped, as the package does) | master

Presets: before (default) = the design document's starting point: Calico peering with the router, mesh on, no
filters, no MetalLB at all, tls-san with the node names only, no anonymous /readyz, no HA names in DNS (kubeconfig
on node01); vip = option 1 (MetalLB controller and pool, Calico serviceLoadBalancerIPs and pod-route BGPFilter, API
DaemonSet and LoadBalancer Service, tls-san and DNS with both names and the VIP; kubeconfig on the VIP); dns =
option 2 (round-robin AAAA records, tls-san with the round-robin name). Switching presets restarts k3s node by node.
--calico: the Calico release imitated (default v3.31.7; fixed for a lab's life): its image tag, ClusterInformation
calicoVersion and CRDs; v3.32.1 and v3.31.3 advertise an eTP Local VIP from nodes whose endpoint is not ready.
--router: linux-frr (default: vtysh on the PATH, root login) or pfsense (as pfSense's FRR package: admin with
sudo -n /usr/local/bin/vtysh only, frr.conf regenerated from router/pfsense/installedpackages.json); fixed for a
lab's life.
--fast-controllers (or K3S_LAB_FAST_CONTROLLERS=1): node grace period 8 s instead of 50 s, apiserver lease TTL 5 s
instead of 15 s, for tests.

The default lab "lab" uses examples/lab.yaml's addresses (2001:db8:1162:79fb::/64); other names get their own /64.`;

class UsageError extends Error {}

function parsePreset(value: string): Preset {
  if (!(presets as readonly string[]).includes(value))
    throw new UsageError(`the preset must be one of ${presets.join(", ")}, got "${value}"`);
  return value as Preset;
}

function parseRouter(value: string): RouterKind {
  const kind = routerKinds.find((k) => k === value);
  if (!kind) throw new UsageError(`the router must be one of ${routerKinds.join(", ")}, got "${value}"`);
  return kind;
}

async function routerCommand(
  name: string,
  args: string[],
  timers: { keepalive?: string | undefined; hold?: string | undefined },
): Promise<string> {
  const [what] = args;
  if (what !== "regenerate" && what !== "timers")
    throw new UsageError(`unknown router command "${what ?? ""}" (regenerate, timers)`);
  if (what === "timers" && (!timers.keepalive || !timers.hold))
    throw new UsageError("router timers needs --keepalive SECONDS and --hold SECONDS");
  const t = labTopology(name);
  requireRoot("router");
  if (!(await isUp(t))) throw new Error(`lab ${name} is not up (k3s-ha lab up --name ${name})`);
  if (what === "timers") {
    const keepaliveS = Number(timers.keepalive);
    const holdS = Number(timers.hold);
    await saveNeighbourTimers(t, { keepaliveS, holdS });
    return `lab ${name}: every neighbour's Keep Alive ${keepaliveS} s and Hold Time ${holdS} s saved as in the package's GUI; frr.conf regenerated, sessions are back`;
  }
  await regenerateRouter(t);
  return `lab ${name}: frr.conf regenerated from the package's settings and FRR restarted; sessions are back`;
}

function parseCalico(value: string): CalicoVersion {
  if (!isCalicoVersion(value))
    throw new UsageError(`the Calico version must be one of ${CALICO_VERSIONS.join(", ")}, got "${value}"`);
  return value;
}

function parseMode(value: string): BgpMode {
  if (!(bgpModes as readonly string[]).includes(value))
    throw new UsageError(`the BGP mode must be one of ${bgpModes.join(", ")}, got "${value}"`);
  return value as BgpMode;
}

async function fault(name: string, args: string[], seconds: string | undefined): Promise<string> {
  const [what, target] = args;
  const t = labTopology(name);
  requireRoot("fault");
  if (!(await isUp(t))) throw new Error(`lab ${name} is not up (k3s-ha lab up --name ${name})`);
  if (what === "bgp") {
    if (!target) throw new UsageError(`fault bgp needs a mode (${bgpModes.join(", ")})`);
    const mode = parseMode(target);
    await setBgpMode(t, mode);
    return `BGP mode is now ${mode}`;
  }
  if (what === "carp-backup" || what === "carp-master") {
    await setCarpState(t, what === "carp-backup" ? "BACKUP" : "MASTER");
    return what === "carp-backup"
      ? "the router is the CARP backup: FRR stopped"
      : "the router is the CARP master again";
  }
  if (!target)
    throw new UsageError(`fault ${what ?? ""} needs a NODE (${t.nodes.map((n) => n.name).join(", ")})`);
  const actions: Record<string, () => Promise<unknown>> = {
    "stop-k3s": () => stopK3s(t, target),
    "start-k3s": () => startK3s(t, target),
    "stop-bird": () => stopBirdGracefully(t, target),
    "kill-bird": () => killBird(t, target),
    "start-bird": () => startBirdAgain(t, target),
    "kill-calico-node": () => killCalicoNode(t, target),
    "start-calico-node": () => startCalicoNodeAgain(t, target),
    "cut-link": () => cutLink(t, target),
    "restore-link": () => restoreLink(t, target),
    heal: () => healBlackhole(t, target),
    blackhole: () => {
      const s = Number(seconds);
      if (!seconds || !Number.isFinite(s)) throw new UsageError("blackhole needs --for SECONDS");
      return blackholeNode(t, target, s);
    },
  };
  const action = what ? actions[what] : undefined;
  if (!action) throw new UsageError(`unknown fault "${what ?? ""}"`);
  await action();
  return `${what} ${target}: done${what === "blackhole" ? ` (heals by itself after ${seconds} s)` : ""}`;
}

function stoppedLine(daemons: Record<string, Record<string, boolean>> | undefined): string {
  const stopped = Object.entries(daemons ?? {}).flatMap(([machine, d]) =>
    Object.entries(d)
      .filter(([, on]) => !on)
      .map(([daemon]) => `${machine} ${daemon}`),
  );
  return stopped.length ? `  stopped:   ${stopped.join(", ")}\n` : "";
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      name: { type: "string", default: DEFAULT_LAB },
      bgp: { type: "string" },
      preset: { type: "string" },
      calico: { type: "string" },
      router: { type: "string" },
      "fast-controllers": { type: "boolean" },
      json: { type: "boolean", default: false },
      for: { type: "string" },
      keepalive: { type: "string" },
      hold: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  const [command, ...rest] = positionals;
  const say = (line: string) => process.stderr.write(`lab: ${line}\n`);
  if (values.help || command === undefined || command === "help") {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const name = values.name;
  if (command === "up") {
    const started = Date.now();
    const status = await labUp(name, {
      ...(values.bgp ? { bgp: parseMode(values.bgp) } : {}),
      ...(values.preset ? { preset: parsePreset(values.preset) } : {}),
      ...(values.calico ? { calico: parseCalico(values.calico) } : {}),
      ...(values.router ? { router: parseRouter(values.router) } : {}),
      ...(values["fast-controllers"] ? { fastControllers: true } : {}),
      say,
    });
    process.stdout.write(
      `lab ${name} is up in ${((Date.now() - started) / 1000).toFixed(1)} s (BGP ${status.bgp ?? "default"}, preset ${status.preset ?? "before"}, Calico ${status.models.calicoVersion}, router ${status.models.router})\n` +
        `  plan:      ${status.plan}\n  kubeconfig: ${status.kubeconfig}\n  ssh key:   ${status.privateKey}\n  VIP:       ${status.vip}\n` +
        `  console:   pnpm -s k3s-ha serve --plan ${status.plan}\n`,
    );
    return 0;
  }
  if (command === "down") {
    const started = Date.now();
    await labDown(name);
    process.stdout.write(`lab ${name} is down in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    return 0;
  }
  if (command === "status") {
    const status = await labStatusOf(name);
    if (values.json) process.stdout.write(`${JSON.stringify(status, null, 2)}\n`);
    else
      process.stdout.write(
        `lab ${name}: ${status.up ? `up (BGP ${status.bgp ?? "default"}, preset ${status.preset ?? "before"}, Calico ${status.models.calicoVersion})` : "down"}\n` +
          `  state dir: ${status.stateDir}\n  plan:      ${status.plan}\n  kubeconfig: ${status.kubeconfig}\n  prefix:    ${status.prefix}\n` +
          `  router:    ${status.router} (${status.models.router})\n${status.nodes.map((n) => `  ${n.name}:    ${n.address}\n`).join("")}` +
          `  VIP:       ${status.vip}\n  DNS:       [${status.dns.server}]:${status.dns.port} zone ${status.dns.zone}\n` +
          (status.bgpNote ? `  BGP note:  ${status.bgpNote}\n` : "") +
          stoppedLine(status.daemons),
      );
    return status.up ? 0 : 3;
  }
  if (command === "router") {
    process.stdout.write(
      `${await routerCommand(name, rest, { keepalive: values.keepalive, hold: values.hold })}\n`,
    );
    return 0;
  }
  if (command === "fault") {
    process.stdout.write(`${await fault(name, rest, values.for)}\n`);
    return 0;
  }
  throw new UsageError(`unknown lab command "${command}"`);
}

export function runLabCli(argv: string[]): void {
  main(argv).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      const usage =
        err instanceof UsageError || (err as { code?: string }).code?.startsWith("ERR_PARSE_ARGS");
      if (err instanceof NotRootError) process.stderr.write(`${err.message}\n`);
      else process.stderr.write(`k3s-ha lab: ${(err as Error).message}${usage ? `\n\n${USAGE}` : ""}\n`);
      process.exitCode = usage ? 2 : 1;
    },
  );
}

if (import.meta.url === `file://${process.argv[1]}`) runLabCli(process.argv.slice(2));
