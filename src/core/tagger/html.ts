/**
 * The `html` format of `ner tag`: one self-contained page (no external assets, no script) with
 * the entities highlighted in the text. Each entity is a `<mark data-type="TYPE">` whose
 * title gives its type and score; each type has one stable colour (fixed ones for the CoNLL
 * types, any other derived from its name), shown in a legend. All text is escaped, so a text
 * holding `<script>` renders as text.
 *
 * @example
 * const doc = tokenize('Barack Obama visited Paris.');
 * await tagger.tagDocuments([doc]);
 * renderHtml(doc); // '<!doctype html>...<mark data-type="PER" title="PER 0.998">Barack Obama</mark>...'
 */
import { predictedSpans, type Document } from '../document/document.js';
import { NerError } from '../errors.js';
import { escapeMarkup as escapeHtml } from '../util/escape-markup.js';

const FIXED_HUES: Record<string, number> = { PER: 30, LOC: 140, ORG: 215, MISC: 280 };

/** The hue (0-359) of an entity type: fixed for PER/LOC/ORG/MISC, a hash of the name otherwise. */
export function typeHue(type: string): number {
  if (FIXED_HUES[type] !== undefined) return FIXED_HUES[type];
  let h = 2166136261;
  for (let i = 0; i < type.length; i++) h = Math.imul(h ^ type.charCodeAt(i), 16777619);
  return (h >>> 0) % 360;
}

/** Options of renderHtml. */
export interface HtmlFormatArgs {
  /** The page's title. Default "Named entities". */
  title?: string;
}

/** One page for a tagged document made from text (see the module comment). */
export function renderHtml(doc: Document, args: HtmlFormatArgs = {}): string {
  if (doc.text === undefined) {
    throw new NerError('E_USAGE', 'renderHtml needs a document made from text (tokenize(text)), with its text and offsets');
  }
  const text = doc.text;
  const types = new Set<string>();
  let body = '';
  let at = 0;
  for (const sentence of doc.sentences) {
    for (const span of predictedSpans(sentence)) {
      const start = sentence.tokens[span.start].start!;
      const end = sentence.tokens[span.end - 1].end!;
      types.add(span.type);
      const type = escapeHtml(span.type);
      const score = span.score === undefined ? '' : ` ${span.score.toFixed(3)}`;
      body += `${escapeHtml(text.slice(at, start))}<mark data-type="${type}" title="${type}${score}">${escapeHtml(text.slice(start, end))}</mark>`;
      at = end;
    }
  }
  body += escapeHtml(text.slice(at));
  const sorted = [...types].sort();
  // Attribute selectors need the type quoted as a CSS string.
  const cssString = (s: string) => `"${s.replace(/["\\]/g, (c) => `\\${c}`).replace(/[<>\n\r]/g, (c) => `\\${c.charCodeAt(0).toString(16)} `)}"`;
  const colours = sorted.map((t) => `mark[data-type=${cssString(t)}]{background:hsl(${typeHue(t)} 80% 85%)}`).join('\n');
  const legend = sorted.map((t) => `<mark data-type="${escapeHtml(t)}" title="${escapeHtml(t)}">${escapeHtml(t)}</mark>`).join(' ');
  const title = escapeHtml(args.title ?? 'Named entities');
  return `<!doctype html>
<html lang="en">
<meta charset="utf-8">
<meta name="generator" content="ner-window">
<title>${title}</title>
<style>
body{font:16px/1.6 system-ui,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem;color:#1d1d1f}
h1{font-size:1.3rem}
.legend{color:#555;font-size:.9rem;margin-bottom:1rem}
.text{white-space:pre-wrap;border:1px solid #ddd;border-radius:6px;padding:.8rem}
mark{border-radius:4px;padding:0 .2em;background:hsl(0 0% 88%)}
.text mark::after{content:attr(data-type);font-size:.65em;font-weight:600;margin-left:.3em;vertical-align:.15em}
${colours}
</style>
<h1>${title}</h1>
<p class="legend">${sorted.length ? `Types: ${legend}` : 'No entities found.'}</p>
<div class="text">${body}</div>
</html>
`;
}
