/// <reference types="vitest/config" />
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const backend = process.env["DREAMVERSE_BACKEND"] ?? "http://127.0.0.1:8009";

export default defineConfig({
  build: {
    outDir: fileURLToPath(new URL("../runtime/static/", import.meta.url)),
    emptyOutDir: true,
    target: "es2022",
    reportCompressedSize: true,
    sourcemap: false,
  },
  server: {
    // The curated presets live beside the server that also serves them (`runtime/curated_presets.json`).
    fs: { allow: [".", "../runtime/curated_presets.json"] },
    proxy: {
      "/ws": { target: backend.replace(/^http/, "ws"), ws: true },
      "/export": backend,
      "/healthz": backend,
      "/readyz": backend,
      "/status": backend,
      "/curated-presets": backend,
      "/prompt-system-config": backend,
    },
  },
  test: {
    environment: "happy-dom",
    include: ["tests/unit/**/*.test.ts"],
    restoreMocks: true,
  },
});
