import { describe, expect, it } from "vitest";
import { designDocumentResponse } from "../test-plan";
import { podBlocks } from "./plan-settings";

const plan = () => {
  const p = designDocumentResponse().plan;
  if (!p) throw new Error("the fixture has a plan");
  return structuredClone(p);
};

describe("podBlocks", () => {
  it("counts the /122 blocks of a /112 pod range", () => {
    expect(podBlocks(plan())).toEqual({ blocks: 1024n, perBlock: 64n });
  });

  it("gives nothing for a block size shorter than the pod range", () => {
    const p = plan();
    p.network.podBlockSize = 100;
    expect(podBlocks(p)).toBeNull();
  });
});
