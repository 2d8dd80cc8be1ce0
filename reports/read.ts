/**
 * Reading results back for reports: a run directory (summary.json, timeline.csv),
 * and replay results (results.csv). Everything is checked as it is read; a file that
 * is missing a needed field or is not what it claims is an InputError naming the
 * file (and line, for CSV), so that a report is all or nothing.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { InputError } from '../sim/errors.ts';
import { zodMessage } from '../scripts/lib/zod-message.ts';

const num = z.number();
const cdfPoints = z.array(z.object({ latencyUs: num, fraction: num }));
const latency = z.looseObject({ p50: num, p90: num.optional(), p99: num, p999: num.optional(), max: num.optional(), mean: num.optional() });

/** The part of summary.json that reports read; other fields pass through. */
export const summarySchema = z.looseObject({
  workload: z.string(),
  policy: z.string(),
  placement: z.string().optional(),
  dfsDevice: z.string().optional(),
  cacheSizeBytes: num.optional(),
  /** A cache size given as a share of the workload's declared state. */
  cacheShareOfState: z.looseObject({ share: num, stateBytes: num }).optional(),
  seed: num.optional(),
  opsPerSecond: num,
  recordsPerSecond: num.optional(),
  simulatedSeconds: num.optional(),
  latencyUs: z.record(z.string(), latency).optional(),
  /** Optional: a measured CDF, one array for every op type ({get: [...]}) or one array. */
  latencyCdf: z.union([cdfPoints, z.record(z.string(), cdfPoints)]).optional(),
  hitRatio: z.looseObject({ memory: num.optional(), localDisk: num.optional(), overall: num.optional() }).optional(),
  dfs: z.looseObject({ reads: num.optional(), writes: num.optional(), bytesRead: num.optional(), costUsd: num.optional() }).optional(),
  cpu: z.looseObject({ cpuUsPerOp: num.optional() }).optional(),
  checkpoint: z.looseObject({ count: num.optional(), durationSeconds: z.looseObject({ p50: num, max: num }) }).optional(),
  restore: z.looseObject({ atSeconds: num.optional(), durationSeconds: num }).optional(),
  sourceRate: z.looseObject({ recordsPerSecond: num, lateShare: num }).optional(),
});
export type Summary = z.infer<typeof summarySchema>;

/** One run as reports see it. */
export interface ReportRun {
  /** The name in legends and tables: a setup name, a sweep cell, a directory name. */
  name: string;
  summary: Record<string, unknown>;
  /** timeline.csv rows (one per simulated second); may be empty. */
  timeline: Record<string, number>[];
  /** The directory it was read from, when read. */
  source?: string;
  /** The experiment it belongs to (the input directory of `tiersim report`); cache-size curves join runs of one group only. */
  group?: string;
}

/** A run whose summary has been checked. */
export interface CheckedRun extends ReportRun {
  s: Summary;
}

/** One row of a replay's results.csv. */
export interface ReplayResult {
  trace: string;
  policy: string;
  cacheSizeBytes: number;
  requests: number;
  misses: number;
  missRatio: number;
  byteMisses: number;
  byteMissRatio: number;
  wallSeconds: number;
  source?: string;
  /** From intervals.csv beside results.csv (replay --interval): the miss ratio of each interval, by the trace time it ends at. */
  intervals?: { time: number; missRatio: number }[];
}

/** Checks a summary; `where` names it in the message. */
export function checkSummary(summary: unknown, where: string): Summary {
  const r = summarySchema.safeParse(summary);
  if (!r.success) throw new InputError(`${where}: ${zodMessage(r.error)}`);
  return r.data;
}

export function checkRun(run: ReportRun): CheckedRun {
  return { ...run, s: checkSummary(run.summary, run.source ? join(run.source, 'summary.json') : `run '${run.name}'`) };
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new InputError(`${path}: cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}

export function readSummary(path: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(readText(path));
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(`${path}: not valid JSON (${(err as Error).message.split('\n')[0]})`);
  }
  checkSummary(value, path);
  return value as Record<string, unknown>;
}

/** CSV text → records, with a one-line error naming the file and line. */
function parseCsv(text: string, path: string): Record<string, string>[] {
  try {
    return parse(text, { columns: true, skip_empty_lines: true, trim: true }) as Record<string, string>[];
  } catch (err) {
    const e = err as Error & { lines?: number };
    throw new InputError(`${path}${e.lines ? `: line ${e.lines}` : ''}: not valid CSV (${e.message.split('\n')[0]})`);
  }
}

/** timeline.csv: every cell a number. */
export function readTimeline(path: string): Record<string, number>[] {
  const rows = parseCsv(readText(path), path);
  return rows.map((row, i) => {
    const out: Record<string, number> = {};
    for (const [k, v] of Object.entries(row)) {
      const n = v === '' ? NaN : Number(v);
      if (!Number.isFinite(n)) throw new InputError(`${path}: line ${i + 2}: field '${k}' is not a number ('${v}')`);
      out[k] = n;
    }
    if (out.second === undefined) throw new InputError(`${path}: line ${i + 2}: no 'second' column`);
    return out;
  });
}

/** A run directory: summary.json and, if present, timeline.csv. */
export function readRunDir(dir: string, name = basename(dir)): ReportRun {
  const summary = readSummary(join(dir, 'summary.json'));
  const timelinePath = join(dir, 'timeline.csv');
  const timeline = existsSync(timelinePath) ? readTimeline(timelinePath) : [];
  return { name, summary, timeline, source: dir };
}

const NUMERIC = ['cacheSizeBytes', 'requests', 'misses', 'missRatio', 'byteMisses', 'byteMissRatio', 'wallSeconds'] as const;
const REQUIRED = ['policy', 'cacheSizeBytes', 'missRatio'] as const;

/** A replay's results.csv (scripts/replay.ts RESULT_COLUMNS). */
export function readReplayResults(path: string, source?: string): ReplayResult[] {
  const rows = parseCsv(readText(path), path);
  if (rows.length === 0) throw new InputError(`${path}: no result rows`);
  for (const c of REQUIRED) if (!(c in rows[0]!)) throw new InputError(`${path}: no '${c}' column`);
  const results = rows.map((row, i) => {
    const line = i + 2;
    const out: Record<string, unknown> = { trace: row.trace || 'trace', policy: row.policy };
    if (!row.policy) throw new InputError(`${path}: line ${line}: field 'policy' is empty`);
    for (const c of NUMERIC) {
      const v = row[c];
      if (v === undefined || v === '') {
        if ((REQUIRED as readonly string[]).includes(c)) throw new InputError(`${path}: line ${line}: field '${c}' is empty`);
        out[c] = NaN;
        continue;
      }
      const n = Number(v);
      if (!Number.isFinite(n)) throw new InputError(`${path}: line ${line}: field '${c}' is not a number ('${v}')`);
      out[c] = n;
    }
    if (!((out.cacheSizeBytes as number) > 0)) throw new InputError(`${path}: line ${line}: field 'cacheSizeBytes' must be > 0`);
    if (source !== undefined) out.source = source;
    return out as unknown as ReplayResult;
  });
  const intervalsPath = join(dirname(path), 'intervals.csv');
  if (existsSync(intervalsPath)) attachIntervals(results, intervalsPath);
  return results;
}

/** intervals.csv (scripts/replay.ts INTERVAL_COLUMNS): each line to its result row, by trace, policy and size. */
function attachIntervals(results: ReplayResult[], path: string): void {
  const key = (trace: string, policy: string, bytes: number) => `${trace}\u0000${policy}\u0000${bytes}`;
  const byKey = new Map(results.map((r) => [key(r.trace, r.policy, r.cacheSizeBytes), r]));
  parseCsv(readText(path), path).forEach((row, i) => {
    const time = Number(row.time);
    const missRatio = Number(row.intervalMissRatio);
    if (!Number.isFinite(time) || !Number.isFinite(missRatio)) throw new InputError(`${path}: line ${i + 2}: 'time' and 'intervalMissRatio' must be numbers`);
    const r = byKey.get(key(row.trace || 'trace', row.policy ?? '', Number(row.cacheSizeBytes)));
    if (!r) throw new InputError(`${path}: line ${i + 2}: no result in results.csv for ${row.policy} at ${row.cacheSizeBytes} bytes`);
    (r.intervals ??= []).push({ time, missRatio });
  });
}
