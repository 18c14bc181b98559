import { createHash } from "node:crypto";
import react from "@vitejs/plugin-react";
import { defineConfig, defaultClientConditions, type Plugin } from "vite";

/**
 * Builds the service worker (src/sw.ts) as /sw.js and writes into it the list of files to
 * precache, so a page reloaded while the relay is down still opens from the cache and
 * shows the workshop from IndexedDB.
 */
function serviceWorker(): Plugin {
  return {
    name: "crosswalk-service-worker",
    apply: "build",
    generateBundle(_options, bundle) {
      const files = [...Object.keys(bundle).filter((f) => f !== "sw.js" && !f.endsWith(".map")), "favicon.svg"];
      const precache = ["/", ...files.map((f) => `/${f}`)];
      const version = createHash("sha256").update(precache.join("\n")).digest("hex").slice(0, 12);
      const sw = bundle["sw.js"];
      if (!sw || sw.type !== "chunk") throw new Error("service worker chunk missing");
      // The minifier may turn the placeholder strings into template literals; match any quote.
      sw.code = sw.code.replace(/(["'`])__PRECACHE__\1/, JSON.stringify(precache)).replaceAll("__VERSION__", version);
      if (sw.code.includes("__PRECACHE__")) throw new Error("service worker precache list was not injected");
    },
  };
}

const relay = process.env.RELAY_URL ?? "http://127.0.0.1:8080";

export default defineConfig({
  plugins: [react(), serviceWorker()],
  resolve: { conditions: ["source", ...defaultClientConditions] },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      input: { main: "index.html", sw: "src/sw.ts" },
      output: { entryFileNames: (chunk) => (chunk.name === "sw" ? "sw.js" : "assets/[name]-[hash].js") },
    },
  },
  server: {
    proxy: {
      "/api": relay,
      "/healthz": relay,
      "/ws": { target: relay.replace(/^http/, "ws"), ws: true },
    },
  },
});
