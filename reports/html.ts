/**
 * report.html: one self-contained page. Charts are inline SVG, styles inline; no
 * script, no font or image fetched, so it opens offline and in a mail attachment.
 * Every name taken from configs, summaries and traces is HTML-escaped, and a
 * Content-Security-Policy forbids scripts and fetches outright, so a crafted name
 * cannot run anything even if it slipped through.
 */
import type { DisplayTable } from './table.ts';

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/**
 * An SVG from the renderer, made safe to sit beside others in one page: its ids
 * (clip paths) get a per-chart prefix, since ids are page-wide. Anything that could
 * run script is refused: the renderer never writes it.
 */
export function embedSvg(svg: string, prefix: string): string {
  const text = svg.replace(/^<\?xml[^>]*>\s*/, '');
  if (!text.startsWith('<svg')) throw new Error('embedSvg: not an SVG document');
  // Names in text and attributes arrive escaped (&lt;), so a real tag here was written by the renderer.
  if (/<script|<foreignObject/i.test(text)) throw new Error('embedSvg: the SVG contains script');
  return text
    .replace(/\sid="([^"]+)"/g, (_, id: string) => ` id="${prefix}-${id}"`)
    .replace(/url\(#([^)]+)\)/g, (_, id: string) => `url(#${prefix}-${id})`)
    .replace(/href="#([^"]+)"/g, (_, id: string) => `href="#${prefix}-${id}"`);
}

export interface HtmlChart {
  name: string;
  title: string;
  description: string;
  svg: string;
  /** Links beside the chart, relative to report.html: the PNG, SVG and Vega-Lite spec. */
  files?: { label: string; href: string }[];
}

export interface ReportPage {
  title: string;
  /** Lines under the title (plain text). */
  notes?: string[];
  tables: DisplayTable[];
  charts: HtmlChart[];
}

function table(t: DisplayTable): string {
  const head = t.columns.map((c) => `<th${c.numeric ? ' class="n"' : ''}>${escapeHtml(c.label)}</th>`).join('');
  const rows = t.rows.map((r) => `<tr>${r.map((cell, i) => `<td${t.columns[i]?.numeric ? ' class="n"' : ''}>${escapeHtml(cell)}</td>`).join('')}</tr>`).join('\n');
  return `<section class="table">\n<h2>${escapeHtml(t.title)}</h2>\n<div class="scroll"><table>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${rows}\n</tbody>\n</table></div>\n</section>`;
}

function chart(c: HtmlChart, i: number): string {
  const links = (c.files ?? []).map((f) => `<a href="${escapeHtml(encodeURI(f.href))}">${escapeHtml(f.label)}</a>`).join(' · ');
  return `<figure class="chart" id="chart-${escapeHtml(c.name)}" data-chart="${escapeHtml(c.name)}" aria-label="${escapeHtml(c.title)}">
<div class="svg">${embedSvg(c.svg, `c${i}`)}</div>
<figcaption>${escapeHtml(c.description)}${links ? `<br><span class="files">${links}</span>` : ''}</figcaption>
</figure>`;
}

const STYLE = `
body { font-family: "DejaVu Sans", Verdana, Helvetica, Arial, sans-serif; margin: 2em auto; max-width: 1200px; padding: 0 1em; color: #222; }
h1 { font-size: 1.5em; margin-bottom: 0.2em; }
h2 { font-size: 1.15em; margin: 1.4em 0 0.4em; }
p.note { margin: 0.2em 0; color: #555; }
nav { margin: 1em 0; font-size: 0.9em; }
nav a { margin-right: 1em; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; font-size: 0.85em; }
th, td { padding: 0.3em 0.6em; border-bottom: 1px solid #ddd; text-align: left; white-space: nowrap; }
th { background: #f4f4f4; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
figure.chart { margin: 1.5em 0; }
figure.chart .svg { overflow-x: auto; }
figure.chart svg { max-width: 100%; height: auto; }
figcaption { color: #555; font-size: 0.9em; max-width: 60em; }
.files { font-size: 0.9em; }
`;

export function reportHtml(page: ReportPage): string {
  const nav = page.charts.map((c) => `<a href="#chart-${escapeHtml(c.name)}">${escapeHtml(c.title)}</a>`).join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(page.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${escapeHtml(page.title)}</h1>
${(page.notes ?? []).map((n) => `<p class="note">${escapeHtml(n)}</p>`).join('\n')}
${nav ? `<nav>${nav}</nav>` : ''}
${page.tables.filter((t) => t.rows.length > 0).map(table).join('\n')}
${page.charts.map(chart).join('\n')}
</body>
</html>
`;
}
