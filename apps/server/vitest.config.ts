import { defineConfig } from "vitest/config";

// `*.lab.test.ts` need a lab of real daemons (root): they run with the lab's tests (vitest.lab.config.ts).
export default defineConfig({
  test: {
    name: "server",
    environment: "node",
    include: ["src/**/*.test.ts"],
    exclude: ["src/**/*.lab.test.ts"],
  },
});
