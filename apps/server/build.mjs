// Bundles the server and CLI into dist/cli.js (dependencies included) and the probe worker into dist/probe-worker.js,
// for production and the container.
import { build } from "esbuild";

await build({
  // The probe worker thread is its own file beside the CLI (engine.ts starts dist/probe-worker.js).
  entryPoints: { cli: "src/cli.ts", "probe-worker": "src/services/failover/probe/worker.ts" },
  outdir: "dist",
  bundle: true,
  platform: "node",
  target: "node22",
  format: "esm",
  sourcemap: true,
  minifySyntax: true,
  legalComments: "linked",
  // Some dependencies are CommonJS and use require() and __dirname (ssh2's agent); give the ESM bundle both.
  banner: {
    js: [
      "import { createRequire as __createRequire } from 'node:module';",
      "import { fileURLToPath as __fileURLToPath } from 'node:url';",
      "import { dirname as __dirnameOf } from 'node:path';",
      "const require = __createRequire(import.meta.url);",
      "const __filename = __fileURLToPath(import.meta.url);",
      "const __dirname = __dirnameOf(__filename);",
    ].join(" "),
  },
  // ssh2 loads cpu-features (a native addon) only if it can, inside try/catch: leave it out, ssh2 falls back to JS.
  external: ["cpu-features"],
  logLevel: "warning",
});
