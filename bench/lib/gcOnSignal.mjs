// Preloaded into a server under test (NODE_OPTIONS="--expose-gc --import <this file>") by
// benchmarks that read memory: on SIGUSR2 it runs a full garbage collection and prints the
// process's memory on stderr, so the garbage of a burst of work is not counted as retained.
// It changes nothing else in the server.
import process from "node:process";

process.on("SIGUSR2", () => {
  globalThis.gc?.();
  globalThis.gc?.();
  process.stderr.write(`BENCH_GC ${JSON.stringify(process.memoryUsage())}\n`);
});
