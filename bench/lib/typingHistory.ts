// A workshop's edit history as people leave it: sessions of typing (each a new Yjs client, as
// a browser tab is), at a cursor somewhere in the shared definition, one character or one
// backspace at a time, each its own update. The same seed gives the same keystrokes.
import { DEFINITION_SECTION_ID, sectionFragment, sectionText } from "@crosswalk/shared";
import * as Y from "yjs";
import type { SeededRandom } from "./seededRandom.js";

const WORDS = (
  "equity means every student receives what they need to develop their full academic and social potential " +
  "our district commits to interrupting practices that sustain disparities in outcomes between groups of students " +
  "families and communities are partners in decisions about resources instruction and belonging " +
  "leaders examine their own beliefs and role in the systems that shape access to rigorous learning"
).split(" ");

/** What was typed. */
export interface TypingHistory {
  updates: number;
  bytes: number;
  sessions: number;
  inserts: number;
  deletes: number;
}

/**
 * Types into `base` (a synced copy of the room's document) until `targetBytes` of updates were
 * sent, calling `send` with each update; `base` holds all of them when it resolves. `pause` is
 * awaited every `burst` updates, so the caller can let the server catch up without merging anything.
 */
export async function typeHistory(
  base: Y.Doc,
  random: SeededRandom,
  targetBytes: number,
  send: (update: Uint8Array) => void,
  pause: () => Promise<void>,
  burst = 500,
): Promise<TypingHistory> {
  const history: TypingHistory = { updates: 0, bytes: 0, sessions: 0, inserts: 0, deletes: 0 };
  while (history.bytes < targetBytes) {
    // A session: a fresh client with everything typed so far.
    const doc = new Y.Doc();
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(base));
    history.sessions++;
    doc.on("update", (update: Uint8Array) => {
      history.updates++;
      history.bytes += update.length;
      send(update);
    });
    const fragment = sectionFragment(doc, DEFINITION_SECTION_ID);
    const withText = (): Y.XmlElement[] => fragment.toArray().filter((p): p is Y.XmlElement => p instanceof Y.XmlElement && p.get(0) instanceof Y.XmlText);
    // A new paragraph now and then (a new workshop's definition is one empty paragraph, without text yet).
    if (withText().length === 0 || random.chance(0.25)) {
      doc.transact(() => {
        const paragraph = new Y.XmlElement("paragraph");
        paragraph.insert(0, [new Y.XmlText()]);
        fragment.insert(fragment.length, [paragraph]);
      });
    }
    const paragraphs = withText();
    const text = random.pick(paragraphs).get(0) as Y.XmlText;
    let cursor = random.chance(0.5) ? text.length : random.int(0, text.length);
    let word = random.pick(WORDS);
    let inWord = 0;
    const keystrokes = random.int(300, 1_500);
    for (let k = 0; k < keystrokes && history.bytes < targetBytes; k++) {
      if (random.chance(0.02)) cursor = random.int(0, text.length); // a click elsewhere in the paragraph
      if (cursor > 0 && random.chance(0.12)) {
        text.delete(cursor - 1, 1);
        cursor--;
        history.deletes++;
      } else {
        const char = inWord < word.length ? word[inWord]! : " ";
        inWord++;
        if (inWord > word.length) {
          word = random.pick(WORDS);
          inWord = 0;
        }
        text.insert(cursor, char);
        cursor++;
        history.inserts++;
      }
      if (history.updates % burst === 0) await pause();
    }
    // The session's keystrokes join `base` once, at its end (applying each one twice would double the bench's work).
    Y.applyUpdate(base, Y.encodeStateAsUpdate(doc, Y.encodeStateVector(base)));
    doc.destroy();
  }
  await pause();
  return history;
}

/** The definition's text: what a client must see to have loaded the workshop. */
export function definitionText(doc: Y.Doc): string {
  return sectionText(doc, DEFINITION_SECTION_ID);
}
