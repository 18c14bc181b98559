import type * as Y from "yjs";
import { sectionFragment } from "../doc/layout.js";
import { buildTextMap } from "./textMap.js";

/**
 * A section's plain text: its textblocks in document order joined with "\n", an empty
 * paragraph as an empty line, a hard break as "\n" (../shared/CONTRACT.md, "Section text and hash").
 */
export function sectionText(doc: Y.Doc, sectionId: string): string {
  return buildTextMap(sectionFragment(doc, sectionId)).text;
}

// shared is compiled without DOM or Node types (it runs in both); these are the two Web APIs it uses.
interface WebCryptoGlobals {
  crypto: { subtle: { digest(algorithm: "SHA-256", data: Uint8Array): Promise<ArrayBuffer> } };
  TextEncoder: new () => { encode(text: string): Uint8Array };
}

/** Lowercase hex SHA-256 of the UTF-8 bytes of a string (Web Crypto: browsers and Node alike). */
export async function sha256Hex(text: string): Promise<string> {
  const g = globalThis as unknown as WebCryptoGlobals;
  const digest = await g.crypto.subtle.digest("SHA-256", new g.TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** The hash consent is tied to: SHA-256 of sectionText(), lowercase hex. */
export async function sectionHash(doc: Y.Doc, sectionId: string): Promise<string> {
  return sha256Hex(sectionText(doc, sectionId));
}
