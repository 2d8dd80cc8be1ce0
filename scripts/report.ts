/**
 * `tiersim report`: merges result directories into one report. A directory may be
 *   - a run directory (summary.json, timeline.csv: `tiersim run --out`),
 *   - a sweep directory (cells/<id>/summary.json: `tiersim sweep --out`, any shards),
 *   - a directory of run directories (<setup>/summary.json: the default comparison),
 *   - a replay directory (results.csv: `tiersim replay --out`),
 * or several of these at once. The report is table.md, table.csv (one row per run),
 * replays.csv (replay results), charts/ and report.html. All input is read and
 * checked, and every chart rendered, before the first file is written.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { InputError } from '../sim/errors.ts';
import { orderPolicies, seriesPolicy } from '../reports/charts.ts';
import type { CompareOptions } from '../reports/compare.ts';
import { checkRun, readReplayResults, readRunDir, type ReplayResult, type ReportRun } from '../reports/read.ts';

export interface ReportInputs {
  runs: ReportRun[];
  replays: ReplayResult[];
}

const isDir = (path: string) => existsSync(path) && statSync(path).isDirectory();
const hasSummary = (dir: string) => existsSync(join(dir, 'summary.json'));

/** Visible subdirectories, sorted. */
function subdirs(dir: string): string[] {
  return readdirSync(dir).filter((n) => !n.startsWith('.') && isDir(join(dir, n))).sort();
}

/** Sweep cell ids end in a 12-hex-digit hash of the config; drop it when the names stay distinct. */
function shortCellNames(ids: string[]): string[] {
  const short = ids.map((id) => id.replace(/-[0-9a-f]{12}$/, ''));
  return new Set(short).size === short.length ? short : ids;
}

/** Runs in a reader's order: by policy (baselines first, as in the palette), workload, cache size, seed, name. */
function sortRuns(runs: ReportRun[]): void {
  const keyed = runs.map((r) => ({ r, s: checkRun(r).s }));
  const order = orderPolicies(keyed.map((k) => seriesPolicy(k.s)));
  keyed.sort((a, b) => order.indexOf(seriesPolicy(a.s)) - order.indexOf(seriesPolicy(b.s))
    || a.s.workload.localeCompare(b.s.workload)
    || (a.s.cacheSizeBytes ?? 0) - (b.s.cacheSizeBytes ?? 0)
    || (a.s.seed ?? 0) - (b.s.seed ?? 0)
    || a.r.name.localeCompare(b.r.name));
  runs.splice(0, runs.length, ...keyed.map((k) => k.r));
}

/** The runs and replay results of one input directory (no others are consulted). */
export function readInputDir(dir: string): ReportInputs {
  if (!existsSync(dir)) throw new InputError(`${dir}: no such directory`);
  if (!statSync(dir).isDirectory()) throw new InputError(`${dir}: not a directory`);
  const runs: ReportRun[] = [];
  const replays: ReplayResult[] = [];
  if (hasSummary(dir)) runs.push(readRunDir(dir, basename(resolve(dir))));
  const cells = join(dir, 'cells');
  if (isDir(cells)) {
    const ids = subdirs(cells).filter((id) => hasSummary(join(cells, id)));
    const names = shortCellNames(ids);
    ids.forEach((id, i) => runs.push(readRunDir(join(cells, id), names[i])));
  }
  for (const name of subdirs(dir)) {
    if (name === 'cells' || name === 'charts') continue;
    if (hasSummary(join(dir, name))) runs.push(readRunDir(join(dir, name), name));
  }
  const results = join(dir, 'results.csv');
  if (existsSync(results)) replays.push(...readReplayResults(results, dir));
  sortRuns(runs);
  if (runs.length === 0 && replays.length === 0) {
    throw new InputError(`${dir}: nothing to report (no summary.json, cells/*/summary.json, */summary.json or results.csv)`);
  }
  return { runs, replays };
}

/** Reads every directory; runs that share a name get their directory's name in front, then a number. */
export function readReportInputs(dirs: string[]): ReportInputs {
  if (dirs.length === 0) throw new InputError('report: name at least one result directory');
  const per = dirs.map((d) => ({ dir: d, ...readInputDir(d) }));
  const count = new Map<string, number>();
  for (const p of per) for (const r of p.runs) count.set(r.name, (count.get(r.name) ?? 0) + 1);
  const runs: ReportRun[] = [];
  const used = new Set<string>();
  for (const p of per) {
    for (const r of p.runs) {
      let name = count.get(r.name)! > 1 && dirs.length > 1 ? `${basename(resolve(p.dir))}/${r.name}` : r.name;
      for (let k = 2; used.has(name); k++) name = `${r.name} #${k}`;
      used.add(name);
      runs.push({ ...r, name, group: p.dir });
    }
  }
  return { runs, replays: per.flatMap((p) => p.replays) };
}

export interface ReportOutcome {
  out: string;
  runs: number;
  replayRows: number;
  charts: string[];
  files: string[];
  /** With --compare: how many setups meet the bar. */
  verdict?: string;
}

/**
 * The runs whose name matches `pattern` (a regular expression, unanchored): a few
 * cells of a large sweep get the per-run charts that a whole sweep is too large for.
 */
export function selectRuns(runs: ReportRun[], pattern: string): ReportRun[] {
  let re: RegExp;
  try {
    re = new RegExp(pattern);
  } catch (err) {
    throw new InputError(`--runs: ${pattern} is not a regular expression (${(err as Error).message})`);
  }
  const kept = runs.filter((r) => re.test(r.name));
  if (kept.length === 0 && runs.length > 0) {
    const some = runs.slice(0, 3).map((r) => r.name).join(', ');
    throw new InputError(`--runs: no run's name matches /${pattern}/ (${runs.length} runs, such as ${some})`);
  }
  return kept;
}

export async function runReport(options: { dirs: string[]; out: string; title?: string; compare?: CompareOptions; runs?: string }): Promise<ReportOutcome> {
  if (!options.out) throw new InputError('--out: a directory is required');
  if (existsSync(options.out) && !statSync(options.out).isDirectory()) throw new InputError(`--out: ${options.out} is not a directory`);
  const inputs = readReportInputs(options.dirs);
  const replays = inputs.replays;
  const runs = options.runs === undefined ? inputs.runs : selectRuns(inputs.runs, options.runs);
  // The renderer (Vega, resvg) loads once the input has been read and found good.
  const { buildReport, writeReportFiles } = await import('../reports/run-report.ts');
  const { files, charts, verdict } = await buildReport(runs, replays, {
    tables: true,
    ...(options.compare ? { compare: options.compare } : {}),
    ...(options.title !== undefined ? { title: options.title } : {}),
    notes: [`from ${options.dirs.join(', ')}${options.runs === undefined ? '' : `, the ${runs.length} runs whose name matches /${options.runs}/`}`],
  });
  const written = writeReportFiles(options.out, files);
  return { out: options.out, runs: runs.length, replayRows: replays.length, charts: charts.map((c) => c.name), files: written, ...(verdict ? { verdict } : {}) };
}
