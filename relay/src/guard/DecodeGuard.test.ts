import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { DecodeGuard } from "./DecodeGuard.js";

const POISON = new Uint8Array([228, 156, 16, 0, 5, 255, 255, 5, 0, 1, 0, 0, 0, 1, 1, 0, 0, 0, 237, 0, 0, 0, 1, 1, 0, 254, 184, 194, 233, 173, 135, 217, 18, 0, 0, 1, 1, 255, 237, 246]);

describe("DecodeGuard", () => {
  const hangs: string[] = [];
  const guard = new DecodeGuard(1, 1500, (reason) => hangs.push(reason));
  afterAll(() => guard.close());

  it("passes updates that decode, with the lowest clock of each client's structs", async () => {
    const d = new Y.Doc();
    d.clientID = 7;
    d.getText("t").insert(0, "hello");
    const sv = Y.encodeStateVector(d);
    d.getText("t").insert(5, " world");
    const other = new Y.Doc();
    other.clientID = 300;
    other.getMap("m").set("k", 1);
    const update = Y.mergeUpdates([Y.encodeStateAsUpdate(d, sv), Y.encodeStateAsUpdate(other)]);
    expect(await guard.check(update)).toEqual({ ok: true, from: new Map([[7, 5], [300, 0]]) });
  });

  it("refuses bytes that do not decode, without hanging", async () => {
    expect(await guard.check(new Uint8Array([0, 5, 1]))).toMatchObject({ ok: false, hung: false });
  });

  it("the published yjs#687 merge case is refused (it fails to decode on its own, so it is never merged)", async () => {
    expect(await guard.check(POISON)).toMatchObject({ ok: false });
  });

  it("a job that hangs its worker is refused after the time limit; the worker is replaced and the jobs behind it are answered", async () => {
    // A stand-in decoder that loops forever on updates starting with 99, as a crafted update would.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "guard-"));
    const file = path.join(dir, "hanging.mjs");
    fs.writeFileSync(
      file,
      `import { parentPort } from "node:worker_threads";
       parentPort.on("message", (job) => { if (job.received[0] === 99) for (;;) {} parentPort.postMessage([{ id: job.id, ok: true, from: [] }]); });`,
    );
    const reasons: string[] = [];
    const hanging = new DecodeGuard(1, 300, (r) => reasons.push(r), { url: pathToFileURL(file), execArgv: [] });
    try {
      const stuck = hanging.check(new Uint8Array([99, 1]));
      const behind = hanging.check(new Uint8Array([1, 2]));
      expect(await stuck).toEqual({ ok: false, reason: "the update took too long to decode", hung: true });
      expect(await behind).toEqual({ ok: true, from: new Map() });
      expect(reasons).toHaveLength(1);
      expect(await hanging.check(new Uint8Array([3]))).toEqual({ ok: true, from: new Map() });
    } finally {
      await hanging.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("DecodeGuard lanes", () => {
  it("a queue of large updates does not hold up small ones: they go to a worker of their own", async () => {
    // A stand-in decoder that takes 400 ms for any update over 64 KiB.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "guard-"));
    const file = path.join(dir, "slow.mjs");
    fs.writeFileSync(
      file,
      `import { parentPort } from "node:worker_threads";
       parentPort.on("message", (job) => {
         if (job.received.length > 65536) { const until = Date.now() + 400; while (Date.now() < until) {} }
         parentPort.postMessage([{ id: job.id, ok: true, from: [job.received.length > 65536 ? 1 : 0, 0] }]);
       });`,
    );
    const lanes = new DecodeGuard(1, 5000, () => {}, { url: pathToFileURL(file), execArgv: [] });
    try {
      const order: string[] = [];
      const big = Array.from({ length: 4 }, () => lanes.check(new Uint8Array(100_000)).then(() => order.push("big")));
      const small = lanes.check(new Uint8Array(10)).then((v) => {
        order.push("small");
        return v;
      });
      expect(await small).toEqual({ ok: true, from: new Map([[0, 0]]) });
      await Promise.all(big);
      expect(order[0]).toBe("small");
    } finally {
      await lanes.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
