import { cidrInterval, type IpInterval, parseCidr, parseIp } from "@k3s-ha/shared";
import { describe, expect, it } from "vitest";
import {
  type Block,
  blockFromCidr,
  describeCount,
  describeShare,
  log2Count,
  logShare,
  packRows,
  placeAddress,
  placeInterval,
  relation,
} from "./layout";

// Values of examples/lab.yaml.
function cidr(text: string) {
  const c = parseCidr(text);
  if (!c) throw new Error(`bad CIDR ${text}`);
  return c;
}
function ip(text: string): bigint {
  const a = parseIp(text);
  if (!a) throw new Error(`bad IP ${text}`);
  return a.value;
}
const site: Block = blockFromCidr(cidr("2001:db8:1162:79fb::/64"));
const hosts: IpInterval = {
  family: 6,
  first: ip("2001:db8:1162:79fb::"),
  last: ip("2001:db8:1162:79fb:feff:ffff:ffff:ffff"),
};
const services = cidrInterval(cidr("2001:db8:1162:79fb:ff00::/112"));
const pods = cidrInterval(cidr("2001:db8:1162:79fb:ffcc::/112"));

describe("placeInterval", () => {
  it("puts the host range over the first 255/256 of the site prefix", () => {
    expect(placeInterval(site, hosts)).toEqual({
      start: 0,
      end: 0xff00 / 0x10000,
      clippedStart: false,
      clippedEnd: false,
      share: 0xff00 / 0x10000,
    });
  });

  it("puts the service /112 right after the host range with its true share 2^-48", () => {
    const p = placeInterval(site, services);
    expect(p?.start).toBe(0.99609375);
    expect(p?.share).toBe(2 ** -48);
    expect(p?.end).toBeGreaterThan(p?.start ?? 1);
  });

  it("puts the pod /112 at 0xffcc/0x10000 of the site prefix", () => {
    expect(placeInterval(site, pods)?.start).toBe(0xffcc / 0x10000);
  });

  it("fills a block that is the range itself", () => {
    expect(placeInterval(blockFromCidr(cidr("2001:db8:1162:79fb:ffcc::/112")), pods)).toMatchObject({
      start: 0,
      end: 1,
      share: 1,
    });
  });

  it("clips a range that goes on past the block and drops one that lies outside", () => {
    const serviceBlock = blockFromCidr(cidr("2001:db8:1162:79fb:ff00::/112"));
    const designHosts: IpInterval = { ...hosts, last: ip("2001:db8:1162:79fb:ffcb:ffff:ffff:ffff") };
    expect(placeInterval(serviceBlock, designHosts)).toMatchObject({
      start: 0,
      end: 1,
      clippedStart: true,
      clippedEnd: true,
    });
    expect(placeInterval(serviceBlock, pods)).toBeNull();
  });
});

describe("relation", () => {
  it("tells inside, partly and outside apart", () => {
    expect(relation(site, services)).toBe("inside");
    expect(relation(site, cidrInterval(cidr("2001:db8:1162::/48")))).toBe("partly");
    expect(relation(site, cidrInterval(cidr("2001:db8:1162:79fc::/64")))).toBe("outside");
    expect(relation(site, cidrInterval(cidr("10.43.0.0/16")))).toBe("outside");
  });
});

describe("placeAddress", () => {
  it("places the cluster DNS address 0x10 slots into the service block, in the middle of its slot", () => {
    const serviceBlock = blockFromCidr(cidr("2001:db8:1162:79fb:ff00::/112"));
    expect(placeAddress(serviceBlock, 6, ip("2001:db8:1162:79fb:ff00::10"))).toBe(16.5 / 65536);
    expect(placeAddress(serviceBlock, 6, ip("2001:db8:1162:79fb:ff01::1"))).toBeNull();
  });
});

describe("log scale", () => {
  it("gives a /112 in a /64 a quarter of the width and the site prefix all of it", () => {
    expect(log2Count(services)).toBe(16);
    expect(logShare(site, services)).toBe(0.25);
    expect(logShare(site, cidrInterval(cidr("2001:db8:1162:79fb::/64")))).toBe(1);
    expect(
      logShare(site, { family: 6, first: ip("2001:db8:1162:79fb::1"), last: ip("2001:db8:1162:79fb::1") }),
    ).toBe(0);
  });

  it("describes sizes as powers of two", () => {
    expect(describeCount(services)).toBe("65,536 (2^16)");
    expect(describeCount(cidrInterval(cidr("2001:db8:1162:79fb::/64")))).toBe("2^64");
    expect(describeCount(hosts)).toBe("≈ 2^63.99");
    // The design document's host range ends at ffcb:…: just under 2^64, never written as 2^64.00.
    expect(describeCount({ ...hosts, last: ip("2001:db8:1162:79fb:ffcb:ffff:ffff:ffff") })).toBe("≈ 2^63.99");
    expect(describeShare(2 ** -48)).toBe("2^-48");
    expect(describeShare(0.5)).toBe("50 %");
  });
});

describe("packRows", () => {
  it("stacks the router and the three nodes, which sit at the same spot of a /64", () => {
    const positions = ["::1", "::11", "::12", "::13"].map(
      (s) => placeAddress(site, 6, ip(`2001:db8:1162:79fb${s}`)) ?? 1,
    );
    expect(packRows(positions, 0.1)).toEqual([0, 1, 2, 3]);
  });

  it("keeps markers that are far apart in one row", () => {
    expect(packRows([0, 0.5, 0.99609375], 0.1)).toEqual([0, 0, 0]);
    expect(packRows([0.99609375, 0, 0.9961], 0.1)).toEqual([0, 0, 1]);
  });
});
