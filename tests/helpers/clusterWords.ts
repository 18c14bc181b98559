// Helpers of the scale-out tests: typing numbered words, and checking that every client and
// every relay ends with the same text holding each word exactly once.
import { DEFINITION_SECTION_ID, sectionFragment, sectionText, type CreateWorkshopResponse } from "@crosswalk/shared";
import { expect } from "vitest";
import * as Y from "yjs";
import { connectClient, type Client } from "./client.js";
import type { RelayProcess } from "./spawnRelay.js";
import { until } from "./until.js";

export function typeWord(doc: Y.Doc, word: string): void {
  const p = sectionFragment(doc, DEFINITION_SECTION_ID).get(0) as Y.XmlElement;
  const t = p.get(0) instanceof Y.XmlText ? (p.get(0) as Y.XmlText) : (p.insert(0, [new Y.XmlText()]), p.get(0) as Y.XmlText);
  t.insert(t.length, `${word} `);
}

export const text = (c: Client): string => sectionText(c.doc, DEFINITION_SECTION_ID);

export function participantTokens(w: CreateWorkshopResponse): string[] {
  return w.organizations.map((o) => w.tokens.participants[o.id]!);
}

/** Every word typed is in `final` exactly once. */
export function expectEachOnce(final: string, words: readonly string[]): void {
  const counts = new Map<string, number>();
  for (const token of final.split(/\s+/)) if (token) counts.set(token, (counts.get(token) ?? 0) + 1);
  const missing = words.filter((w) => !counts.has(w));
  const doubled = words.filter((w) => (counts.get(w) ?? 0) > 1);
  expect(missing, "words lost").toEqual([]);
  expect(doubled, "words duplicated").toEqual([]);
}

/** Waits until every client has the same text, then reads it through a fresh observer on every relay. */
export async function expectConverged(clients: readonly Client[], relays: readonly RelayProcess[], w: CreateWorkshopResponse): Promise<string> {
  for (const c of clients) await c.waitSaved();
  await until(() => clients.every((c) => text(c) === text(clients[0]!)), "every client to converge", 30_000).catch((error: unknown) => {
    // Say who lacks what: each client's words missing from another's text.
    const words = clients.map((c) => new Set(text(c).split(/\s+/).filter(Boolean)));
    const all = new Set(words.flatMap((w) => [...w]));
    const report = words.map((w, i) => `client ${i} (${clients[i]!.provider.wsconnected ? "connected" : "disconnected"}, ${w.size} words) lacks ${[...all].filter((x) => !w.has(x)).slice(0, 8).join(" ") || "nothing"}`);
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${report.join("\n")}`);
  });
  const final = text(clients[0]!);
  for (const relay of relays) {
    const fresh = await connectClient(relay, w.id, w.tokens.observer);
    expect(text(fresh), `text read through ${relay.url}`).toBe(final);
    fresh.destroy();
  }
  return final;
}

/** Types a numbered word into each client every few milliseconds until stopped; returns the words typed. */
export function keepTyping(clients: readonly Client[], tag: string): { words: string[]; stop(): Promise<void> } {
  const words: string[] = [];
  let n = 0;
  const timer = setInterval(() => {
    for (const [i, c] of clients.entries()) {
      const word = `${tag}c${i}w${n}`;
      typeWord(c.doc, word);
      words.push(word);
    }
    n++;
  }, 15);
  return {
    words,
    stop: async () => {
      clearInterval(timer);
      await new Promise((r) => setImmediate(r));
    },
  };
}

export async function health(relay: RelayProcess): Promise<{ status: number; body: Record<string, unknown> }> {
  try {
    const res = await fetch(`${relay.url}/healthz`);
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  } catch {
    return { status: 0, body: {} };
  }
}

/** The highest clock of this client any saved acknowledgement covered. */
export const ackedClock = (c: Client): number => Math.max(0, ...c.acks.map((sv) => sv.get(c.doc.clientID) ?? 0));
