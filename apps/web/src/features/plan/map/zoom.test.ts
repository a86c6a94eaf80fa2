import { cidrInterval, type IpInterval, parseCidr, parseIp } from "@k3s-ha/shared";
import { describe, expect, it } from "vitest";
import { type Block, blockFromCidr } from "./layout";
import { blockLabel, cellDigit, cellsOf, fitBlock, smallestBlockContaining, zoomTrail } from "./zoom";

// Values of examples/lab.yaml.
function block(text: string): Block {
  const c = parseCidr(text);
  if (!c) throw new Error(`bad CIDR ${text}`);
  return blockFromCidr(c);
}
function range(text: string): IpInterval {
  const c = parseCidr(text);
  if (!c) throw new Error(`bad CIDR ${text}`);
  return cidrInterval(c);
}
function address(text: string): IpInterval {
  const a = parseIp(text);
  if (!a) throw new Error(`bad IP ${text}`);
  return { family: a.family, first: a.value, last: a.value };
}
const site = block("2001:db8:1162:79fb::/64");
const hosts: IpInterval = {
  family: 6,
  first: address("2001:db8:1162:79fb::").first,
  last: address("2001:db8:1162:79fb:feff:ffff:ffff:ffff").first,
};
const services = range("2001:db8:1162:79fb:ff00::/112");
const loadBalancers = range("2001:db8:1162:79fb:ff01::/112");
const pods = range("2001:db8:1162:79fb:ffcc::/112");

describe("cells", () => {
  it("splits a /64 into 16 cells of /68, one per hex digit", () => {
    const cells = cellsOf(site);
    expect(cells).toHaveLength(16);
    expect(cells.map(cellDigit).join("")).toBe("0123456789abcdef");
    expect(blockLabel(cells[15] as Block)).toBe("2001:db8:1162:79fb:f000::/68");
  });

  it("splits a block that is not on a hex-digit boundary up to the next one", () => {
    const cells = cellsOf(block("2001:db8:1162:79f8::/62"));
    expect(cells.map(blockLabel)).toEqual([
      "2001:db8:1162:79f8::/64",
      "2001:db8:1162:79f9::/64",
      "2001:db8:1162:79fa::/64",
      "2001:db8:1162:79fb::/64",
    ]);
    expect(cells.map(cellDigit).join("")).toBe("89ab");
  });
});

describe("smallestBlockContaining", () => {
  it("is the range itself for a /112", () => {
    expect(blockLabel(smallestBlockContaining(pods))).toBe("2001:db8:1162:79fb:ffcc::/112");
  });

  it("is the /64 for the host range", () => {
    expect(blockLabel(smallestBlockContaining(hosts))).toBe("2001:db8:1162:79fb::/64");
  });

  it("rounds to a hex digit: services and LoadBalancer IPs share ff00::/76", () => {
    expect(
      blockLabel(smallestBlockContaining({ family: 6, first: services.first, last: loadBalancers.last })),
    ).toBe("2001:db8:1162:79fb:ff00::/76");
  });

  it("stops at 256 addresses for a single address", () => {
    expect(blockLabel(smallestBlockContaining(address("2001:db8:1162:79fb:ff01::1")))).toBe(
      "2001:db8:1162:79fb:ff01::/120",
    );
  });
});

describe("fitBlock", () => {
  it("fits the API VIP and the service range of the design document into the service /112", () => {
    expect(fitBlock(site, [services, address("2001:db8:1162:79fb:ff00::100")])).toEqual(
      block("2001:db8:1162:79fb:ff00::/112"),
    );
  });

  it("falls back to the root when the items span it, and to null when none is inside", () => {
    expect(fitBlock(site, [hosts, pods])).toEqual(site);
    expect(fitBlock(site, [range("2001:db8:1162:79fc::/112")])).toBeNull();
  });
});

describe("zoomTrail", () => {
  const ff00 = block("2001:db8:1162:79fb:ff00::/72");
  it("appends a block inside the current one", () => {
    expect(zoomTrail([site], ff00)).toEqual([site, ff00]);
    expect(zoomTrail([site, ff00], block("2001:db8:1162:79fb:ffcc::/112"))).toHaveLength(3);
  });

  it("goes back to an ancestor and replaces a sibling branch", () => {
    const servicesBlock = block("2001:db8:1162:79fb:ff00::/112");
    expect(zoomTrail([site, ff00, servicesBlock], ff00)).toEqual([site, ff00]);
    expect(zoomTrail([site, ff00, servicesBlock], block("2001:db8:1162:79fb::/120"))).toEqual([
      site,
      block("2001:db8:1162:79fb::/120"),
    ]);
  });
});
