// The PDF's fonts: DejaVu Sans (and Sans Mono for code) from the installed dejavu-fonts-ttf
// package, embedded as subsets so the text is extractable and covers Latin, Greek, Cyrillic,
// Hebrew and Arabic. DejaVu has no CJK glyphs: such characters print as empty boxes (the text
// layer still carries them). Resolved through the module system, so no path is hard-coded.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type PDFDocument from "pdfkit";

/** The font names registered in every export PDF. */
export const FONTS = {
  regular: "Sans",
  bold: "Sans-Bold",
  italic: "Sans-Oblique",
  boldItalic: "Sans-BoldOblique",
  mono: "Mono",
} as const;

/** One of the registered font names. */
export type FontName = (typeof FONTS)[keyof typeof FONTS];

const FILES: Record<FontName, string> = {
  Sans: "DejaVuSans.ttf",
  "Sans-Bold": "DejaVuSans-Bold.ttf",
  "Sans-Oblique": "DejaVuSans-Oblique.ttf",
  "Sans-BoldOblique": "DejaVuSans-BoldOblique.ttf",
  Mono: "DejaVuSansMono.ttf",
};

let loaded: Map<FontName, Buffer> | null = null;

// Read once per process: every export embeds the same files.
function fontData(): Map<FontName, Buffer> {
  if (!loaded) {
    const require = createRequire(import.meta.url);
    loaded = new Map(Object.entries(FILES).map(([name, file]) => [name as FontName, readFileSync(require.resolve(`dejavu-fonts-ttf/ttf/${file}`))]));
  }
  return loaded;
}

// fontkit fonts that PDFKit parsed for an earlier document. Parsing DejaVu's tables (cmap,
// GSUB, GPOS) cost about 150 ms a PDF; PDFKit takes an already parsed font in place of the
// bytes (PDFFontFactory.open, pdfkit 0.20) and gives each document a subset of its own.
const parsed = new Map<FontName, object>();

/** A fontkit font, as PDFKit keeps it on each font a document opened (not in its type definitions). */
type WithFontFamilies = { _fontFamilies?: Record<string, { font?: { layout?: unknown } } | undefined> };

/** Registers the export fonts on a document. */
export function registerFonts(doc: InstanceType<typeof PDFDocument>): void {
  // The type definitions list bytes and paths only; the parsed font is passed through as is.
  for (const [name, data] of fontData()) doc.registerFont(name, (parsed.get(name) ?? data) as Buffer);
}

/** Keeps the fonts `doc` parsed (once it is finished) for the documents after it. */
export function keepParsedFonts(doc: InstanceType<typeof PDFDocument>): void {
  const families = (doc as unknown as WithFontFamilies)._fontFamilies ?? {};
  for (const name of Object.values(FONTS)) {
    const font = families[name]?.font;
    if (font && typeof font.layout === "function" && !parsed.has(name)) parsed.set(name, font);
  }
}

/** The font of a run. */
export function fontFor(bold: boolean, italic: boolean, code = false): FontName {
  if (code) return FONTS.mono;
  if (bold) return italic ? FONTS.boldItalic : FONTS.bold;
  return italic ? FONTS.italic : FONTS.regular;
}
