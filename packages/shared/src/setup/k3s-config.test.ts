// The k3s configuration as the setup reads it: files merged as k3s merges them, the command line's flags added,
// nothing else kept; the drop-in and AuthenticationConfiguration as rendered, and the commands built from them.

import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { buildCommand } from "../commands/registry.js";
import {
  K3S_CONFIG_BOUNDARY,
  K3S_EXECSTART_BOUNDARY,
  K3S_HA_DROPIN,
  parseExecStart,
  parseK3sConfigShow,
  parseK3sHaDropIn,
  renderAuthenticationConfig,
  renderK3sHaDropIn,
} from "./k3s-config.js";

const file = (path: string, body: string) => `${K3S_CONFIG_BOUNDARY} ${path}\n${body}\n`;
const exec = (argv: string) =>
  `${K3S_EXECSTART_BOUNDARY}\nExecStart={ path=/usr/local/bin/k3s ; argv[]=${argv} ; ignore_errors=no ; start_time=[n/a] ; stop_time=[n/a] ; pid=0 ; code=(null) ; status=0/0 }\n`;

describe("k3s-config-show", () => {
  it("merges files in order (a later key replaces, key+ appends); a command-line flag replaces the files' value", () => {
    const out =
      file("/etc/rancher/k3s/config.yaml", "token: s3cr3t-token\ntls-san: [node01]\ndisable: traefik\n") +
      file("/etc/rancher/k3s/config.yaml.d/10-site.yaml", "tls-san:\n  - site-name\n") +
      file(K3S_HA_DROPIN, renderK3sHaDropIn({ tlsSan: ["k8s-api.example.org"], authConfig: true })) +
      exec("/usr/local/bin/k3s server --disable=servicelb --tls-san extra.example.org");
    const r = parseK3sConfigShow(out);
    if (!r.ok) throw new Error(r.error.message);
    // ExecStart's --tls-san and --disable win over every file, the console's drop-in included.
    expect(r.value.tlsSan).toEqual(["extra.example.org"]);
    expect(r.value.fromFiles["tls-san"]).toEqual(["site-name", "k8s-api.example.org"]);
    expect(r.value.fromFiles.disable).toEqual(["traefik"]);
    expect(r.value.disable).toEqual(["servicelb"]);
    expect(r.value.cliKeys).toEqual(["tls-san", "disable"]);
    expect(r.value.apiserverArgs).toEqual([
      "authentication-config=/etc/rancher/k3s/k3s-ha-authentication-config.yaml",
    ]);
    expect(r.value.execStart).toEqual([
      "/usr/local/bin/k3s",
      "server",
      "--disable=servicelb",
      "--tls-san",
      "extra.example.org",
    ]);
    // Exactly the file, so an unchanged drop-in is never written again.
    expect(r.value.dropIn).toBe(renderK3sHaDropIn({ tlsSan: ["k8s-api.example.org"], authConfig: true }));
    expect(r.value.others["tls-san"]).toEqual(["extra.example.org"]);
    expect(r.value.others["kube-apiserver-arg"]).toEqual([]);
    // The token never leaves the parser.
    expect(JSON.stringify(r.value)).not.toContain("s3cr3t");
  });

  it("merges kube-controller-manager-arg as k3s does, so the timings it sets can be read", () => {
    const files =
      file("/etc/rancher/k3s/config.yaml", "kube-controller-manager-arg: [node-monitor-grace-period=20s]\n") +
      file(
        "/etc/rancher/k3s/config.yaml.d/10-site.yaml",
        "kube-controller-manager-arg+:\n  - node-monitor-period=2s\n",
      );
    const r = parseK3sConfigShow(files);
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.controllerManagerArgs).toEqual([
      "node-monitor-grace-period=20s",
      "node-monitor-period=2s",
    ]);
    // A later file's plain key replaces; the command line replaces every file's values.
    const replaced = parseK3sConfigShow(
      files +
        file(
          "/etc/rancher/k3s/config.yaml.d/20-other.yaml",
          "kube-controller-manager-arg: [node-monitor-grace-period=30s]\n",
        ) +
        exec("/usr/local/bin/k3s server --kube-controller-manager-arg=node-monitor-grace-period=40s"),
    );
    if (!replaced.ok) throw new Error(replaced.error.message);
    expect(replaced.value.fromFiles["kube-controller-manager-arg"]).toEqual([
      "node-monitor-grace-period=30s",
    ]);
    expect(replaced.value.controllerManagerArgs).toEqual(["node-monitor-grace-period=40s"]);
  });

  it("names a file that is not YAML and keeps reading the others; refuses output that is not its own", () => {
    const r = parseK3sConfigShow(
      file("/etc/rancher/k3s/config.yaml", "tls-san: [a\n") + file(`${K3S_HA_DROPIN}`, "tls-san+: [b]\n"),
    );
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.problems[0]).toMatch(/^\/etc\/rancher\/k3s\/config\.yaml: not YAML/);
    expect(r.value.tlsSan).toEqual(["b"]);
    const bad = parseK3sConfigShow("token: s3cr3t\n");
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.head).toBe("");
  });

  it("reads systemd's ExecStart property", () => {
    expect(parseExecStart("ExecStart={ path=/x ; argv[]=/x server ; ignore_errors=no ; pid=0 }")).toEqual([
      "/x",
      "server",
    ]);
    expect(parseExecStart("ExecStart=")).toBeUndefined();
  });
});

describe("the console's drop-in", () => {
  it("appends only (tls-san+, kube-apiserver-arg+) and parses back to what it says", () => {
    const text = renderK3sHaDropIn({ tlsSan: ["k8s-api.k8s.example.org", "2001:db8::1"], authConfig: true });
    expect(parse(text)).toEqual({
      "tls-san+": ["k8s-api.k8s.example.org", "2001:db8::1"],
      "kube-apiserver-arg+": ["authentication-config=/etc/rancher/k3s/k3s-ha-authentication-config.yaml"],
    });
    expect(parse(renderAuthenticationConfig())).toEqual({
      apiVersion: "apiserver.config.k8s.io/v1beta1",
      kind: "AuthenticationConfiguration",
      anonymous: { enabled: true, conditions: [{ path: "/livez" }, { path: "/readyz" }] },
    });
  });

  it("builds the write from validated names only", () => {
    const ok = buildCommand(
      "k3s-dropin-write",
      { tlsSan: ["K8S-API.k8s.example.org", "2001:DB8::0:1"], authConfig: false },
      { kind: "node", sudo: true },
    );
    if (!ok.ok) throw new Error(ok.message);
    expect(ok.command.argv.slice(0, 3)).toEqual(["sudo", "-n", "sh"]);
    expect(ok.command.argv[6]).toContain('- "k8s-api.k8s.example.org"\n  - "2001:db8::1"');
    expect(ok.command.argv[7]).toBe("");
    for (const evil of ["a'; rm -rf /", "name\nkube-apiserver-arg: x", "a b"]) {
      const r = buildCommand(
        "k3s-dropin-write",
        { tlsSan: [evil], authConfig: false },
        { kind: "node", sudo: false },
      );
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.message).toContain("k3s-dropin-write: tlsSan.0: not an IP address or DNS name");
    }
  });

  it("reads back what it says, so undo can write an earlier one again", () => {
    for (const settings of [
      { tlsSan: ["k8s-api.k8s.example.org", "2001:db8::1", "*.k8s.example.org"], authConfig: true },
      { tlsSan: ["k8s-api.k8s.example.org"], authConfig: false },
      { tlsSan: [], authConfig: true },
      { tlsSan: [], authConfig: false },
    ]) {
      const text = renderK3sHaDropIn(settings);
      expect(parseK3sHaDropIn(text)).toEqual(settings);
      // As k3s-config-show hands it over (the file without the newline the script adds after it).
      const r = parseK3sConfigShow(file(K3S_HA_DROPIN, text));
      if (!r.ok) throw new Error(r.error.message);
      expect(r.value.dropInSettings).toEqual(settings);
      expect(r.value.dropIn).toBe(text);
      expect(r.value.dropInForeign).toBeUndefined();
    }
  });

  it("takes a file at its path that the console did not write as foreign, and keeps none of its text", () => {
    const header = renderK3sHaDropIn({ tlsSan: [], authConfig: false });
    for (const text of [
      // No header: an operator's own file of that name.
      "token: s3cr3t-token\ntls-san+: [a.example]\n",
      "tls-san+: [a.example]\n",
      // The header, but a key the console never writes.
      `${header}token: s3cr3t-token\n`,
      `${header}tls-san: [a.example]\n`,
      // Another apiserver argument, or a value the registry would not write.
      `${header}kube-apiserver-arg+: ["anonymous-auth=true"]\n`,
      `${header}tls-san+: ["a b"]\n`,
      `${header}tls-san+: "a.example"\n`,
      `${header}tls-san+: [`,
    ]) {
      expect(parseK3sHaDropIn(text), text).toBeUndefined();
      const r = parseK3sConfigShow(file(K3S_HA_DROPIN, text));
      if (!r.ok) throw new Error(r.error.message);
      expect(r.value.dropInForeign, text).toBe(true);
      expect(r.value.dropIn).toBeUndefined();
      expect(r.value.dropInSettings).toBeUndefined();
      expect(JSON.stringify(r.value)).not.toContain("s3cr3t");
    }
    // No file at all is neither.
    const none = parseK3sConfigShow(file("/etc/rancher/k3s/config.yaml", "tls-san: [a]\n"));
    if (!none.ok) throw new Error(none.error.message);
    expect(none.value.dropInForeign).toBeUndefined();
  });
});
