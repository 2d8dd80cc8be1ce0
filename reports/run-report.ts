/**
 * The charts and report.html of runs: Vega-Lite specs (charts/*.vl.json), their SVG
 * and PNG renderings (charts/*.svg, charts/*.png) and one self-contained
 * report.html. Everything is rendered in memory first and written afterwards, each
 * file atomically, so bad input leaves nothing behind.
 */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from './atomic.ts';
import { reportCharts, type Chart } from './charts.ts';
import { compareByWorkload, compareCsv, compareDisplay, comparePolicies, compareRatioChart, compareVerdict, type CompareOptions } from './compare.ts';
import { compareAcrossSeeds, seedsCsv, seedsDisplay, seedsVerdict } from './compare-seeds.ts';
import { reportHtml, type HtmlChart } from './html.ts';
import { checkRun, readRunDir, type CheckedRun, type ReplayResult, type ReportRun } from './read.ts';
import { renderSvg, svgToPng } from './render.ts';
import { replayCsv, replaysDisplay, runsDisplay, tableCsv, tableMarkdown, tableRow } from './table.ts';

export type { ReportRun, ReplayResult } from './read.ts';

export interface ReportOptions {
  /** The page title; default from the runs. */
  title?: string;
  /** Plain-text lines under the title. */
  notes?: string[];
  /** Also write table.md and table.csv (and replays.csv when there are replay results). */
  tables?: boolean;
  /** A policy against the best of others, setup by setup: compare.md, compare.csv, a chart. */
  compare?: CompareOptions;
}

/** Relative path → content: charts/*, report.html, and the tables when asked. */
export type ReportFiles = Map<string, string | Uint8Array>;

function defaultTitle(runs: CheckedRun[], replays: ReplayResult[]): string {
  if (runs.length === 1 && replays.length === 0) {
    const s = runs[0]!.s;
    return `tiersim run: ${s.workload}, ${s.placement ?? ''} placement, policy ${s.policy}`.replace(/, {2}placement/, '');
  }
  const parts = [];
  if (runs.length > 0) parts.push(`${runs.length} run${runs.length === 1 ? '' : 's'}`);
  const traces = new Set(replays.map((r) => r.trace)).size;
  if (traces > 0) parts.push(`${traces} replayed trace${traces === 1 ? '' : 's'}`);
  return `tiersim report: ${parts.join(', ')}`;
}

/** Renders every chart the inputs have data for, the tables and report.html, in memory. */
export async function buildReport(runs: ReportRun[], replays: ReplayResult[] = [], options: ReportOptions = {}): Promise<{ files: ReportFiles; charts: Chart[]; verdict?: string }> {
  const checked = runs.map(checkRun);
  const rows = checked.map(tableRow);
  const comparison = options.compare ? comparePolicies(rows, options.compare) : undefined;
  const charts = reportCharts(checked, replays);
  if (comparison) charts.unshift(compareRatioChart(comparison));
  const files: ReportFiles = new Map();
  const html: HtmlChart[] = [];
  for (const c of charts) {
    const svg = await renderSvg(c.spec);
    files.set(`charts/${c.name}.vl.json`, JSON.stringify(c.spec, null, 2) + '\n');
    files.set(`charts/${c.name}.svg`, svg);
    files.set(`charts/${c.name}.png`, svgToPng(svg));
    html.push({
      name: c.name, title: c.title, description: c.description, svg,
      files: [
        { label: 'PNG', href: `charts/${c.name}.png` },
        { label: 'SVG', href: `charts/${c.name}.svg` },
        { label: 'Vega-Lite spec', href: `charts/${c.name}.vl.json` },
      ],
    });
  }
  // Setups run with several seeds are also taken together, seed against seed.
  const seeds = comparison ? compareAcrossSeeds(comparison) : [];
  const compared = comparison
    ? [compareByWorkload(comparison), ...(seeds.length > 0 ? [seedsDisplay(comparison, seeds)] : []), compareDisplay(comparison)]
    : [];
  const tables = [...compared, runsDisplay(rows), replaysDisplay(replays)].filter((t) => t.rows.length > 0);
  const verdict = comparison
    ? compareVerdict(comparison) + (seeds.length > 0 ? `; ${seedsVerdict(comparison, seeds)}` : '')
    : undefined;
  const notes = [...(options.notes ?? []), ...(verdict ? [verdict] : [])];
  files.set('report.html', reportHtml({ title: options.title ?? defaultTitle(checked, replays), notes, tables, charts: html }));
  if (comparison) {
    files.set('compare.csv', compareCsv(comparison));
    if (seeds.length > 0) files.set('compare-seeds.csv', seedsCsv(seeds));
    files.set('compare.md', `${verdict}.\n\n${tableMarkdown(compared)}`);
  }
  if (options.tables) {
    files.set('table.md', tableMarkdown(tables));
    if (rows.length > 0) files.set('table.csv', tableCsv(rows));
    if (replays.length > 0) files.set('replays.csv', replayCsv(replays));
  }
  return { files, charts, ...(verdict ? { verdict } : {}) };
}

const CHART_FILE = /\.(vl\.json|svg|png)$/;

/** Writes the files under `dir`, each atomically; chart files of an earlier report that this one lacks are removed. */
export function writeReportFiles(dir: string, files: ReportFiles): string[] {
  const chartsDir = join(dir, 'charts');
  if (existsSync(chartsDir)) {
    for (const name of readdirSync(chartsDir)) {
      if (CHART_FILE.test(name) && !files.has(`charts/${name}`)) rmSync(join(chartsDir, name), { force: true });
    }
  }
  const written: string[] = [];
  for (const [rel, content] of files) {
    const path = join(dir, rel);
    writeFileAtomic(path, content);
    written.push(path);
  }
  return written;
}

/**
 * Charts and report.html of one run or several, written into `dir`:
 * charts/<name>.vl.json, charts/<name>.svg, charts/<name>.png and report.html;
 * with more than one run also table.md and table.csv. Without `runs`, the run
 * directory `dir` itself is read (summary.json, timeline.csv). Returns the paths written.
 */
export async function writeRunCharts(dir: string, runs?: ReportRun[], options: ReportOptions = {}): Promise<string[]> {
  const list = runs ?? [readRunDir(dir)];
  const { files } = await buildReport(list, [], { tables: list.length > 1, ...options });
  return writeReportFiles(dir, files);
}
