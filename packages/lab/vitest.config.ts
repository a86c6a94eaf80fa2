// The lab's tests: unit tests, and tests that bring up a lab of real daemons (root only; minutes, not seconds).
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "lab",
    environment: "node",
    include: ["src/**/*.test.ts"],
    // Each lab test file brings up its own lab; one at a time keeps the failover timings honest on 2 CPUs.
    fileParallelism: false,
    // …and after the other projects' tests, so their load does not skew BFD and timer drills.
    sequence: { groupOrder: 1 },
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
