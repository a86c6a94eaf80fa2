// One Vitest run over every package: shared and server in Node, web components in happy-dom.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: [
      "packages/shared",
      "apps/server",
      "apps/server/vitest.lab.config.ts",
      "apps/web",
      "packages/lab",
    ],
  },
});
