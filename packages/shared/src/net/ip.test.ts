import { describe, expect, it } from "vitest";
import {
  alignCidr,
  canonicalIp,
  cidrContainsCidr,
  cidrContainsIp,
  cidrFirst,
  cidrInterval,
  cidrLast,
  cidrSize,
  cidrsOverlap,
  formatCidr,
  formatIp,
  intervalContainsInterval,
  intervalContainsIp,
  intervalIntersection,
  intervalsOverlap,
  isAligned,
  parseCidr,
  parseIp,
} from "./ip.js";

const cidr = (text: string) => {
  const c = parseCidr(text);
  if (!c) throw new Error(`bad test CIDR ${text}`);
  return c;
};
const ip = (text: string) => {
  const a = parseIp(text);
  if (!a) throw new Error(`bad test address ${text}`);
  return a;
};

describe("parseIp and formatIp (RFC 5952)", () => {
  it.each([
    ["::", "::"],
    ["::1", "::1"],
    ["0:0:0:0:0:0:0:1", "::1"],
    ["1::", "1::"],
    ["2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1"],
    ["2001:DB8::A", "2001:db8::a"],
    // A single zero hextet is not compressed.
    ["2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"],
    // The longest run is compressed; on a tie, the first.
    ["2001:0:0:1:0:0:0:1", "2001:0:0:1::1"],
    ["2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"],
    // "::" standing for one hextet is accepted on input.
    ["1:2:3:4:5:6:7::", "1:2:3:4:5:6:7:0"],
    ["2001:db8:1162:79fb:ff00:0:0:100", "2001:db8:1162:79fb:ff00::100"],
    // Embedded IPv4: parsed into the low 32 bits; IPv4-mapped addresses keep the dotted form (RFC 5952 §5).
    ["::ffff:192.0.2.1", "::ffff:192.0.2.1"],
    ["::FFFF:c000:0201", "::ffff:192.0.2.1"],
    ["64:ff9b::192.0.2.33", "64:ff9b::c000:221"],
    ["192.0.2.1", "192.0.2.1"],
  ])("%s → %s", (input, expected) => {
    expect(canonicalIp(input)).toBe(expected);
  });

  it("parses the family and value", () => {
    expect(parseIp("::1")).toEqual({ family: 6, value: 1n });
    expect(parseIp("10.0.0.1")).toEqual({ family: 4, value: 0x0a000001n });
    expect(formatIp(6, (1n << 128n) - 1n)).toBe("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
  });

  it.each([
    "",
    ":",
    ":::",
    "1::2::3",
    "1:2:3:4:5:6:7:8:9",
    "1:2:3:4:5:6:7:8::",
    "1:2:3:4:5:6:7",
    "12345::",
    "g::1",
    "fe80::1%eth0",
    "::ffff:300.1.1.1",
    "::ffff:1.2.3",
    "1.2.3",
    "256.1.1.1",
    "01.2.3.4",
    "1.2.3.4.5",
    "[2001:db8::1]",
    " 2001:db8::1",
  ])("rejects %j", (input) => {
    expect(parseIp(input)).toBeNull();
    expect(canonicalIp(input)).toBeNull();
  });
});

describe("parseCidr", () => {
  it("keeps host bits as written", () => {
    expect(parseCidr("2001:db8::1/64")).toEqual({
      family: 6,
      address: (0x20010db8n << 96n) | 1n,
      prefix: 64,
    });
    expect(formatCidr(cidr("2001:DB8:0::/32"))).toBe("2001:db8::/32");
  });

  it.each([
    "2001:db8::",
    "2001:db8::/129",
    "2001:db8::/064",
    "2001:db8::/",
    "/64",
    "10.0.0.0/33",
    "2001:db8::/6 4",
  ])("rejects %j", (input) => {
    expect(parseCidr(input)).toBeNull();
  });

  it("accepts the extremes", () => {
    expect(parseCidr("::/0")?.prefix).toBe(0);
    expect(parseCidr("::1/128")?.prefix).toBe(128);
  });
});

describe("CIDR arithmetic", () => {
  it("gives first, last and size", () => {
    const c = cidr("2001:db8:1162:79fb:ff00::/112");
    expect(formatIp(6, cidrFirst(c))).toBe("2001:db8:1162:79fb:ff00::");
    expect(formatIp(6, cidrLast(c))).toBe("2001:db8:1162:79fb:ff00::ffff");
    expect(cidrSize(c)).toBe(65536n);
    expect(cidrSize(cidr("::/0"))).toBe(1n << 128n);
  });

  it("checks alignment and aligns", () => {
    expect(isAligned(cidr("2001:db8::/64"))).toBe(true);
    expect(isAligned(cidr("2001:db8::1/64"))).toBe(false);
    expect(isAligned(cidr("2001:db8::1/128"))).toBe(true);
    expect(isAligned(cidr("::/0"))).toBe(true);
    expect(formatCidr(alignCidr(cidr("2001:db8::1/64")))).toBe("2001:db8::/64");
    expect(formatCidr(alignCidr(cidr("2001:db8:1162:79fb:ff00::10/112")))).toBe(
      "2001:db8:1162:79fb:ff00::/112",
    );
    expect(formatCidr(alignCidr(cidr("10.42.1.7/16")))).toBe("10.42.0.0/16");
  });

  it("tests containment of addresses", () => {
    const services = cidr("2001:db8:1162:79fb:ff00::/112");
    expect(cidrContainsIp(services, ip("2001:db8:1162:79fb:ff00::100"))).toBe(true);
    expect(cidrContainsIp(services, ip("2001:db8:1162:79fb:ff00::ffff"))).toBe(true);
    expect(cidrContainsIp(services, ip("2001:db8:1162:79fb:ff01::"))).toBe(false);
    // Host bits in the CIDR do not move the range.
    expect(cidrContainsIp(cidr("2001:db8::1/64"), ip("2001:db8::ffff"))).toBe(true);
    // Families never mix.
    expect(cidrContainsIp(cidr("::/0"), ip("10.0.0.1"))).toBe(false);
  });

  it("tests containment and overlap of ranges", () => {
    const prefix = cidr("2001:db8:1162:79fb::/64");
    const services = cidr("2001:db8:1162:79fb:ff00::/112");
    const lb = cidr("2001:db8:1162:79fb:ff01::/112");
    expect(cidrContainsCidr(prefix, services)).toBe(true);
    expect(cidrContainsCidr(services, prefix)).toBe(false);
    expect(cidrContainsCidr(services, services)).toBe(true);
    expect(cidrsOverlap(services, lb)).toBe(false);
    expect(cidrsOverlap(prefix, lb)).toBe(true);
    expect(cidrsOverlap(cidr("2001:db8:1162:79fb:ff00::/79"), lb)).toBe(true);
    expect(cidrsOverlap(cidr("::/0"), cidr("0.0.0.0/0"))).toBe(false);
  });

  it("works on intervals such as a host range", () => {
    const hosts = {
      family: 6 as const,
      first: ip("2001:db8:1162:79fb::").value,
      last: ip("2001:db8:1162:79fb:ffcb:ffff:ffff:ffff").value,
    };
    expect(intervalContainsInterval(hosts, cidrInterval(cidr("2001:db8:1162:79fb:ff00::/112")))).toBe(true);
    expect(intervalContainsInterval(hosts, cidrInterval(cidr("2001:db8:1162:79fb:ffcc::/112")))).toBe(false);
    expect(intervalsOverlap(hosts, cidrInterval(cidr("2001:db8:1162:79fb:ffcb:ffff:ffff:0/112")))).toBe(true);
    expect(intervalsOverlap(hosts, cidrInterval(cidr("2001:db8:1162:79fb:ffcc::/112")))).toBe(false);
    expect(intervalContainsIp(hosts, ip("2001:db8:1162:79fb:a:b:c:1"))).toBe(true);
    expect(intervalContainsIp(hosts, ip("2001:db8:1162:79fc::"))).toBe(false);
  });
});

describe("intervalIntersection", () => {
  it("returns the shared addresses or null", () => {
    const a = cidrInterval(cidr("2001:db8::/64"));
    const b = { family: 6 as const, first: ip("2001:db8::ffff").value, last: ip("2001:db8:0:1::5").value };
    expect(intervalIntersection(a, b)).toEqual({ family: 6, first: b.first, last: a.last });
    expect(intervalIntersection(b, a)).toEqual({ family: 6, first: b.first, last: a.last });
    expect(intervalIntersection(a, cidrInterval(cidr("2001:db8:0:2::/64")))).toBeNull();
  });
});
