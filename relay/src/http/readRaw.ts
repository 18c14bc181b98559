// Reads a raw request body (an uploaded file) within a size limit: 413 above it.
import type { IncomingMessage } from "node:http";
import { HttpError } from "./HttpError.js";

/** The body of a request as bytes. */
export async function readRaw(req: IncomingMessage, limit: number, what = "The file"): Promise<Buffer> {
  const tooLarge = () => new HttpError("too_large", `${what} is larger than ${Math.round(limit / (1024 * 1024))} MB.`);
  if (Number(req.headers["content-length"] ?? "0") > limit) {
    req.resume();
    throw tooLarge();
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      req.resume();
      throw tooLarge();
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
