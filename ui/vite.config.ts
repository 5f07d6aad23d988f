import { fileURLToPath } from "node:url";
import { svelte } from "@sveltejs/vite-plugin-svelte";
import { defineConfig } from "vitest/config";

// The UI is embedded by the Tauri shell (src-tauri); nothing remote is loaded.
export default defineConfig({
  plugins: [svelte()],
  resolve: {
    alias: {
      $bindings: fileURLToPath(new URL("./src/bindings", import.meta.url)),
    },
  },
  clearScreen: false,
  // The mocked backend (dev only) reads the demo home from ../fixtures.
  server: { port: 1420, strictPort: true, fs: { allow: [".."] } },
  build: {
    outDir: "dist",
    target: "es2022",
    // Svelte styles go to a CSS file, so the shell's CSP needs no 'unsafe-inline' for styles.
    cssCodeSplit: false,
  },
  test: {
    environment: "jsdom",
    include: ["tests/**/*.test.ts"],
  },
});
