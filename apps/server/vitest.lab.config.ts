// The server's tests against a lab of real daemons (root): collectors reading a real FRR, BIRD and sshd. One file
// at a time and after the unit tests, like the lab's own tests.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "server-lab",
    environment: "node",
    include: ["src/**/*.lab.test.ts"],
    fileParallelism: false,
    sequence: { groupOrder: 1 },
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
