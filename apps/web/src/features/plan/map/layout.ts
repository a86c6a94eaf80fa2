// Where things sit on the allocation map: aligned blocks, positions of intervals in [0,1], sizes on a log scale.
import { type Cidr, cidrFirst, familyBits, type IpFamily, type IpInterval } from "@k3s-ha/shared";

/** An aligned block of addresses (a CIDR with no host bits set): what the map shows at one zoom level. */
export interface Block {
  family: IpFamily;
  first: bigint;
  prefix: number;
}

export function blockFromCidr(c: Cidr): Block {
  return { family: c.family, first: cidrFirst(c), prefix: c.prefix };
}

export function blockCidr(b: Block): Cidr {
  return { family: b.family, address: b.first, prefix: b.prefix };
}

export function hostBits(b: Block): number {
  return familyBits(b.family) - b.prefix;
}

export function blockSize(b: Block): bigint {
  return 1n << BigInt(hostBits(b));
}

export function blockLast(b: Block): bigint {
  return b.first + blockSize(b) - 1n;
}

export function blockInterval(b: Block): IpInterval {
  return { family: b.family, first: b.first, last: blockLast(b) };
}

export function sameBlock(a: Block, b: Block): boolean {
  return a.family === b.family && a.first === b.first && a.prefix === b.prefix;
}

export function blockContainsInterval(b: Block, iv: IpInterval): boolean {
  return b.family === iv.family && iv.first >= b.first && iv.last <= blockLast(b);
}

export function blockContainsBlock(outer: Block, inner: Block): boolean {
  return outer.prefix <= inner.prefix && blockContainsInterval(outer, blockInterval(inner));
}

// Math.min and Math.max do not take bigints.
export const lower = (a: bigint, b: bigint): bigint => (a < b ? a : b);
export const higher = (a: bigint, b: bigint): bigint => (a > b ? a : b);

/** The addresses two intervals share, or null when they share none. */
export function intersectIntervals(a: IpInterval, b: IpInterval): IpInterval | null {
  if (a.family !== b.family || a.last < b.first || b.last < a.first) return null;
  return { family: a.family, first: higher(a.first, b.first), last: lower(a.last, b.last) };
}

/** Where an interval lies relative to a block. */
export function relation(b: Block, iv: IpInterval): "inside" | "partly" | "outside" {
  if (b.family !== iv.family || iv.last < b.first || iv.first > blockLast(b)) return "outside";
  return blockContainsInterval(b, iv) ? "inside" : "partly";
}

/** Offset of an address from the start of a block, as a share of the block: 0 at the first address, 1 past the last. */
export function fractionOf(b: Block, value: bigint): number {
  return Number(value - b.first) / Number(blockSize(b));
}

export interface Placement {
  /** Left edge in [0,1]. */
  start: number;
  /** Right edge in [0,1]. */
  end: number;
  /** The interval goes on before the block starts / after it ends. */
  clippedStart: boolean;
  clippedEnd: boolean;
  /** True share of the block covered (exact for power-of-two sizes, unlike `end - start`). */
  share: number;
}

/** The visible part of an interval in a block, or null when it lies wholly outside. */
export function placeInterval(b: Block, iv: IpInterval): Placement | null {
  const part = intersectIntervals(iv, blockInterval(b));
  if (!part) return null;
  return {
    start: fractionOf(b, part.first),
    end: fractionOf(b, part.last + 1n),
    clippedStart: iv.first < part.first,
    clippedEnd: iv.last > part.last,
    share: Number(intervalCount(part)) / Number(blockSize(b)),
  };
}

/** Position of a single address (the middle of its slot, which matters once a block has few addresses). */
export function placeAddress(b: Block, family: IpFamily, value: bigint): number | null {
  if (family !== b.family || value < b.first || value > blockLast(b)) return null;
  return (Number(value - b.first) + 0.5) / Number(blockSize(b));
}

/** Number of addresses in an interval. */
export function intervalCount(iv: IpInterval): bigint {
  return iv.last - iv.first + 1n;
}

/** log2 of the number of addresses: 16 for a /112 in IPv6, 0 for one address, fractional for odd-sized ranges. */
export function log2Count(iv: IpInterval): number {
  return Math.log2(Number(intervalCount(iv)));
}

/** Size on a log scale against a block: 0 for one address, 1 for the whole block (a /112 in a /64 is 0.25). */
export function logShare(b: Block, iv: IpInterval): number {
  const bits = hostBits(b);
  if (bits === 0) return 1;
  return Math.min(1, Math.max(0, log2Count(iv) / bits));
}

/** "2^16" for powers of two, "≈ 2^63.99" otherwise (truncated, never rounded up to the next power); small counts written out. */
export function describeCount(iv: IpInterval): string {
  const count = intervalCount(iv);
  const exponent = log2Count(iv);
  const isPowerOfTwo = (count & (count - 1n)) === 0n;
  const power = isPowerOfTwo
    ? `2^${count.toString(2).length - 1}`
    : `≈ 2^${(Math.floor(exponent * 100) / 100).toFixed(2)}`;
  return count <= 65_536n ? `${count.toLocaleString("en-US")} (${power})` : power;
}

/** A share such as 2^-48 written as a power of two, for "true width" hints. */
export function describeShare(share: number): string {
  if (share >= 0.01) return `${(share * 100).toFixed(share >= 0.1 ? 0 : 1)} %`;
  const exponent = Math.log2(share);
  return Number.isInteger(exponent) ? `2^${exponent}` : `≈ 2^${exponent.toFixed(1)}`;
}

/**
 * Rows for markers on one line: each goes in the first row where it keeps `gap` from the previous marker,
 * so labels of addresses that sit at the same spot are stacked instead of drawn over each other.
 */
export function packRows(positions: readonly number[], gap: number): number[] {
  const order = positions
    .map((position, index) => ({ position, index }))
    .sort((a, b) => a.position - b.position);
  const rowEnds: number[] = [];
  const rows = new Array<number>(positions.length).fill(0);
  for (const { position, index } of order) {
    let row = rowEnds.findIndex((end) => position - end >= gap);
    if (row < 0) row = rowEnds.push(position) - 1;
    else rowEnds[row] = position;
    rows[index] = row;
  }
  return rows;
}
