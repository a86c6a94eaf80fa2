// The hash in a ReplicaSet's name and in pods' pod-template-hash / controller-revision-hash labels.
import { isObject } from "../meta.js";

const SAFE_CHARS = "bcdfghjklmnpqrstvwxz2456789";

function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(",")}]`;
  if (isObject(v))
    return `{${Object.keys(v)
      .filter((k) => v[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(v[k])}`)
      .join(",")}}`;
  return JSON.stringify(v);
}

/** controller.ComputeHash's shape: FNV-32a of the template, its decimal digits through rand.SafeEncodeString. */
export function templateHash(template: unknown): string {
  let h = 0x811c9dc5;
  for (const byte of Buffer.from(canonicalJson(template))) h = Math.imul(h ^ byte, 0x01000193) >>> 0;
  return [...String(h)].map((c) => SAFE_CHARS[c.charCodeAt(0) % SAFE_CHARS.length]).join("");
}
