/// <reference types="vitest/config" />
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";
import tailwindcss from "@tailwindcss/vite";
import { fileURLToPath, URL } from "node:url";

/** Where the exchange server listens during development (`EXCHANGE_URL` overrides it). */
const server = process.env.EXCHANGE_URL ?? "http://127.0.0.1:7070";

/**
 * The API, WebSocket and health routes are proxied so the UI runs on one origin, as in
 * production. The server checks `Origin` against its own address on cookie requests (CSRF),
 * so the proxy presents the server's origin, as a same-origin browser would.
 */
const forwarded = { target: server, changeOrigin: true, headers: { origin: server } };
const proxy = {
  "/api": forwarded,
  "/health": forwarded,
  "/ws": { ...forwarded, ws: true },
};

export default defineConfig({
  plugins: [react(), tailwindcss()],
  resolve: {
    alias: { "@": fileURLToPath(new URL("./src", import.meta.url)) },
  },
  server: { proxy },
  preview: { proxy },
  build: {
    // Deterministic output: content-hashed names, no source maps with absolute paths.
    sourcemap: false,
    chunkSizeWarningLimit: 1024,
  },
  test: {
    environment: "jsdom",
    globals: false,
    setupFiles: ["./src/test/setup.ts"],
    include: ["src/**/*.test.{ts,tsx}"],
    css: false,
  },
});
