/** The page both reports are: one self-contained HTML file, marked as written by ner. */
import { escapeMarkup } from '../util/escape-markup.js';
import { LINE_CHART_CSS } from './line-chart.js';

/**
 * The comment every report starts with (after the doctype), by which a later `ner eval
 * --report` knows a file is a report it may replace, and not someone else's file.
 */
export const REPORT_MARKER = '<!-- ner-window report -->';

const CSS = `
body { font: 14px/1.45 system-ui, sans-serif; color: #222; max-width: 1220px; margin: 24px auto; padding: 0 20px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 16px; margin: 28px 0 8px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
.summary { color: #444; margin: 0 0 8px; }
.summary b { color: #111; }
.row { display: flex; flex-wrap: wrap; gap: 0 40px; align-items: flex-start; }
.charts { display: flex; flex-wrap: wrap; gap: 16px; }
.charts svg { border: 1px solid #e3e3e3; border-radius: 4px; }
table { border-collapse: collapse; font-variant-numeric: tabular-nums; font-size: 13px; }
th, td { padding: 3px 8px; border-bottom: 1px solid #eee; }
th { text-align: right; font-weight: 600; background: #f6f6f6; }
td.num { text-align: right; }
td.label, tbody th { text-align: left; font-weight: 600; }
tr.total-row td { border-top: 2px solid #bbb; font-weight: 600; }
.note { color: #666; font-size: 13px; margin: 0 0 8px; }
.options td:first-child { font-family: ui-monospace, monospace; color: #444; }
.options td:last-child { font-family: ui-monospace, monospace; word-break: break-all; }
`;

/** A whole page from its title and body (already HTML); the title is escaped here. */
export function reportPage(title: string, body: string): string {
  return (
    `<!doctype html>\n${REPORT_MARKER}\n<html lang="en"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>${escapeMarkup(title)}</title><style>${CSS}${LINE_CHART_CSS}</style></head>\n<body>\n${body}\n</body></html>\n`
  );
}

/**
 * Whether `text` (the start of a file is enough) is a page reportPage wrote.
 *
 * @example
 * isReport(reportPage('x', '')); // true
 */
export function isReport(text: string): boolean {
  return text.replace(/^\uFEFF/, '').startsWith(`<!doctype html>\n${REPORT_MARKER}\n`);
}

/**
 * An ISO time as people read it, to the minute ("2026-12-01 21:35 UTC"); other text as it is.
 *
 * @example
 * readableTime('2026-12-01T21:35:27.320Z'); // '2026-12-01 21:35 UTC'
 */
export function readableTime(iso: string): string {
  const m = /^(\d{4}-\d\d-\d\d)T(\d\d:\d\d)[\d:.]*Z$/.exec(iso);
  return m ? `${m[1]} ${m[2]} UTC` : iso;
}
