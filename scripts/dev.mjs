#!/usr/bin/env node
// `npm run dev`: the relay (rebuilt and restarted on change) and Vite's dev server with hot
// reload, which proxies /api and /ws to the relay. Open the URL Vite prints.
import { execFileSync, spawn } from "node:child_process";

// Build once first, so the relay has something to start from.
execFileSync("npx", ["tsc", "-b"], { stdio: "inherit" });

const children = [
  spawn("npx", ["tsc", "-b", "-w", "--preserveWatchOutput"], { stdio: "inherit" }),
  spawn(process.execPath, ["--watch-path=relay/dist", "--watch-path=shared/dist", "relay/dist/main.js"], {
    stdio: "inherit",
    env: { ...process.env, PORT: process.env.PORT ?? "8080", ALLOWED_ORIGINS: process.env.ALLOWED_ORIGINS ?? "http://127.0.0.1:5173,http://localhost:5173" },
  }),
  spawn("npx", ["vite", "--host", "127.0.0.1"], { stdio: "inherit", cwd: "web" }),
];
const stop = () => {
  for (const c of children) c.kill("SIGTERM");
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
