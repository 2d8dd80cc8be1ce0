/**
 * The grid of a sweep: a base run config and axes (workloads, placements, policies,
 * cache sizes, DFS presets, seeds, and any other config field by its dotted path),
 * expanded into cells. Every cell has a deterministic id — a readable prefix and a
 * short hash of its resolved config — so that a re-run finds what is done, and so that
 * shards on many machines agree on who runs what.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { InputError } from '../../sim/errors.ts';
import { formatBytes } from '../../sim/units.ts';
import { makePolicy } from '../../policies/registry.ts';
import { WORKLOADS } from '../../workloads/registry.ts';
import { parseWorkloadParams } from '../../workloads/common.ts';
import { cacheSizeField, parseStateShare, runConfig, type RunConfig, type StateShare } from './config.ts';
import { declaredStateBytes, shareBytes } from './cache-share.ts';
import { resolveDevice } from './devices.ts';
import { zodMessage } from './zod-message.ts';

const params = z.record(z.string(), z.unknown());
const label = z.string().regex(/^[A-Za-z0-9._=-]+$/, 'a label may use letters, digits and . _ = - only').optional();

/** Fields that have an axis of their own; `axes` may not name them. */
const NAMED_AXES: Record<string, string> = {
  workload: 'workloads', workloadParams: 'workloads', policy: 'policies', policyOptions: 'policies',
  cacheSize: 'cacheSizes', dfs: 'dfs', placement: 'placements', seed: 'seeds',
};

export const gridSchema = z.object({
  /** A partial run config: every cell starts from it. */
  base: params.default({}),
  workloads: z.array(z.union([
    z.string(),
    z.object({ name: z.string(), params: params.default({}), label }).strict(),
  ])).min(1).optional(),
  placements: z.array(z.enum(['disaggregated', 'local'])).min(1).optional(),
  policies: z.array(z.union([
    z.string(),
    z.object({ name: z.string(), options: params.default({}), label }).strict(),
  ])).min(1).optional(),
  cacheSizes: z.array(cacheSizeField).min(1).optional(),
  /** DFS presets (hdfs, oss, s3, ...) or paths of device files. */
  dfs: z.array(z.string()).min(1).optional(),
  seeds: z.array(z.number().int().nonnegative()).min(1).optional(),
  /** Any other run-config field by its dotted path: `{ "exec.mode": [sync, async] }`. */
  axes: z.record(z.string().regex(/^[A-Za-z]\w*(\.[A-Za-z]\w*)*$/, 'an axis is a dotted config path such as exec.mode'), z.array(z.unknown()).min(1)).default({}),
}).strict();

export type GridInput = z.input<typeof gridSchema>;
export type Grid = z.output<typeof gridSchema>;

/** One cell: its id, the value of each axis (for people and reports) and its resolved config. */
export interface Cell {
  id: string;
  labels: Record<string, string | number>;
  config: RunConfig;
}

export interface ExpandedGrid {
  grid: Grid;
  /** Sorted by id: cell k belongs to shard k mod n. */
  cells: Cell[];
}

/** Reads a grid file (JSON or YAML). */
export function readGridFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new InputError(`--grid: cannot read '${path}'`);
  }
  try {
    return path.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new InputError(`${path}: not valid ${path.endsWith('.json') ? 'JSON' : 'YAML'}: ${(err as Error).message.split('\n')[0]}`);
  }
}

/** JSON with object keys sorted at every level: the same config always gives the same text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_, v) => (v && typeof v === 'object' && !Array.isArray(v)
    ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, v[k]]))
    : v));
}

const HASH_CHARS = 12;
function hashOf(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, HASH_CHARS);
}
const safe = (s: string) => s.replace(/[^A-Za-z0-9._=-]+/g, '_');

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let o = target;
  for (const k of keys.slice(0, -1)) {
    const next = o[k];
    o = o[k] = next && typeof next === 'object' && !Array.isArray(next) ? { ...(next as Record<string, unknown>) } : {};
  }
  o[keys[keys.length - 1]!] = value;
}

function axisLabel(path: string, value: unknown): string {
  if (typeof value === 'string') return value;
  const last = path.split('.').pop()!;
  return `${last}${typeof value === 'object' ? hashOf(canonicalJson(value)).slice(0, 6) : String(value)}`;
}

/** Cartesian product of lists. */
function product<T>(lists: T[][]): T[][] {
  return lists.reduce<T[][]>((acc, list) => acc.flatMap((a) => list.map((x) => [...a, x])), [[]]);
}

/**
 * Validates a grid and expands it into cells. `where` names the grid (its file) in
 * messages. Every check that can fail on user input happens here, before anything is
 * written: the base config, each axis value, each workload's parameters, each policy's
 * options at each cache size, each DFS preset or file, and every cell's resolved config.
 */
export function expandGrid(data: unknown, where: string): ExpandedGrid {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new InputError(`${where}: expected a mapping (base, workloads, policies, cacheSizes, dfs, seeds, ...) at the top level`);
  const fail = (field: string, message: string): never => { throw new InputError(`${where}: ${field}: ${message}`); };
  const parsed = gridSchema.safeParse(data);
  if (!parsed.success) throw new InputError(`${where}: ${zodMessage(parsed.error)}`);
  const grid = parsed.data;

  const baseParsed = runConfig.safeParse(grid.base);
  if (!baseParsed.success) {
    const issue = baseParsed.error.issues[0]!;
    fail(['base', ...issue.path].join('.'), issue.message);
  }
  const base = baseParsed.data!;
  for (const path of Object.keys(grid.axes)) {
    const root = path.split('.')[0]!;
    if (NAMED_AXES[root]) fail(`axes.${path}`, `use the ${NAMED_AXES[root]} axis`);
    if (!(root in runConfig.shape)) fail(`axes.${path}`, `'${root}' is not a run config field`);
  }

  // Each axis: its values, with labels for the cell id. An omitted axis is the base's value.
  const baseParams = grid.base.workloadParams as Record<string, unknown> | undefined ?? {};
  const workloads = (grid.workloads ?? [base.workload]).map((w, i) => {
    const entry = typeof w === 'string' ? { name: w, params: {}, label: undefined } : w;
    const reg = Object.hasOwn(WORKLOADS, entry.name) ? WORKLOADS[entry.name] : undefined;
    if (!reg) fail(`workloads.${i}`, `unknown workload '${entry.name}' (known: ${Object.keys(WORKLOADS).join(', ')})`);
    const merged = { ...baseParams, ...entry.params };
    try {
      parseWorkloadParams(entry.name, reg!.params, merged);
    } catch (err) {
      if (err instanceof InputError) fail(`workloads.${i}`, err.message);
      throw err;
    }
    return { name: entry.name, params: merged, label: entry.label ?? entry.name };
  });
  const placements = grid.placements ?? [base.placement];
  const policies = (grid.policies ?? [base.policy]).map((p) => {
    const entry = typeof p === 'string' ? { name: p, options: {}, label: undefined } : p;
    return { name: entry.name.trim().toLowerCase(), options: { ...base.policyOptions, ...entry.options }, label: entry.label ?? entry.name.trim().toLowerCase() };
  });
  const sizes = grid.cacheSizes ?? [base.cacheSize];
  // Each workload's cache sizes in bytes: a share of the state ("40%") is of the state
  // that workload declares (cache-share.ts); the cell keeps the share, its labels and id
  // the bytes.
  const sizesOf = new Map(workloads.map((w) => {
    let state: number | undefined;
    return [w, sizes.map((given, j) => {
      if (typeof given === 'number') return given;
      const size = parseStateShare(given) as StateShare;
      try {
        state ??= declaredStateBytes(w.name, w.params, base.seed, `${grid.cacheSizes ? `cacheSizes.${j}` : 'base.cacheSize'} (${size.text})`);
      } catch (err) {
        if (err instanceof InputError) fail(`workloads.${workloads.indexOf(w)}`, err.message);
        throw err;
      }
      return shareBytes(size, state);
    })] as const;
  }));
  const dfsList = (grid.dfs ?? [base.dfs]).map((d, i) => {
    if (typeof d !== 'string') return { value: d, label: safe(d.name) };
    try {
      resolveDevice(d, grid.dfs ? `dfs.${i}` : 'base.dfs');
    } catch (err) {
      throw new InputError(`${where}: ${(err as Error).message}`);
    }
    return { value: d, label: safe(basename(d, extname(d))) };
  });
  const seeds = grid.seeds ?? [base.seed];

  // Policies are checked with their options at every cache size, where they will run.
  if (placements.includes('disaggregated')) {
    const checked = new Set<string>();
    policies.forEach((p, i) => workloads.forEach((w) => sizesOf.get(w)!.forEach((size, j) => {
      if (checked.has(`${i} ${size}`)) return;
      checked.add(`${i} ${size}`);
      try {
        makePolicy(p.name, p.name === 'none' ? p.options : { ...p.options, sizeLimit: p.options.sizeLimit ?? size });
      } catch (err) {
        if (!(err instanceof InputError)) throw err;
        // An error that depends on the size names it; one at the first size is the policy's own.
        const given = sizes[j]!;
        const at = typeof given === 'number' ? formatBytes(size) : `${formatBytes(size)}, ${given} of ${w.label}'s state`;
        fail(grid.policies ? `policies.${i}` : 'base.policy', `${err.message}${j > 0 || typeof given !== 'number' ? ` (at cache size ${at}, cacheSizes.${j})` : ''}`);
      }
    })));
  }

  // A policy's option defaults (policies/*.ts) are part of what a cell runs: a cell
  // whose policy changed a default is another cell, with another id.
  const resolvedOptions = new Map(placements.includes('disaggregated')
    ? policies.map((p) => [p, canonicalJson(makePolicy(p.name, p.options).options)]) : []);
  const noneOptions = canonicalJson(makePolicy('none').options);
  const extra = Object.entries(grid.axes);
  const cells = new Map<string, { cell: Cell; key: string }>();
  const sizeIndices = sizes.map((_, j) => j);
  for (const w of workloads) for (const placement of placements) for (const p of policies) for (const j of sizeIndices) for (const d of dfsList) for (const seed of seeds) for (const combo of product(extra.map(([, values]) => values))) {
    const given = sizes[j]!;
    const size = sizesOf.get(w)![j]!;
    const input: Record<string, unknown> = structuredClone(grid.base);
    Object.assign(input, { workload: w.name, workloadParams: w.params, placement, dfs: d.value, seed });
    // A local cell keeps every file on local disk: no cache policy, no cache size. It is one cell
    // per workload × DFS × seed (× other axes), whatever the policies and sizes.
    // Likewise policy `none` has no size: one cell whatever the cache sizes.
    const sized = placement !== 'local' && p.name !== 'none';
    if (placement === 'local') Object.assign(input, { policy: 'none', policyOptions: {}, cacheSize: 0 });
    else Object.assign(input, { policy: p.name, policyOptions: p.options, cacheSize: sized ? given : 0 });
    extra.forEach(([path], k) => setPath(input, path, combo[k]));
    const labels: Record<string, string | number> = { workload: w.label, placement, policy: placement === 'local' ? 'none' : p.label, cacheSize: sized ? size : 0, dfs: d.label, seed };
    extra.forEach(([path], k) => { labels[path] = axisLabel(path, combo[k]); });
    const middle = placement === 'local' ? ['local'] : sized ? [p.label, formatBytes(size).replace(' ', '')] : [p.label];
    const prefixParts = [w.label, ...middle, d.label, `s${seed}`, ...extra.map(([path], k) => axisLabel(path, combo[k]))];
    const prefix = safe(prefixParts.join('-')).slice(0, 100);
    const c = runConfig.safeParse(input);
    if (!c.success) fail(`cell ${prefix}`, zodMessage(c.error));
    const config = c.data!;
    // Checks the run assembly would make only when the cell runs.
    if (config.store.remoteCompaction && config.placement === 'local') {
      fail(`cell ${prefix}`, 'store.remoteCompaction needs placement disaggregated');
    }
    const key = `${canonicalJson(config)} ${placement === 'local' ? noneOptions : resolvedOptions.get(p)}`;
    const id = `${prefix}-${hashOf(key)}`;
    const seen = cells.get(id);
    if (seen && seen.key !== key) throw new Error(`cell id collision: ${id}`);
    if (!seen) cells.set(id, { cell: { id, labels, config }, key });
  }
  const sorted = [...cells.values()].map((c) => c.cell).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { grid, cells: sorted };
}

export interface Shard {
  index: number;
  count: number;
}

/** `i/n` with 0 <= i < n; `--shard $JOB_COMPLETION_INDEX/$N` and `$SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT`. */
export function parseShard(text: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || !(count >= 1) || !(index < count)) {
    throw new InputError(`--shard: '${text}' is not a shard i/n (whole numbers, 0 <= i < n, e.g. 0/4)`);
  }
  return { index, count };
}

/** The cells of shard i of n: cell k (in id order) belongs to shard k mod n. */
export function shardCells(cells: Cell[], shard: Shard): Cell[] {
  return cells.filter((_, k) => k % shard.count === shard.index);
}
