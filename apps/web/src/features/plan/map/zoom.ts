// Zoom levels of the allocation map: nibble-aligned blocks (one hex digit per level), the cells of a block,
// the block to show for a range or an address, and the breadcrumb trail.
import { familyBits, formatCidr, type IpInterval } from "@k3s-ha/shared";
import {
  type Block,
  blockCidr,
  blockContainsBlock,
  blockInterval,
  higher,
  intersectIntervals,
  lower,
  sameBlock,
} from "./layout";

const NIBBLE = 4;

/** The deepest view: 256 addresses (IPv6 /120). Deeper shows no more than the selection details. */
export function deepestPrefix(b: Pick<Block, "family">): number {
  return familyBits(b.family) - 8;
}

/** The prefix of a block's cells: the next hex-digit boundary, so a /64 has 16 cells of /68 and a /62 has 4 of /64. */
export function cellPrefix(b: Block): number {
  return Math.min(familyBits(b.family), (Math.floor(b.prefix / NIBBLE) + 1) * NIBBLE);
}

export function cellsOf(b: Block): Block[] {
  const bits = familyBits(b.family);
  if (b.prefix >= bits) return [];
  const prefix = cellPrefix(b);
  const step = 1n << BigInt(bits - prefix);
  return Array.from({ length: 2 ** (prefix - b.prefix) }, (_, i) => ({
    family: b.family,
    first: b.first + BigInt(i) * step,
    prefix,
  }));
}

/** The hex digit a cell stands for: the last nibble of its prefix. */
export function cellDigit(cell: Block): string {
  const shift = BigInt(familyBits(cell.family) - cell.prefix);
  return Number((cell.first >> shift) & 0xfn).toString(16);
}

/** The smallest nibble-aligned block containing an interval, at most as deep as `deepestPrefix`. */
export function smallestBlockContaining(iv: IpInterval): Block {
  const bits = familyBits(iv.family);
  const varying = iv.first === iv.last ? 0 : (iv.first ^ iv.last).toString(2).length;
  const exact = bits - varying;
  const prefix = Math.min(Math.floor(exact / NIBBLE) * NIBBLE, deepestPrefix(iv));
  const shift = BigInt(bits - prefix);
  return { family: iv.family, first: (iv.first >> shift) << shift, prefix };
}

function hull(intervals: readonly IpInterval[]): IpInterval | null {
  const [head, ...rest] = intervals;
  if (!head) return null;
  return rest.reduce(
    (acc, iv) => ({
      family: acc.family,
      first: lower(iv.first, acc.first),
      last: higher(iv.last, acc.last),
    }),
    head,
  );
}

/** The smallest block within `root` that shows all of the intervals (their parts inside root), or null if none is. */
export function fitBlock(root: Block, intervals: readonly IpInterval[]): Block | null {
  const around = hull(intervals.flatMap((iv) => intersectIntervals(iv, blockInterval(root)) ?? []));
  if (!around) return null;
  const target = smallestBlockContaining(around);
  return blockContainsBlock(root, target) ? target : root;
}

/** The breadcrumb after zooming to `target`: the blocks of the trail that contain it, then the target itself. */
export function zoomTrail(trail: readonly Block[], target: Block): Block[] {
  const kept = trail.filter((b) => blockContainsBlock(b, target));
  const last = kept.at(-1);
  if (last && sameBlock(last, target)) return kept;
  return [...kept, target];
}

export function blockLabel(b: Block): string {
  return formatCidr(blockCidr(b));
}
