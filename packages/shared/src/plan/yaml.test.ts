import { describe, expect, it } from "vitest";
import { readExample } from "./lint/test-plan.js";
import { formatPlanError, type PlanError } from "./validate.js";
import { parsePlanYaml } from "./yaml.js";

function errorsOf(text: string): PlanError[] {
  const result = parsePlanYaml(text);
  if (result.ok) throw new Error("expected the plan to be rejected");
  return result.errors;
}

/** The 1-based line of the first line of `text` that contains `needle`. */
function lineOf(text: string, needle: string): number {
  const index = text.split("\n").findIndex((l) => l.includes(needle));
  if (index < 0) throw new Error(`no line contains ${needle}`);
  return index + 1;
}

describe("parsePlanYaml", () => {
  it("accepts the example plans and applies defaults", () => {
    const lab = parsePlanYaml(readExample("lab"));
    expect(lab.ok).toBe(true);
    if (lab.ok) {
      expect(lab.plan.nodes[0]?.ssh.port).toBe(22);
      expect(lab.plan.network.apiVip).toBe("2001:db8:1162:79fb:ff01::1");
    }
    expect(parsePlanYaml(readExample("design-document")).ok).toBe(true);
  });

  it("reports many errors at once, each with path, value, expectation and line", () => {
    const text = readExample("lab")
      .replace("apiVip: 2001:db8:1162:79fb:ff01::1", "apiVip: 2001:db8::zz")
      .replace('address: "2001:db8:1162:79fb::12"', 'address: "2001:db8:1162:79fb::12::"')
      .replace("platform: linux-frr", "platform: cisco")
      .replace("port: 5353", "port: 70000");
    const errors = errorsOf(text);
    const byPath = new Map(errors.map((e) => [e.path, e]));
    expect([...byPath.keys()].sort()).toEqual([
      "bgp.router.platform",
      "dns.port",
      "network.apiVip",
      "nodes[1].address",
    ]);

    expect(byPath.get("network.apiVip")).toMatchObject({
      value: "2001:db8::zz",
      message: "expected an IP address such as 2001:db8::1",
      line: lineOf(text, "apiVip: 2001:db8::zz"),
    });
    expect(byPath.get("nodes[1].address")).toMatchObject({
      value: "2001:db8:1162:79fb::12::",
      message: "expected an IP address such as 2001:db8::1",
      line: lineOf(text, "2001:db8:1162:79fb::12::"),
    });
    expect(byPath.get("bgp.router.platform")).toMatchObject({
      value: "cisco",
      message: 'expected one of "pfsense-frr", "linux-frr"',
      line: lineOf(text, "platform: cisco"),
    });
    expect(byPath.get("dns.port")).toMatchObject({ value: 70000, line: lineOf(text, "port: 70000") });
    expect(byPath.get("dns.port")?.message).toContain("65535");

    const apiVip = byPath.get("network.apiVip");
    expect(apiVip && formatPlanError(apiVip, "lab.yaml")).toBe(
      `lab.yaml:${lineOf(text, "apiVip: 2001:db8::zz")}:11: network.apiVip: expected an IP address such as 2001:db8::1 (got "2001:db8::zz")`,
    );
  });

  it("reports a YAML syntax error with its line", () => {
    const errors = errorsOf(
      "apiVersion: k3s-ha/v1\nkind: Plan\nmetadata:\n  name: lab\nnetwork: [\n  prefix: x\n",
    );
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]?.path).toBe("(document)");
    expect(errors[0]?.message).toMatch(/^YAML: /);
    expect(errors[0]?.line).toBeGreaterThanOrEqual(5);
  });

  it("rejects a duplicate key with the line of the second one", () => {
    const errors = errorsOf("apiVersion: k3s-ha/v1\nkind: Plan\nmetadata:\n  name: a\n  name: b\n");
    expect(errors[0]).toMatchObject({ path: "(document)", line: 5 });
    expect(errors[0]?.message).toContain("unique");
  });

  it("rejects an unknown key and says secrets belong in files", () => {
    const text = readExample("lab").replace("  ttl: 60\n", "  ttl: 60\n  password: hunter2\n");
    const errors = errorsOf(text);
    expect(errors).toHaveLength(1);
    // The dns mapping's node starts at its first key, the line after "dns:".
    expect(errors[0]).toMatchObject({ path: "dns", line: lineOf(text, "dns:") + 1 });
    expect(errors[0]?.message).toContain('unknown field "password"');
    expect(errors[0]?.message).toContain("*File");
    expect(errors[0]).not.toHaveProperty("value");
  });

  it("reports a missing required field at its parent's line", () => {
    const text = readExample("lab").replace(/\n {2}vipName: .*\n/, "\n");
    const errors = errorsOf(text);
    expect(errors).toEqual([
      expect.objectContaining({
        path: "dns.vipName",
        message: "is required (expected string)",
        line: lineOf(text, "dns:") + 1,
      }),
    ]);
  });

  it("reports a wrong type with the value", () => {
    const text = readExample("lab").replace("clusterAsn: 65010", 'clusterAsn: "AS65010"');
    expect(errorsOf(text)).toEqual([
      expect.objectContaining({ path: "bgp.clusterAsn", value: "AS65010", message: "expected number" }),
    ]);
  });
});
