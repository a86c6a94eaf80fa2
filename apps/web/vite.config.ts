// Vite build of the console: React + Tailwind; /api (and its websocket) proxied to the server in development.
import tailwindcss from "@tailwindcss/vite";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";
import { precompress } from "./vite-precompress";

// The server listens here in development (`pnpm dev` starts both).
const apiTarget = "http://127.0.0.1:8080";

export default defineConfig({
  plugins: [react(), tailwindcss(), precompress()],
  server: {
    proxy: { "/api": { target: apiTarget, ws: true, changeOrigin: false } },
  },
  preview: {
    proxy: { "/api": { target: apiTarget, ws: true, changeOrigin: false } },
  },
  // Source maps are written but not referenced (hidden), and the server never serves them; K3S_HA_SOURCEMAP=1
  // references them for a development build.
  build: {
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: process.env.K3S_HA_SOURCEMAP === "1" ? true : "hidden",
    chunkSizeWarningLimit: 600,
  },
});
