// k3s's config file merge as the stand-in reads it at start: config.yaml then config.yaml.d/*.yaml|*.yml in
// lexical order, replace by default, `key+` appends (a scalar becoming a list), other names ignored, bad YAML fatal.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { K3sConfigError, mergedK3sConfig, readAnonymousHealthPaths, readTlsSan } from "./node-config.js";

let dir: string;
let config: string;
const write = (name: string, text: string) => {
  const file = path.join(dir, name);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  return file;
};

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "k3s-config-"));
  config = path.join(dir, "config.yaml");
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("mergedK3sConfig", () => {
  it("merges k3s's own testdata as its parser does (pkg/configfilearg/testdata/data.yaml and data.yaml.d)", () => {
    write("config.yaml", 'foo-bar: baz\na-slice:\n- 1\n- "2"\n- ""\n- three\nisempty:\nc: b\nislast: true\n');
    write(
      "config.yaml.d/01-data.yml",
      'foo-bar: get-overriden\na-slice:\n- 1\n- "1.5"\n- "2"\n- ""\n- three\nb-string: one\nc-slice:\n- one\n- two\nd-slice:\n- one\n- two\n',
    );
    write("config.yaml.d/02-data-ignore-this.txt", "foo-bar: ignored\n");
    write(
      "config.yaml.d/02-data.yaml",
      "foo-bar: bar-foo\nb-string+: two\nc-slice+:\n- three\nd-slice:\n- three\n- four\ne-slice+:\n- one\n- two\n",
    );
    const merged = mergedK3sConfig(config);
    expect(merged).toEqual({
      "foo-bar": "bar-foo",
      "a-slice": [1, "1.5", "2", "", "three"],
      isempty: null,
      c: "b",
      islast: true,
      "b-string": ["one", "two"],
      "c-slice": ["one", "two", "three"],
      "d-slice": ["three", "four"],
      "e-slice": ["one", "two"],
    });
    // Keys keep the order they were first seen in (the order k3s puts the flags in).
    expect(Object.keys(merged)).toEqual([
      "foo-bar",
      "a-slice",
      "isempty",
      "c",
      "islast",
      "b-string",
      "c-slice",
      "d-slice",
      "e-slice",
    ]);
  });

  it("reads drop-ins in byte order, whatever order they were written in, and .YML/.yaml in any case", () => {
    write("config.yaml", "tls-san: [node01]\n");
    write("config.yaml.d/20-vip.YAML", "tls-san+: [vip.example]\n");
    write("config.yaml.d/10-rr.yml", "tls-san+: rr.example\n");
    write("config.yaml.d/Z-last.yaml", "tls-san+: [z]\n");
    write("config.yaml.d/a-after-Z.yaml", "tls-san+: [a]\n");
    expect(mergedK3sConfig(config)["tls-san"]).toEqual(["node01", "rr.example", "vip.example", "z", "a"]);
  });

  it("replaces without +, appends with +, keeps a lone + value as written, and appends nothing for an empty value", () => {
    write("config.yaml", "tls-san: a\ndisable: [servicelb, traefik]\nnode-label+: x=1\n");
    write("config.yaml.d/10.yaml", "tls-san+: b\ndisable: metrics-server\nempty+:\n");
    write("config.yaml.d/20.yaml", "empty+: [e]\nnode-label+: [y=2]\n");
    expect(mergedK3sConfig(config)).toEqual({
      "tls-san": ["a", "b"],
      disable: "metrics-server",
      "node-label": ["x=1", "y=2"],
      empty: ["e"],
    });
  });

  it("ignores names that are not .yaml/.yml and directories, and reads YAML 1.1 as yaml.v2 does", () => {
    write("config.yaml", "disable-network-policy: yes\n");
    write("config.yaml.d/notes.txt", "tls-san: [nope]\n");
    write("config.yaml.d/README", "tls-san: [nope]\n");
    write("config.yaml.d/10.yaml.bak", "tls-san: [nope]\n");
    mkdirSync(path.join(dir, "config.yaml.d", "sub.yaml"));
    expect(mergedK3sConfig(config)).toEqual({ "disable-network-policy": true });
  });

  it("reads drop-ins without a config.yaml, and nothing at all as an empty config", () => {
    expect(mergedK3sConfig(config)).toEqual({});
    write("config.yaml.d/50.yaml", "tls-san: [only]\n");
    expect(mergedK3sConfig(config)).toEqual({ "tls-san": ["only"] });
  });

  it("fails on a drop-in that is not YAML (k3s would not start), naming the file", () => {
    write("config.yaml", "tls-san: [a]\n");
    const bad = write("config.yaml.d/30-bad.yaml", "tls-san: [unclosed\nnode-ip: x\n");
    expect(() => mergedK3sConfig(config)).toThrow(K3sConfigError);
    expect(() => mergedK3sConfig(config)).toThrow(new RegExp(`^${bad.replaceAll(".", "\\.")}: `));
    write("config.yaml.d/30-bad.yaml", "- a list\n- is no config\n");
    expect(() => mergedK3sConfig(config)).toThrow(`${bad}: yaml: unmarshal errors: cannot unmarshal !!seq`);
  });
});

describe("what the stand-in reads from the merged config", () => {
  it("takes tls-san from every file, comma-separated values split", () => {
    write("config.yaml", "tls-san:\n- node01\n- node02\n");
    write("config.yaml.d/90-ha.yaml", "tls-san+: k3s.example,2001:db8::100\n");
    expect(readTlsSan(mergedK3sConfig(config))).toEqual(["node01", "node02", "k3s.example", "2001:db8::100"]);
  });

  it("opens anonymous /readyz when a drop-in names an AuthenticationConfiguration, and not when another replaces it", () => {
    const auth = write(
      "authentication-config.yaml",
      "apiVersion: apiserver.config.k8s.io/v1beta1\nkind: AuthenticationConfiguration\nanonymous:\n  enabled: true\n  conditions:\n  - path: /readyz\n",
    );
    write("config.yaml", "kube-apiserver-arg: [audit-log-maxage=30]\n");
    write("config.yaml.d/40-auth.yaml", `kube-apiserver-arg+:\n- authentication-config=${auth}\n`);
    expect(readAnonymousHealthPaths(mergedK3sConfig(config))).toEqual(["/readyz"]);
    write("config.yaml.d/50-replace.yaml", "kube-apiserver-arg: [audit-log-maxage=7]\n");
    expect(readAnonymousHealthPaths(mergedK3sConfig(config))).toEqual([]);
  });
});
