// The base direction of a piece of text by its first strong character, as HTML's dir="auto"
// decides it (UAX #9, rules P2-P3, with letters standing in for strong characters). Word and PDF
// need it said explicitly: a paragraph in Arabic or Hebrew starts on the right.

const FIRST_STRONG =
  /(\p{Script=Hebrew}|\p{Script=Arabic}|\p{Script=Syriac}|\p{Script=Thaana}|\p{Script=Nko}|\p{Script=Samaritan}|\p{Script=Mandaic}|\p{Script=Adlam}|\p{Script=Hanifi_Rohingya})|\p{L}/u;

/** "rtl" or "ltr" by the text's first letter, or null when it has no letter (digits, punctuation, emoji). */
export function textDirection(text: string): "rtl" | "ltr" | null {
  const match = FIRST_STRONG.exec(text);
  if (!match) return null;
  return match[1] === undefined ? "ltr" : "rtl";
}
