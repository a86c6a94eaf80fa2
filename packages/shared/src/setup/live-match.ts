// Whether what is live already holds what a step writes, and the live value seen through the written one's shape:
// server-side apply owns only the fields written, so the API's defaults and other managers' fields never count.

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** True when every field of `wanted` is in `live` with the same value (lists element by element, same length). */
export function holds(live: unknown, wanted: unknown): boolean {
  if (isRecord(wanted)) {
    if (!isRecord(live)) return false;
    return Object.entries(wanted).every(([k, v]) => holds(live[k], v));
  }
  if (Array.isArray(wanted)) {
    if (!Array.isArray(live) || live.length !== wanted.length) return false;
    return wanted.every((v, i) => holds(live[i], v));
  }
  // A null written asks for nothing to be there.
  if (wanted === null) return live === undefined || live === null;
  return live === wanted;
}

/**
 * `live` cut down to the fields `wanted` names (list elements to their written fields; elements only live has are
 * kept whole), so that a diff of the two shows only what the write changes.
 */
export function liveThrough(live: unknown, wanted: unknown): unknown {
  if (isRecord(wanted)) {
    if (!isRecord(live)) return live;
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(wanted)) if (live[k] !== undefined) out[k] = liveThrough(live[k], wanted[k]);
    return out;
  }
  if (Array.isArray(wanted)) {
    if (!Array.isArray(live)) return live;
    return live.map((v, i) => (i < wanted.length ? liveThrough(v, wanted[i]) : v));
  }
  return live;
}
