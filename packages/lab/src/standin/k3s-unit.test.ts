// k3s.service as the install script writes it and systemctl shows it, the command line on top of the config files
// (a flag replaces the files' value), the node-args annotation, and --disable removing seeded packaged components.
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createKubeApi, R, seedCluster } from "../kube/index.js";
import {
  commandLineFlags,
  execStartValue,
  k3sStartConfig,
  nodeArgs,
  renderK3sUnit,
  renderUnitArgs,
  showUnit,
  unitArgsFile,
} from "./k3s-unit.js";
import { readTlsSan, type StandinConfig } from "./node-config.js";
import { disabledComponents, removeDisabledComponents } from "./packaged-components.js";

let dir: string;
let standin: StandinConfig;
const write = (name: string, text: string) => {
  const file = path.join(dir, name);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  return file;
};

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "k3s-unit-"));
  standin = { node: "node01", dataDir: path.join(dir, "node01", "k3s") } as StandinConfig;
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const TAIL = `ExecStartPre=-/sbin/modprobe br_netfilter
ExecStartPre=-/sbin/modprobe overlay
ExecStart=/usr/local/bin/k3s \\
`;

describe("k3s.service", () => {
  it("is the install script's unit: `server \\` alone, then a blank line, by default", () => {
    const unit = renderK3sUnit(["server"]);
    expect(
      unit.startsWith("[Unit]\nDescription=Lightweight Kubernetes\nDocumentation=https://k3s.io\n"),
    ).toBe(true);
    expect(unit).toContain("[Service]\nType=notify\nEnvironmentFile=-/etc/default/%N\n");
    expect(unit).toContain("EnvironmentFile=-/etc/systemd/system/k3s.service.env\nKillMode=process\n");
    expect(unit).toContain("Restart=always\nRestartSec=5s\n");
    expect(unit.endsWith(`${TAIL}    server \\\n\n`)).toBe(true);
  });

  it("quotes each flag on its own tab-indented line, as quote_indent does", () => {
    expect(
      renderK3sUnit(["server", "--disable=servicelb", "--node-label=team=it's"]).endsWith(
        `${TAIL}    server \\\n\t'--disable=servicelb' \\\n\t'--node-label=team=it'\\''s' \\\n\n`,
      ),
    ).toBe(true);
  });

  it("shows ExecStart as systemd prints it, unquoted argv and the process fields", () => {
    expect(execStartValue(["server", "--disable=servicelb"])).toBe(
      "{ path=/usr/local/bin/k3s ; argv[]=/usr/local/bin/k3s server --disable=servicelb ; ignore_errors=no ; start_time=[n/a] ; stop_time=[n/a] ; pid=0 ; code=(null) ; status=0/0 }",
    );
    expect(execStartValue(["server"], { pid: 4242, startedAt: new Date(2025, 8, 30, 10, 5, 7) })).toMatch(
      /^\{ path=\/usr\/local\/bin\/k3s ; argv\[\]=\/usr\/local\/bin\/k3s server ; ignore_errors=no ; start_time=\[Tue 2025-09-30 10:05:07 [A-Z+0-9:-]+\] ; stop_time=\[n\/a\] ; pid=4242 ; code=\(null\) ; status=0\/0 \}$/,
    );
  });

  it("answers `systemctl show k3s -p …` from the node's unit arguments file", () => {
    mkdirSync(path.dirname(unitArgsFile(standin)), { recursive: true });
    writeFileSync(unitArgsFile(standin), renderUnitArgs(["server", "--tls-san=x.example"]));
    const [line] = showUnit(standin, ["show", "k3s", "-p", "ExecStart"]);
    expect(line).toBe(
      "ExecStart={ path=/usr/local/bin/k3s ; argv[]=/usr/local/bin/k3s server --tls-san=x.example ; ignore_errors=no ; start_time=[n/a] ; stop_time=[n/a] ; pid=0 ; code=(null) ; status=0/0 }",
    );
    expect(showUnit(standin, ["show", "k3s", "--property=ActiveState,MainPID"])).toEqual([
      "ActiveState=inactive",
      "MainPID=0",
    ]);
    expect(showUnit(standin, ["show", "-P", "SubState", "k3s"])).toEqual(["dead"]);
    expect(showUnit(standin, ["show", "k3s", "-p", "NoSuchProperty"])).toEqual([]);
  });

  it("is what the node's systemctl wrapper prints for `cat k3s` and `show k3s -p ExecStart --value`", async () => {
    mkdirSync(path.dirname(unitArgsFile(standin)), { recursive: true });
    writeFileSync(unitArgsFile(standin), "server\n--disable=servicelb\n");
    const configFile = write("standin.json", JSON.stringify(standin));
    const script = fileURLToPath(new URL("./node-commands.ts", import.meta.url));
    const loader = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
    const run = (args: string[]) =>
      new Promise<string>((resolve, reject) =>
        execFile(
          process.execPath,
          ["--import", loader, script, "systemctl", ...args],
          { env: { ...process.env, K3S_LAB_NODE_CONFIG: configFile }, timeout: 30_000 },
          (err, stdout) => (err ? reject(err) : resolve(stdout)),
        ),
      );
    const [cat, show] = await Promise.all([
      run(["cat", "k3s"]),
      run(["show", "k3s", "-p", "ExecStart", "--value"]),
    ]);
    expect(cat).toBe(
      `# /etc/systemd/system/k3s.service\n${renderK3sUnit(["server", "--disable=servicelb"])}`,
    );
    expect(show).toBe(`${execStartValue(["server", "--disable=servicelb"])}\n`);
  }, 40_000);
});

describe("the command line on top of the config files", () => {
  it("reads --a=b, --a b for value flags, and a bare flag as true", () => {
    expect([
      ...commandLineFlags(["--tls-san", "a", "--tls-san=b", "--disable-network-policy", "-c", "f"]),
    ]).toEqual([
      ["tls-san", ["a", "b"]],
      ["disable-network-policy", ["true"]],
      ["config", ["f"]],
    ]);
  });

  it("replaces the files' tls-san and disable with the flags' values, and keeps what the flags do not name", () => {
    const file = write(
      "etc/config.yaml",
      "tls-san: [node01, node02]\ndisable: [servicelb, traefik]\nnode-ip: 2001:db8::11\n",
    );
    write("etc/config.yaml.d/10-vip.yaml", "tls-san+: [vip.example]\n");
    const env = { K3S_CONFIG_FILE: file };
    const { files, effective } = k3sStartConfig(
      ["server", "--tls-san=cli.example,2001:db8::1", "--disable", "metrics-server"],
      env,
    );
    expect(readTlsSan(files)).toEqual(["node01", "node02", "vip.example"]);
    expect(readTlsSan(effective)).toEqual(["cli.example", "2001:db8::1"]);
    expect(disabledComponents(effective)).toEqual(["metrics-server"]);
    expect(effective["node-ip"]).toBe("2001:db8::11");
    expect(readTlsSan(k3sStartConfig(["server"], env).effective)).toEqual([
      "node01",
      "node02",
      "vip.example",
    ]);
  });

  it("takes the config file (and its .d directory) from --config, K3S_CONFIG_FILE winning over it", () => {
    const other = write("other/k3s.yaml", "tls-san: [other]\n");
    write("other/k3s.yaml.d/50.yaml", "tls-san+: [other-dropin]\n");
    const envFile = write("env/k3s.yaml", "tls-san: [from-env]\n");
    expect(readTlsSan(k3sStartConfig(["server", `--config=${other}`], {}).effective)).toEqual([
      "other",
      "other-dropin",
    ]);
    expect(
      readTlsSan(k3sStartConfig(["server", "-c", other], { K3S_CONFIG_FILE: envFile }).effective),
    ).toEqual(["from-env"]);
  });

  it("writes node-args as k3s does: the command, the files' flags, then the command line, secrets starred", () => {
    const files = {
      "node-ip": "2001:db8::11",
      disable: ["servicelb", "traefik"],
      "disable-network-policy": true,
      token: "s3cret",
    };
    expect(nodeArgs(["server", "--tls-san=x.example", "--cluster-init"], files)).toEqual([
      "server",
      "--node-ip",
      "2001:db8::11",
      "--disable",
      "servicelb",
      "--disable",
      "traefik",
      "--disable-network-policy",
      "true",
      "--token",
      "********",
      "--tls-san",
      "x.example",
      "--cluster-init",
    ]);
  });
});

describe("--disable", () => {
  it("deletes the seeded objects of each disabled packaged component (comma-separated values split)", () => {
    const kube = createKubeApi({
      dbFile: path.join(dir, "state.db"),
      compactIntervalMs: 0,
      config: { serviceCidr: "fd00:10:96::/112" },
    });
    try {
      seedCluster(kube.client, {
        nodes: [{ name: "node01", address: "2001:db8::11" }],
        metallb: false,
        calico: false,
      });
      const lines: string[] = [];
      removeDisabledComponents(
        kube.client,
        disabledComponents({ disable: ["traefik,metrics-server"] }),
        (l) => lines.push(l),
      );
      expect(kube.client.get(R.deployments, "kube-system", "metrics-server")).toBeUndefined();
      expect(kube.client.get(R.services, "kube-system", "metrics-server")).toBeUndefined();
      expect(
        kube.client.list(R.pods, { namespace: "kube-system", labelSelector: "k8s-app=metrics-server" }),
      ).toEqual([]);
      expect(kube.client.get(R.deployments, "kube-system", "coredns")).toBeDefined();
      expect(lines).toEqual([
        "deleted deployments kube-system/metrics-server (metrics-server disabled)",
        "deleted services kube-system/metrics-server (metrics-server disabled)",
      ]);
    } finally {
      kube.close();
    }
  });
});
