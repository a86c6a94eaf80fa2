// Calico versions with known traps for an API VIP: which releases advertise an eTP=Local LoadBalancer /128 from nodes
// whose endpoint is not ready (FACTS: confd's routes.go in v3.31.0-v3.31.6 and v3.32.1; fixed in v3.31.7 and v3.32.2).

export interface CalicoVersionWarning {
  version: string;
  message: string;
}

/** `v3.31.5`, `3.32.1`, `v3.31.7-0.dev` → [3, 31, 5]; undefined when it is not a version. */
function versionParts(version: string): [number, number, number] | undefined {
  const m = /^v?(\d+)\.(\d+)\.(\d+)/.exec(version.trim());
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

/** Whether this Calico advertises eTP=Local /128s regardless of endpoint readiness. */
export function ignoresEndpointReadiness(version: string): boolean {
  const v = versionParts(version);
  if (!v) return false;
  const [major, minor, patch] = v;
  return major === 3 && ((minor === 31 && patch <= 6) || (minor === 32 && patch === 1));
}

/** The Overview's warning for a Calico version with the readiness regression, or undefined. */
export function calicoVersionWarning(version: string | undefined): CalicoVersionWarning | undefined {
  if (!version || !ignoresEndpointReadiness(version)) return undefined;
  const fixed = version.includes("3.32") ? "v3.32.2" : "v3.31.7";
  return {
    version,
    message:
      `Calico ${version} advertises the API VIP from every node that has an API endpoint, ready or not: an ` +
      `apiserver that dies while BGP stays up keeps attracting its share of VIP connections. Upgrade to ${fixed} ` +
      "or later (readiness is checked again there), or rely on the DNS option until then.",
  };
}
