// Readable YAML of a Kubernetes object for the Cluster page's views (its own entry point, so the yaml library loads
// only with that page).
import { stringify } from "yaml";

export function objectYaml(
  apiVersion: string,
  kind: string,
  name: string,
  namespace: string | undefined,
  spec: unknown,
): string {
  return stringify(
    { apiVersion, kind, metadata: { name, ...(namespace ? { namespace } : {}) }, spec },
    { lineWidth: 0 },
  );
}
