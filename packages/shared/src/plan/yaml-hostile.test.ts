// The plan reader against hostile and careless files: alias bombs, legitimate anchors, secrets, error floods.
import { describe, expect, it } from "vitest";
import { readExample } from "./lint/test-plan.js";
import { MAX_PLAN_ERRORS } from "./validate.js";
import { MAX_EXPANDED_VALUES, parsePlanYaml } from "./yaml.js";

/** The lab plan with its three nodes replaced by `count` nodes that all alias one anchored ssh block. */
function planWithAnchoredNodes(count: number): string {
  const lab = readExample("lab");
  const head = lab.slice(0, lab.indexOf("\nnodes:\n") + 1);
  const tail = lab.slice(lab.indexOf("\n", lab.lastIndexOf("  - { name: node03")) + 1);
  const hostKey = lab.match(/hostKey: ("ssh-ed25519 [^"]+")/)?.[1];
  const lines = ["nodes:"];
  for (let i = 0; i < count; i++) {
    const ssh = i === 0 ? `&ssh { user: root, hostKey: ${hostKey}, privateKeyFile: ./id_ed25519 }` : "*ssh";
    lines.push(
      `  - { name: node${String(i + 1).padStart(3, "0")}, address: "2001:db8:1162:79fb::1:${(i + 1).toString(16)}", role: agent, ssh: ${ssh} }`,
    );
  }
  return `${head}${lines.join("\n")}\n${tail}`;
}

/** A billion-laughs document: each level aliases the previous one ten times. */
function aliasBomb(levels: number): string {
  const lines = ['a0: &a0 ["lol"]'];
  for (let i = 1; i <= levels; i++) {
    lines.push(`a${i}: &a${i} [${Array.from({ length: 10 }, () => `*a${i - 1}`).join(", ")}]`);
  }
  return `${lines.join("\n")}\n`;
}

describe("parsePlanYaml against hostile files", () => {
  it("loads a plan whose 500 nodes alias one anchored ssh block", () => {
    const result = parsePlanYaml(planWithAnchoredNodes(500));
    if (!result.ok) throw new Error(JSON.stringify(result.errors.slice(0, 3)));
    expect(result.plan.nodes).toHaveLength(500);
    expect(result.plan.nodes[499]?.ssh.user).toBe("root");
    expect(result.plan.nodes[499]?.ssh.hostKey).toBe(result.plan.nodes[0]?.ssh.hostKey);
  });

  it("accepts merge keys as operators write them", () => {
    const text = readExample("lab").replace(
      / {2}- \{ name: node02, address: "([^"]+)", role: server, ssh: \{[^}]+\} \}/,
      '  - { <<: { role: server }, name: node02, address: "$1", ssh: { user: root, hostKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB7XKPrMJ6d3IsMfWej5GlaSymaaGqhlT0pzanLAGQc+", privateKeyFile: ./id_ed25519 } }',
    );
    const result = parsePlanYaml(text);
    expect(result.ok && result.plan.nodes[1]?.role).toBe("server");
  });

  it("refuses an alias bomb by what it expands to, quickly, without throwing", () => {
    const text = aliasBomb(9); // about 550 bytes that expand to 10^9 strings
    expect(text.length).toBeLessThan(600);
    const started = performance.now();
    const result = parsePlanYaml(text);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]?.message).toContain(`more than ${MAX_EXPANDED_VALUES} values`);
    expect(JSON.stringify(result).length).toBeLessThan(1000);
  });

  it("refuses an alias bomb hidden inside an otherwise valid plan", () => {
    const text = `${readExample("lab")}\nbomb: ${aliasBomb(6).replaceAll("\n", "\n  ").replace(/^/, "\n  ")}`;
    const result = parsePlanYaml(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]?.message).toContain("expands to more than");
  });

  it("refuses an alias that refers to the node containing it", () => {
    const result = parsePlanYaml("a: &x [1, *x]\n");
    expect(result.ok).toBe(false);
  });

  it("never echoes a key file given as the plan", () => {
    const key = [
      "-----BEGIN OPENSSH PRIVATE KEY-----",
      "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW",
      "QyNTUxOQAAACBfakefakefakefakefakefakefakefakefakefakefakefakeAAAAJgAAAA",
      "-----END OPENSSH PRIVATE KEY-----",
    ].join("\n");
    const bindKey =
      'key "k3s-ha" {\n\talgorithm hmac-sha256;\n\tsecret "c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0cw==";\n};\n';
    for (const text of [key, bindKey]) {
      const result = parsePlanYaml(text);
      expect(result.ok).toBe(false);
      const echoed = JSON.stringify(result);
      expect(echoed).not.toContain("b3BlbnNzaC1rZXkt");
      expect(echoed).not.toContain("c2VjcmV0c2Vj");
    }
  });

  it("never echoes a secret pasted into a field that names one, and caps every echoed value", () => {
    const secret = "c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0cw==";
    const text = readExample("lab")
      .replace(/secretFile: .*/, `secretFile: { algorithm: hmac-sha256, secret: "${secret}" }`)
      .replace("name: lab", `name: "${"x".repeat(5000)}"`);
    const result = parsePlanYaml(text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const echoed = JSON.stringify(result.errors);
    expect(echoed).not.toContain(secret);
    for (const e of result.errors) {
      if (typeof e.value === "string") expect(e.value.length).toBeLessThanOrEqual(201);
      expect(e.message.length).toBeLessThanOrEqual(401);
    }
  });

  it("escapes control and bidi characters in echoed values", () => {
    const text = readExample("lab").replace(
      "apiVip: 2001:db8:1162:79fb:ff01::1",
      'apiVip: "2001:db8::\\u202e1\\u0007"',
    );
    const result = parsePlanYaml(text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const vip = result.errors.find((e) => e.path === "network.apiVip");
    expect(vip?.value).toBe("2001:db8::\\u202e1\\u0007");
  });

  it("returns at most MAX_PLAN_ERRORS errors and counts the rest", () => {
    const text = `${readExample("lab")}${Array.from({ length: 500 }, (_, i) => `extra${i}: 1`).join("\n")}\n`;
    const many = readExample("lab").replace(
      /\nnodes:\n[\s\S]*?\n(?=\w)/,
      `\nnodes:\n${Array.from({ length: 300 }, (_, i) => `  - { name: n${i}, address: nope }`).join("\n")}\n`,
    );
    for (const t of [text, many]) {
      const result = parsePlanYaml(t);
      expect(result.ok).toBe(false);
      if (result.ok) continue;
      expect(result.errors.length).toBeLessThanOrEqual(MAX_PLAN_ERRORS + 1);
    }
    const result = parsePlanYaml(many);
    if (!result.ok) expect(result.errors.at(-1)?.message).toMatch(/^\d+ more error\(s\) not shown/);
  });
});
