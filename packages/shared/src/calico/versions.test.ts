import { describe, expect, it } from "vitest";
import { calicoVersionWarning, ignoresEndpointReadiness } from "./versions.js";

describe("Calico's eTP=Local readiness regression", () => {
  it("covers v3.31.0-v3.31.6 and v3.32.1 only", () => {
    const affected = ["v3.31.0", "v3.31.3", "v3.31.6", "v3.32.1", "3.31.2"];
    const fine = ["v3.31.7", "v3.31.8", "v3.32.0", "v3.32.2", "v3.30.4", "v3.29.0", "v4.0.0", "master", ""];
    expect(affected.filter(ignoresEndpointReadiness)).toEqual(affected);
    expect(fine.filter(ignoresEndpointReadiness)).toEqual([]);
  });

  it("names the version and the fixed release in the warning", () => {
    expect(calicoVersionWarning("v3.32.1")?.message).toContain("Upgrade to v3.32.2");
    expect(calicoVersionWarning("v3.31.3")).toMatchObject({ version: "v3.31.3" });
    expect(calicoVersionWarning("v3.31.3")?.message).toContain("Upgrade to v3.31.7");
    expect(calicoVersionWarning("v3.31.7")).toBeUndefined();
    expect(calicoVersionWarning(undefined)).toBeUndefined();
  });
});
