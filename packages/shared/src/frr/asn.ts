// BGP AS numbers as FRR prints them: numbers in the default "plain" asnotation, strings with asdot/asdot+ (FRR >= 9.0).
import { z } from "zod";

const MAX = 4_294_967_295;

/** "65010", 65010, "1.10" (asdot: 1 × 65536 + 10) → 65010 / 65546; anything else fails the schema. */
export const asnSchema = z.union([z.number(), z.string()]).transform((v, ctx) => {
  const n = asnValue(v);
  if (n === undefined) {
    ctx.addIssue({ code: "custom", message: `not an AS number: ${JSON.stringify(v)}` });
    return z.NEVER;
  }
  return n;
});

export function asnValue(v: number | string): number | undefined {
  if (typeof v === "number") return Number.isInteger(v) && v >= 0 && v <= MAX ? v : undefined;
  const dot = /^(\d{1,5})\.(\d{1,5})$/.exec(v.trim());
  if (dot) {
    const high = Number(dot[1]);
    const low = Number(dot[2]);
    return high <= 65_535 && low <= 65_535 ? high * 65_536 + low : undefined;
  }
  if (!/^\d{1,10}$/.test(v.trim())) return undefined;
  const n = Number(v);
  return n <= MAX ? n : undefined;
}
