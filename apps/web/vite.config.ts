/**
 * Dashboard build and dev server. The dev server proxies the API paths to the API on :3000 and keeps the
 * browser's Host header (`changeOrigin: false`): the API reads the tenant from the subdomain, and its CSRF check
 * compares Origin with Host. Routes are split by `lazyRouteComponent` in src/router.tsx (one chunk per screen);
 * `build.manifest` lets scripts/report-size.mjs measure what the first page load costs.
 */
import tailwindcss from "@tailwindcss/vite";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const api = process.env.API_URL ?? "http://localhost:3000";

export default defineConfig({
  plugins: [react(), tailwindcss()],
  server: {
    port: 5173,
    strictPort: true,
    proxy: {
      "/trpc": { target: api, changeOrigin: false },
      "/auth": { target: api, changeOrigin: false },
      // The API reference the integrations page links to.
      "/docs": { target: api, changeOrigin: false },
      "/openapi.json": { target: api, changeOrigin: false },
    },
  },
  build: {
    manifest: true,
    sourcemap: true,
    target: "es2022",
  },
});
