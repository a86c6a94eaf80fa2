import { createHmac, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { knownHostKeys } from "./known-hosts.js";

const ED = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB7XKPrMJ6d3IsMfWej5GlaSymaaGqhlT0pzanLAGQc+";
const ED2 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJONXFaS1ma5vxZwZLxgdG7Oqp7N5yNQVK3DxxqLUW79";
const hashed = (name: string) => {
  const salt = randomBytes(20);
  return `|1|${salt.toString("base64")}|${createHmac("sha1", salt).update(name).digest("base64")}`;
};

describe("knownHostKeys", () => {
  it("finds plain, comma-listed and hashed entries, with [host]:port for other ports", () => {
    const text = [
      "# the router",
      `2001:db8::1,pfsense.lan ${ED}`,
      `${hashed("2001:db8::11")} ${ED2}`,
      `[2001:db8::12]:2222 ${ED}`,
      `2001:db8::12 ${ED2}`,
      "",
    ].join("\n");
    expect(knownHostKeys(text, "2001:db8::1", 22).keys).toEqual([ED]);
    expect(knownHostKeys(text, "2001:db8::11", 22).keys).toEqual([ED2]);
    expect(knownHostKeys(text, "2001:db8::12", 2222).keys).toEqual([ED]);
    expect(knownHostKeys(text, "2001:db8::12", 22).keys).toEqual([ED2]);
    expect(knownHostKeys(text, "2001:db8::99", 22).keys).toEqual([]);
  });

  it("keeps @revoked keys apart, ignores @cert-authority lines and honours negated patterns", () => {
    const text = [
      `@revoked 2001:db8::1 ${ED2}`,
      `@cert-authority *.lan ${ED2}`,
      `2001:db8::1,!2001:db8::2 ${ED}`,
      "garbage",
    ].join("\n");
    expect(knownHostKeys(text, "2001:db8::1", 22)).toEqual({ keys: [ED], revoked: [ED2] });
    expect(knownHostKeys(text, "2001:db8::2", 22).keys).toEqual([]);
  });
});
