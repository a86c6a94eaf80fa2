// MetalLB's manifest as shipped with the console (apps/server/manifests/, its source in SOURCE.md), or the file
// K3S_HA_METALLB_MANIFEST names (another release, an air-gapped mirror): parsed once, every document an object.
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Manifest } from "@k3s-ha/shared";
import { parseAllDocuments } from "yaml";

export const METALLB_VERSION = "v0.15.3";
const SHIPPED = `manifests/metallb/${METALLB_VERSION}/metallb-native.yaml`;

/** Beside the bundle (dist/, the container's /app/server/) or the source tree (src/services/setup/). */
function shippedFile(): string {
  const candidates = [
    new URL(`../${SHIPPED}`, import.meta.url),
    new URL(`../../../${SHIPPED}`, import.meta.url),
  ];
  for (const c of candidates) {
    const file = fileURLToPath(c);
    if (existsSync(file)) return file;
  }
  return fileURLToPath(candidates[0] as URL);
}

export interface MetalLbManifest {
  file: string;
  /** The controller image's tag, the release applied. */
  version: string;
  docs: Manifest[];
}

let cached: { file: string; manifest: MetalLbManifest } | undefined;

export function loadMetalLbManifest(
  file = process.env.K3S_HA_METALLB_MANIFEST || shippedFile(),
): MetalLbManifest {
  if (cached?.file === file) return cached.manifest;
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    throw new Error(
      `the MetalLB manifest ${file} cannot be read (${(err as NodeJS.ErrnoException).code ?? "error"})`,
    );
  }
  const docs: Manifest[] = [];
  for (const [i, doc] of parseAllDocuments(text).entries()) {
    if (doc.errors.length)
      throw new Error(`${file}: document ${i + 1} is not YAML: ${doc.errors[0]?.message}`);
    const obj = doc.toJS() as Manifest | null;
    if (!obj) continue;
    if (typeof obj.kind !== "string" || typeof obj.metadata?.name !== "string")
      throw new Error(`${file}: document ${i + 1} is not a Kubernetes object (no kind or metadata.name)`);
    // controller-gen writes `creationTimestamp: null`; the server sets it, nobody applies it.
    if (obj.metadata && (obj.metadata as Record<string, unknown>).creationTimestamp === null)
      delete (obj.metadata as Record<string, unknown>).creationTimestamp;
    docs.push(obj);
  }
  const image = JSON.stringify(
    docs.find((d) => d.kind === "Deployment" && d.metadata.name === "controller") ?? {},
  );
  const version = /quay\.io\/metallb\/controller:(v[0-9][^"]*)/.exec(image)?.[1] ?? "unknown";
  const manifest = { file, version, docs };
  cached = { file, manifest };
  return manifest;
}
