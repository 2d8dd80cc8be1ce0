/**
 * `tiersim reproduce`: runs what the rows need (each run once, shared between rows)
 * on worker threads, computes every row and writes reproduce.csv, reproduce.md and a
 * chart of simulated / published with each row's band.
 */
import { mkdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../../sim/errors.ts';
import { writeFileAtomic } from '../../reports/atomic.ts';
import { toCsv } from '../../reports/csv.ts';
import { renderSvg, svgToPng } from '../../reports/render.ts';
import { runConfig, type RunConfigInput } from '../lib/config.ts';
import { runCells } from '../lib/sweep.ts';
import type { Cell } from '../lib/sweep-grid.ts';
import { lifecycle, nexmarkParams, SETUPS, wordcountParams, wordcountSizes } from './preset.ts';
import { needKey, ROWS, type Need, type Results, type Row } from './rows.ts';
import { reproduceChart } from './chart.ts';

export interface ReproducedRow {
  id: string;
  claim: string;
  source: string;
  published: number;
  simulated: number;
  unit: string;
  ratio: number;
  band: string;
  bandLow: number;
  bandHigh: number;
  within: boolean;
  note: string;
  /** The simulations the row was computed from, with their main figures. */
  runs: RunFigures[];
}

/** One simulation behind rows: what a reader needs to see which query moves a mean. */
export interface RunFigures {
  run: string;
  recordsPerSecond: number;
  memoryHit: number;
  localHit: number;
  dfsReads: number;
}

function runFigures(run: string, s: Record<string, any>): RunFigures { // eslint-disable-line @typescript-eslint/no-explicit-any
  return { run, recordsPerSecond: s.recordsPerSecond, memoryHit: s.hitRatio.memory, localHit: s.hitRatio.localDisk, dfsReads: s.dfs.reads };
}

export const CSV_COLUMNS = ['id', 'claim', 'source', 'published', 'simulated', 'unit', 'ratio', 'band', 'within'] as const;

/** The run config behind a need. */
export function needConfig(n: Need): RunConfigInput {
  if ('lifecycle' in n) return { ...lifecycle, placement: n.lifecycle };
  const setup = SETUPS[n.setup];
  if (n.workload === 'wordcount') return { ...setup, ...wordcountSizes, workload: 'wordcount', workloadParams: wordcountParams };
  return { ...setup, workload: n.workload, workloadParams: nexmarkParams };
}

export function selectRows(only?: string): Row[] {
  if (!only) return ROWS;
  const ids = only.split(',').map((s) => s.trim()).filter((s) => s);
  const unknown = ids.filter((id) => !ROWS.some((r) => r.id === id));
  if (unknown.length) throw new InputError(`--only: unknown row ${unknown.join(', ')} (rows: ${ROWS.map((r) => r.id).join(', ')})`);
  return ROWS.filter((r) => ids.includes(r.id));
}

const fmt = (x: number) => (Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 10 ? x.toFixed(1) : x.toFixed(3));

/** `onRun`: the runs done so far (fractionally, counting those under way by their progress) and the number to run. */
export async function reproduce(options: { rows: Row[]; workers?: number; onRun?: (done: number, total: number) => void }): Promise<ReproducedRow[]> {
  const needs = new Map<string, Need>();
  for (const row of options.rows) for (const n of row.needs) needs.set(needKey(n), n);
  const cells: Cell[] = [...needs.entries()].map(([id, n]) => ({ id, labels: { run: id }, config: runConfig.parse(needConfig(n)) }));
  const results = new Map<string, Record<string, unknown>>();
  let shown = 0;
  const onRun = (done: number) => options.onRun?.((shown = Math.max(shown, done)), cells.length);
  await runCells(cells, options.workers ?? Math.min(cells.length, availableParallelism()), (cell, summary) => {
    results.set(cell.id, summary);
    onRun(results.size);
  }, options.onRun && onRun);
  return options.rows.map((row) => {
    const simulated = row.compute(results as Results);
    const [lo, hi] = row.band;
    return {
      id: row.id, claim: row.claim, source: row.source, published: row.published,
      simulated: Number(simulated.toPrecision(4)), unit: row.unit,
      ratio: Number((simulated / row.published).toFixed(3)),
      band: `${fmt(lo)}–${fmt(hi)} ${row.unit}`, bandLow: lo, bandHigh: hi,
      within: simulated >= lo && simulated <= hi,
      note: row.note,
      runs: row.needs.map((n) => runFigures(needKey(n), results.get(needKey(n))!)),
    };
  });
}

export function reproduceMarkdown(rows: ReproducedRow[]): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const lines = [
    '| id | claim | source | published | simulated | ratio | band | within |',
    '|---|---|---|---:|---:|---:|---|---|',
    ...rows.map((r) => `| ${r.id} | ${esc(r.claim)} | ${esc(r.source)} | ${fmt(r.published)} ${r.unit} | ${fmt(r.simulated)} ${r.unit} | ${r.ratio} | ${r.band} | ${r.within ? 'yes' : '**no**'} |`),
    '',
    'How each row was run:',
    '',
    ...rows.map((r) => `- \`${r.id}\`: ${r.note}.`),
    '',
  ];
  // Every simulation once, in the order the rows first need it.
  const runs = new Map<string, RunFigures>();
  for (const r of rows) for (const f of r.runs) if (!runs.has(f.run)) runs.set(f.run, f);
  if (runs.size > 0) {
    lines.push(
      'The simulations behind the rows (set-up/workload; hit ratios of block reads):',
      '',
      '| run | records/s | memory hit | local-disk hit | DFS reads |',
      '|---|---:|---:|---:|---:|',
      ...[...runs.values()].map((f) => `| ${f.run} | ${Math.round(f.recordsPerSecond).toLocaleString('en')} | ${f.memoryHit.toFixed(3)} | ${f.localHit.toFixed(3)} | ${f.dfsReads.toLocaleString('en')} |`),
      '',
    );
  }
  return lines.join('\n');
}

export async function writeReproduction(out: string, rows: ReproducedRow[]): Promise<string[]> {
  mkdirSync(join(out, 'charts'), { recursive: true });
  const spec = reproduceChart(rows);
  const svg = await renderSvg(spec);
  const files: [string, string | Uint8Array][] = [
    ['reproduce.csv', toCsv(rows.map((r) => ({ ...r, within: r.within ? 'yes' : 'no' })), [...CSV_COLUMNS])],
    ['reproduce.md', `# tiersim reproduce\n\n${reproduceMarkdown(rows)}`],
    ['charts/reproduce.vl.json', JSON.stringify(spec, null, 2) + '\n'],
    ['charts/reproduce.svg', svg],
    ['charts/reproduce.png', svgToPng(svg)],
  ];
  for (const [name, data] of files) writeFileAtomic(join(out, name), data);
  return files.map(([name]) => join(out, name));
}
