// Vite build of the run chart's benchmark page (scripts/bench-chart.ts): the chart's own production build, alone.

import { fileURLToPath } from "node:url";
import tailwindcss from "@tailwindcss/vite";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  base: "./",
  plugins: [react(), tailwindcss()],
  logLevel: "warn",
  // One page holding recharts and React: its size is not what this benchmark measures.
  build: {
    outDir: process.env.K3S_HA_BENCH_OUT ?? "/tmp/k3s-ha-bench-chart",
    emptyOutDir: true,
    chunkSizeWarningLimit: 2_000,
  },
});
