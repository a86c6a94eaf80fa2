// Property test of the plan reader: thousands of mutated plan files never throw, hang, flood or leak a secret.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import { readExample } from "./lint/test-plan.js";
import { MAX_ECHO_CHARS, MAX_PLAN_ERRORS } from "./validate.js";
import { parsePlanYaml } from "./yaml.js";

const LAB = readExample("lab");
/** Key material an editor might paste; its body must never come back in an answer. */
const SECRET_BODY = "c2VjcmV0LWJvZHktdGhhdC1tdXN0LW5ldmVyLWxlYWstMDEyMzQ1Njc4OQ";
const SECRETS = [
  `-----BEGIN OPENSSH PRIVATE KEY-----\n${SECRET_BODY}\n-----END OPENSSH PRIVATE KEY-----\n`,
  `key "k3s-ha" {\n\talgorithm hmac-sha256;\n\tsecret "${SECRET_BODY}==";\n};\n`,
  `${SECRET_BODY}==`,
];
/** How many inputs each property tries; the closing note reports the total. */
export const RUNS = { text: 1500, tree: 1500, tokens: 1000 };

/** The one place every property checks its invariants. */
function checkAnswer(text: string): void {
  const started = performance.now();
  const result = parsePlanYaml(text); // a throw fails the property
  expect(performance.now() - started).toBeLessThan(5000);
  if (result.ok) return;
  expect(result.errors.length).toBeGreaterThan(0);
  expect(result.errors.length).toBeLessThanOrEqual(MAX_PLAN_ERRORS + 1);
  const answer = JSON.stringify(result);
  expect(answer).not.toContain(SECRET_BODY);
  expect(answer.length).toBeLessThan((MAX_PLAN_ERRORS + 1) * 1500);
  for (const e of result.errors) {
    if (typeof e.value === "string") expect(e.value.length).toBeLessThanOrEqual(MAX_ECHO_CHARS + 1);
    expect(typeof e.value === "object" && e.value !== null).toBe(false);
  }
}

const huge = fc.integer({ min: 1000, max: 200_000 }).map((n) => "x".repeat(n));
const hostileScalar = fc.oneof(
  fc.string({ unit: "binary", maxLength: 64 }),
  fc.constantFrom(...SECRETS),
  huge,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
);
const hostileValue = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: "small" }, hostileScalar, tie("array"), tie("object")),
  array: fc.array(tie("value"), { maxLength: 5 }),
  object: fc.dictionary(fc.string({ maxLength: 12 }), tie("value"), { maxKeys: 5 }),
})).value;

/** Every path into a JSON tree, for picking one to replace or delete. */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== "object") return [prefix];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return [prefix, ...entries.flatMap(([k, v]) => paths(v, [...prefix, k]))];
}

function replaceAt(tree: unknown, path: (string | number)[], replacement: unknown, remove: boolean): unknown {
  if (path.length === 0) return replacement;
  const copy = structuredClone(tree) as Record<string | number, unknown>;
  let parent = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = path.at(-1) as string | number;
  if (remove) delete parent[last];
  else parent[last] = replacement;
  return copy;
}

const TOKENS = [
  "&a ",
  "*a",
  "<<: *a",
  "- ",
  ": ",
  "{",
  "}",
  "[",
  "]",
  "!!binary ",
  "!!str ",
  "? ",
  "|",
  ">",
  "\t",
  "\n  ",
  "\u0000",
  "\ufeff",
  "\u202e",
  "%YAML 1.1\n",
  "---\n",
  "...\n",
  "'",
  '"',
  "#",
];

describe("parsePlanYaml, property-based", () => {
  it(`survives ${RUNS.text} truncated and byte-mangled copies of the lab plan`, () => {
    fc.assert(
      fc.property(
        fc.nat({ max: LAB.length }),
        fc.nat({ max: LAB.length }),
        fc.string({ unit: "binary", maxLength: 40 }),
        (cut, at, junk) => {
          checkAnswer(LAB.slice(0, cut));
          checkAnswer(`${LAB.slice(0, at)}${junk}${LAB.slice(at)}`);
        },
      ),
      { numRuns: RUNS.text },
    );
  }, 120_000);

  it(`survives ${RUNS.tree} plans with a value replaced by a wrong type, a huge scalar, a secret or a deleted key`, () => {
    const tree = parseYaml(LAB) as unknown;
    const all = paths(tree);
    fc.assert(
      fc.property(fc.nat({ max: all.length - 1 }), hostileValue, fc.boolean(), (index, value, remove) => {
        const mutated = replaceAt(tree, all[index] ?? [], value, remove);
        checkAnswer(stringifyYaml(mutated, { aliasDuplicateObjects: false }));
      }),
      { numRuns: RUNS.tree },
    );
  }, 120_000);

  it(`survives ${RUNS.tokens} plans with YAML syntax (anchors, aliases, tags, flow markers) spliced in`, () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat({ max: LAB.length }), fc.constantFrom(...TOKENS)), {
          minLength: 1,
          maxLength: 8,
        }),
        (edits) => {
          let text = LAB;
          for (const [at, token] of edits) text = `${text.slice(0, at)}${token}${text.slice(at)}`;
          checkAnswer(text);
        },
      ),
      { numRuns: RUNS.tokens },
    );
  }, 120_000);
});
