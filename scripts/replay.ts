/**
 * Cache-only trace replay: every (eviction algorithm × cache size) pair over one block
 * trace, in one streaming pass. Each batch of requests goes through the caches one
 * after the other, so a trace is read once however many caches there are, and each
 * cache's own time is measured per batch (no clock read per request).
 *
 * Like libCacheSim's cachesim: requests of size 0 are skipped; a miss is inserted
 * unless the algorithm refuses it (larger than the cache, or its own rule); miss ratio
 * counts requests, byte miss ratio counts requested bytes. In formats other than
 * oracleGeneral an object keeps the size of its first request, as libCacheSim's
 * traceConv does when it writes oracleGeneral traces (remove_size_change), so the same
 * trace in vscsi, csv or oracleGeneral replays the same; oracleGeneral sizes are
 * taken as written (as cachesim does). keepSizeChanges overrides either way.
 *
 * A size below 1 (e.g. 0.01) is that fraction of the working set, the bytes of all
 * distinct objects, found by a first pass. Belady needs each request's next access:
 * oracleGeneral records carry it; for other formats the first pass computes it,
 * holding 8 bytes per request in memory.
 */
import { basename, join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { InputError } from '../sim/errors.ts';
import { parseSize } from '../sim/units.ts';
import { IdTable } from '../sim/id-table.ts';
import { EVICTION_ALGORITHMS, evictionAlgorithmName, makeEvictionCache } from '../policies/eviction/registry.ts';
import { accessLoop, type AccessLoop } from '../policies/eviction/access-loop.ts';
import { isOracle, type EvictionCache, type EvictionOptions, type OracleEvictionCache } from '../policies/eviction/types.ts';
import { newBatch, type TraceBatch, type TraceReader } from '../workloads/traces/batch.ts';
import { openTrace } from '../workloads/traces/formats.ts';
import { writeFileAtomic } from '../reports/atomic.ts';
import { ReplayClock } from './lib/replay-clock.ts';

export interface ReplayConfig {
  trace: string;
  /** oracleGeneral, vscsi, csv or txt; undefined: from the file name. */
  format?: string;
  /** Algorithm names (registry names, any case). */
  policies: string[];
  /** Cache sizes as the user wrote them: 16MiB, 1GiB, 4096, or a fraction of the working set like 0.01. */
  sizes: string[];
  /** libCacheSim-style reader parameters for csv (and obj-id-is-num for txt). */
  csv?: string;
  keepSizeChanges?: boolean;
  /**
   * As cachesim's --warmup-sec, in the trace's time unit (seconds for oracleGeneral and
   * vscsi) from its first request: requests up to then warm the caches uncounted.
   */
  warmup?: number;
  /** As cachesim's --report-interval: a miss-ratio report per this much trace time after the warm-up. */
  interval?: number;
  /** The algorithms' options, as cachesim's `-e`: "segments=8" or "smallRatio=0.2,moveToMainThreshold=2"; every policy named must know every key. */
  params?: string;
  /**
   * Spatial sampling (SHARDS): replay only the objects whose id hashes below this share,
   * with byte cache sizes scaled by it; miss ratios estimate the full trace's.
   */
  sample?: number;
  batchSize?: number;
  /** Called after each batch with the share of the work done, 0..1. */
  onProgress?: (done: number) => void;
}

export interface ReplayRow {
  trace: string;
  policy: string;
  /** The size as the user wrote it. */
  size: string;
  cacheSizeBytes: number;
  requests: number;
  misses: number;
  missRatio: number;
  requestBytes: number;
  byteMisses: number;
  byteMissRatio: number;
  /** Wall time spent in this cache. */
  wallSeconds: number;
  /** With an interval: the counts so far at each report (trace time from the first request). */
  intervals?: ReplayInterval[];
}

export interface ReplayInterval {
  time: number;
  requests: number;
  requestBytes: number;
  misses: number;
  byteMisses: number;
}

export interface ReplayReport {
  rows: ReplayRow[];
  requests: number;
  /** Requests of size 0, skipped. */
  skippedZeroSize: number;
  /** Lookups marked no_insert (RocksDB traces), replayed without inserting on a miss. */
  noInsertRequests: number;
  /** Set when the trace's own next-access times proved wrong (why) and Belady ran on ones computed from its requests. */
  nextAccessRecomputed?: string;
  /** Distinct objects and their bytes, when a first pass ran. */
  workingSet?: { objects: number; bytes: number };
  wallSeconds: number;
}

interface SizeSpec {
  label: string;
  bytes?: number;
  fraction?: number;
  /** From `--size auto`: run only when the cache holds at least 100 average objects (as cachesim). */
  auto?: boolean;
}

/** libCacheSim's `cachesim ... auto` sizes: these shares of the working set's bytes. */
export const AUTO_FRACTIONS = [0.001, 0.003, 0.01, 0.03, 0.1, 0.2, 0.4, 0.8];

/** --policy as a list: `all` is every algorithm in the registry. */
export function policyList(values: string | string[] | undefined): string[] {
  return splitList(values).flatMap((p) => (p.trim().toLowerCase() === 'all' ? Object.keys(EVICTION_ALGORITHMS) : [p]));
}

/** `--params` → the options every algorithm is built with: numbers by name. */
export function parseParams(text: string | undefined): EvictionOptions | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const options: Record<string, number> = {};
  for (const pair of text.split(',')) {
    const m = /^\s*([A-Za-z][\w-]*)\s*=\s*(\S+)\s*$/.exec(pair);
    const value = m ? Number(m[2]) : NaN;
    if (!m || !Number.isFinite(value)) throw new InputError(`--params: '${pair.trim()}' is not key=number (e.g. segments=8,windowRatio=0.1)`);
    options[m[1]!] = value;
  }
  return options;
}

/** A result row's policy: the algorithm, with the options it ran with, e.g. slru(segments=8). */
export function policyLabel(name: string, params: string | undefined): string {
  const options = parseParams(params);
  return options ? `${name}(${Object.entries(options).map(([k, v]) => `${k}=${v}`).join(',')})` : name;
}

/** --size as a list: `auto` is auto:F for each of AUTO_FRACTIONS. */
export function sizeList(values: string | string[] | undefined): string[] {
  return splitList(values).flatMap((s) => (s.trim().toLowerCase() === 'auto' ? AUTO_FRACTIONS.map((f) => `auto:${f}`) : [s]));
}

/** "16MiB", "4096" → bytes; "0.01" (below 1) or "1%", "150%" → a fraction of the working set; "auto:0.01" → one of `--size auto`'s. */
export function parseCacheSize(text: string): SizeSpec {
  const label = text.trim();
  const auto = /^auto:(0?\.\d+)$/i.exec(label);
  if (auto) return { label, fraction: Number(auto[1]), auto: true };
  const percent = /^(\d+\.?\d*|\.\d+)%$/.exec(label);
  if (percent || (/^(\d*\.\d+|0)$/.test(label) && Number(label) < 1)) {
    const fraction = percent ? Number(percent[1]) / 100 : Number(label);
    if (!(fraction > 0)) throw new InputError(`--size: '${text}' must be > 0`);
    return { label, fraction };
  }
  const bytes = parseSize(label, '--size');
  if (bytes <= 0) throw new InputError(`--size: '${text}' must be > 0`);
  return { label, bytes };
}

/** Splits repeated and comma-separated list options: ["lru,fifo", "arc"] → [lru, fifo, arc]. */
export function splitList(values: string | string[] | undefined): string[] {
  const list = Array.isArray(values) ? values : values === undefined ? [] : [values];
  return list.flatMap((v) => String(v).split(',')).map((v) => v.trim()).filter((v) => v !== '');
}

/** Each object keeps the size of its first request. */
class FirstSizes {
  private readonly index = new IdTable(1 << 16);
  private sizes = new Float64Array(1 << 16);
  private n = 0;

  apply(batch: TraceBatch): void {
    const ids = batch.id;
    const sizes = batch.size;
    for (let i = 0; i < batch.n; i++) {
      const s = this.index.get(ids[i]!);
      if (s >= 0) {
        sizes[i] = this.sizes[s]!;
      } else {
        if (this.n === this.sizes.length) {
          const bigger = new Float64Array(this.n * 2);
          bigger.set(this.sizes);
          this.sizes = bigger;
        }
        this.sizes[this.n] = sizes[i]!;
        this.index.set(ids[i]!, this.n++);
      }
    }
  }
}

/** Drops requests of size 0 from the batch (libCacheSim's readers skip them); returns how many. */
/** A 32-bit hash of an object id (below 2^53), independent of the caches' own indexes. */
function idHash(id: number): number {
  let h = Math.imul((id >>> 0) ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(Math.floor(id / 4294967296) | 0, 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return h >>> 0;
}

function sampleThreshold(config: ReplayConfig): number {
  return config.sample === undefined || config.sample >= 1 ? ALL : Math.floor(config.sample * ALL);
}

/** What filterBatch dropped and saw. */
interface FilterCounts {
  /** Requests of size 0 (skipped, as libCacheSim does). */
  zeroSize: number;
  /** Requests and bytes of non-zero size, before sampling. */
  requests: number;
  bytes: number;
}

const ALL = 4294967296;

/**
 * Drops, in place, requests of size 0 and — when `threshold` < 2^32 — requests of
 * objects whose id hashes at or above it (not in the sample).
 */
function filterBatch(batch: TraceBatch, threshold: number, counts: FilterCounts, noInsert?: Uint8Array): void {
  const { id, size, time, nextAccess } = batch;
  let k = 0;
  for (let i = 0; i < batch.n; i++) {
    const sz = size[i]!;
    if (sz === 0) { counts.zeroSize++; continue; }
    counts.requests++;
    counts.bytes += sz;
    if (threshold < ALL && idHash(id[i]!) >= threshold) continue;
    if (k !== i) {
      id[k] = id[i]!;
      size[k] = sz;
      time[k] = time[i]!;
      nextAccess[k] = nextAccess[i]!;
      if (noInsert) noInsert[k] = noInsert[i]!;
    }
    k++;
  }
  batch.n = k;
}

interface Run {
  row: ReplayRow;
  cache: EvictionCache;
  oracle: OracleEvictionCache | undefined;
  loop: AccessLoop;
}

export function replayTrace(config: ReplayConfig): ReplayReport {
  const started = performance.now();
  const policies = policyList(config.policies).map(evictionAlgorithmName);
  const sizes = sizeList(config.sizes).map(parseCacheSize);
  if (policies.length === 0) throw new InputError('--policy: name at least one eviction algorithm');
  // Options every algorithm knows, checked before the trace is read.
  const options = parseParams(config.params);
  for (const policy of policies) makeEvictionCache(policy, 0, options);
  if (sizes.length === 0) throw new InputError('--size: give at least one cache size');
  if (config.sample !== undefined && !(config.sample > 0 && config.sample <= 1)) throw new InputError(`--sample: ${config.sample} must be in (0, 1]`);
  if (config.warmup !== undefined && !(config.warmup >= 0 && Number.isFinite(config.warmup))) throw new InputError(`--warmup: ${config.warmup} must be a time >= 0 (the trace's unit)`);
  if (config.interval !== undefined && !(config.interval > 0 && Number.isFinite(config.interval))) throw new InputError(`--interval: ${config.interval} must be a time > 0 (the trace's unit)`);
  if (config.sample !== undefined && (config.warmup !== undefined || config.interval !== undefined)) {
    throw new InputError('--sample with --warmup or --interval: a sample\'s miss ratios are corrected over the whole trace; use one or the other');
  }
  const reader = openTrace(config.trace, config.format, config.csv === undefined ? {} : { csv: config.csv });
  // oracleGeneral files are written with sizes already made constant (traceConv), and
  // cachesim takes them as they are: so does tiersim, without a lookup per request.
  const keepSizeChanges = config.keepSizeChanges ?? reader.format === 'oracleGeneral';
  try {
    try {
      return run(reader, { ...config, keepSizeChanges }, policies, sizes, started, false);
    } catch (err) {
      if (!(err instanceof NextAccessMismatch)) throw err;
      // Belady needs true next accesses: computed from the requests, in a first pass.
      reader.rewind();
      return { ...run(reader, { ...config, keepSizeChanges }, policies, sizes, started, true), nextAccessRecomputed: err.message };
    }
  } finally {
    reader.close();
  }
}

/** The first pass: the working set and, for Belady, every request's next access (0-based). */
function firstPass(reader: TraceReader, config: ReplayConfig, needNext: boolean, progress: (f: number) => void) {
  const batch = newBatch(config.batchSize);
  const seen = new IdTable(1 << 16); // id -> its last request (or 0 when only counting)
  const normalize = config.keepSizeChanges ? undefined : new FirstSizes();
  let objects = 0;
  let bytes = 0;
  let request = 0;
  let next = new Float64Array(needNext ? 1 << 16 : 0);
  const threshold = sampleThreshold(config);
  const counts: FilterCounts = { zeroSize: 0, requests: 0, bytes: 0 };
  while (reader.read(batch) > 0) {
    filterBatch(batch, threshold, counts);
    normalize?.apply(batch);
    for (let i = 0; i < batch.n; i++, request++) {
      const id = batch.id[i]!;
      const last = seen.get(id);
      if (last < 0) {
        objects++;
        bytes += batch.size[i]!;
      }
      if (needNext) {
        if (request >= 0x7fffffff) throw new InputError(`${config.trace}: belady on more than 2^31 requests needs next-access times in the trace (oracleGeneral, or csv next-access-col)`);
        if (request === next.length) {
          const bigger = new Float64Array(next.length * 2);
          bigger.set(next);
          next = bigger;
        }
        next[request] = Infinity;
        if (last >= 0) next[last] = request;
        seen.set(id, request);
      } else if (last < 0) {
        seen.set(id, 0);
      }
    }
    progress(reader.bytesRead / Math.max(1, reader.totalBytes));
  }
  return { workingSet: { objects, bytes }, nextAccess: needNext ? next : undefined };
}

/** The trace's next-access times contradict its requests (e.g. all -1, as some writers leave them). */
class NextAccessMismatch extends Error {
  constructor(readonly id: number) {
    super(`object ${id} is requested again after a next access of -1 (none)`);
  }
}

/**
 * Requests [from, to) of the batch through one run's cache; misses and missed bytes
 * to out[0] and out[1]. `noInsert`: RocksDB's flags, when the segment has any: a
 * flagged lookup that misses inserts nothing (as RocksDB's cache simulator).
 */
function play(r: Run, batch: TraceBatch, next: Float64Array, noInsert: Uint8Array | undefined, from: number, to: number, out: Float64Array): void {
  const cache = r.cache;
  const ids = batch.id;
  const sz = batch.size;
  if (noInsert || r.oracle) {
    let misses = 0;
    let byteMisses = 0;
    for (let i = from; i < to; i++) {
      if (r.oracle) {
        // An object the trace said would never be requested again, requested: its next-access times are wrong.
        if (r.oracle.nextAccessOf(ids[i]!) === Infinity) throw new NextAccessMismatch(ids[i]!);
        r.oracle.setNextAccess(next[i]!);
      }
      if (noInsert) {
        if (cache.find(ids[i]!)) continue;
        if (!noInsert[i]) cache.insert(ids[i]!, sz[i]!);
      } else if (cache.access(ids[i]!, sz[i]!)) continue;
      misses++;
      byteMisses += sz[i]!;
    }
    out[0] = misses;
    out[1] = byteMisses;
  } else if (from === 0 && to === batch.n) {
    r.loop(cache, ids, sz, to, out);
  } else {
    r.loop(cache, ids.subarray(from, to), sz.subarray(from, to), to - from, out);
  }
}

function run(reader: TraceReader, config: ReplayConfig, policies: string[], sizes: SizeSpec[], started: number, recomputeNext: boolean): ReplayReport {
  const needWorkingSet = sizes.some((s) => s.fraction !== undefined);
  // A sampled trace's next accesses are its own, not the file's.
  const needNext = policies.includes('belady') && (!reader.hasNextAccess || config.sample !== undefined || recomputeNext);
  const passes = needWorkingSet || needNext ? 2 : 1;
  let passesDone = 0;
  const progress = (f: number) => config.onProgress?.((passesDone + f) / passes);

  let workingSet: ReplayReport['workingSet'];
  let nextAccess: Float64Array | undefined;
  if (passes === 2) {
    ({ workingSet, nextAccess } = firstPass(reader, config, needNext, progress));
    reader.rewind();
    passesDone = 1;
  }

  const traceName = basename(config.trace);
  // `--size auto`'s shares run only where the cache holds 100 average objects or more (cachesim's rule).
  const kept = sizes.filter((s) => !s.auto || Math.floor(workingSet!.objects * s.fraction!) >= 100);
  if (kept.length === 0) throw new InputError(`${config.trace}: --size auto: the working set (${workingSet!.objects} objects) is too small for a cache of 100 objects at ${AUTO_FRACTIONS.at(-1)} of it`);
  const runs: Run[] = [];
  for (const policy of policies) {
    for (const size of kept) {
      // A fraction is of the (sampled) working set; bytes scale with the sample.
      const capacity = size.bytes !== undefined ? Math.floor(size.bytes * (config.sample ?? 1)) : Math.floor(size.fraction! * workingSet!.bytes);
      const cache = makeEvictionCache(policy, capacity, parseParams(config.params));
      runs.push({
        cache,
        oracle: isOracle(cache) ? cache : undefined,
        loop: accessLoop(cache),
        row: {
          trace: traceName, policy: policyLabel(policy, config.params), size: size.label, cacheSizeBytes: capacity,
          requests: 0, misses: 0, missRatio: 0, requestBytes: 0, byteMisses: 0, byteMissRatio: 0, wallSeconds: 0,
        },
      });
    }
  }

  const batch = newBatch(config.batchSize);
  const counted = new Float64Array(2);
  const normalize = config.keepSizeChanges ? undefined : new FirstSizes();
  const clock = config.warmup !== undefined || config.interval !== undefined ? new ReplayClock(config.warmup ?? -1, config.interval) : undefined;
  let requests = 0; // read, warm-up included: the index into nextAccess
  let measured = 0; // counted: after the warm-up
  let requestBytes = 0;
  const threshold = sampleThreshold(config);
  // Requests and bytes before sampling, for SHARDS-adj's correction below.
  const counts: FilterCounts = { zeroSize: 0, requests: 0, bytes: 0 };
  let noInsertRequests = 0;
  while (reader.read(batch) > 0) {
    const flags = reader.noInsert;
    filterBatch(batch, threshold, counts, flags);
    normalize?.apply(batch);
    const n = batch.n;
    const next = nextAccess ? nextAccess.subarray(requests, requests + n) : batch.nextAccess;
    if (clock) clock.cut(batch.time, n);
    const segments = clock ? clock.segments : 1;
    for (let k = 0; k < segments; k++) {
      const from = clock ? clock.start[k]! : 0;
      const to = clock ? clock.end[k]! : n;
      const isCounted = !clock || clock.counted[k] === 1;
      let bytes = 0;
      let lookupsOnly = 0;
      for (let i = from; i < to; i++) {
        bytes += batch.size[i]!;
        if (flags) lookupsOnly += flags[i]!;
      }
      if (isCounted) {
        measured += to - from;
        requestBytes += bytes;
        noInsertRequests += lookupsOnly;
      }
      for (const r of runs) {
        const t0 = performance.now();
        play(r, batch, next, lookupsOnly > 0 ? flags : undefined, from, to, counted);
        if (isCounted) {
          r.row.misses += counted[0]!;
          r.row.byteMisses += counted[1]!;
        }
        if (clock?.report[k]) {
          (r.row.intervals ??= []).push({ time: clock.reportTime[k]!, requests: measured, requestBytes, misses: r.row.misses, byteMisses: r.row.byteMisses });
        }
        // As cachesim's throughput, the warm-up's time is not counted.
        if (isCounted) r.row.wallSeconds += (performance.now() - t0) / 1000;
      }
    }
    requests += n;
    progress(reader.bytesRead / Math.max(1, reader.totalBytes));
  }
  const skippedZeroSize = counts.zeroSize;
  if (requests > 0 && measured === 0) throw new InputError(`${config.trace}: no requests after the warm-up (--warmup ${config.warmup} of the trace's time)`);
  if (requests === 0) {
    throw new InputError(config.sample !== undefined && counts.requests > 0
      ? `${config.trace}: no requests in a ${config.sample} sample (try a larger --sample)`
      : `${config.trace}: no requests (all have size 0)`);
  }

  // SHARDS-adj: a sample holds more or fewer requests than rate × all, mostly because
  // a heavy hitter fell in or out of it; the difference is counted as hits, so the
  // miss ratio is the sample's misses over rate × the trace's requests (and bytes).
  const sampled = threshold < ALL;
  const perRequests = sampled ? config.sample! * counts.requests : measured;
  const perBytes = sampled ? config.sample! * counts.bytes : requestBytes;
  for (const r of runs) {
    r.row.requests = measured;
    r.row.requestBytes = requestBytes;
    r.row.missRatio = Math.min(1, r.row.misses / perRequests);
    r.row.byteMissRatio = perBytes > 0 ? Math.min(1, r.row.byteMisses / perBytes) : 0;
  }
  return {
    rows: runs.map((r) => r.row),
    requests: measured,
    skippedZeroSize,
    noInsertRequests,
    ...(workingSet ? { workingSet } : {}),
    wallSeconds: (performance.now() - started) / 1000,
  };
}

/** `<policy> <size> requests=<n> missRatio=<x> byteMissRatio=<y> mqps=<z>` */
export function formatRow(row: ReplayRow): string {
  const mqps = row.wallSeconds > 0 ? row.requests / row.wallSeconds / 1e6 : 0;
  return `${row.policy} ${row.size} requests=${row.requests} missRatio=${row.missRatio.toFixed(4)} byteMissRatio=${row.byteMissRatio.toFixed(4)} mqps=${mqps.toFixed(2)}`;
}

/** With --interval: `<policy> <size> t=<time> requests=<n> missRatio=<cumulative> intervalMissRatio=<x>`, a line per report. */
export function formatIntervals(row: ReplayRow): string[] {
  let last: ReplayInterval = { time: 0, requests: 0, requestBytes: 0, misses: 0, byteMisses: 0 };
  return (row.intervals ?? []).map((p) => {
    const line = `${row.policy} ${row.size} t=${p.time} requests=${p.requests} missRatio=${(p.misses / p.requests).toFixed(4)} intervalMissRatio=${((p.misses - last.misses) / (p.requests - last.requests)).toFixed(4)}`;
    last = p;
    return line;
  });
}

export const INTERVAL_COLUMNS = ['trace', 'policy', 'cacheSizeBytes', 'time', 'requests', 'missRatio', 'byteMissRatio', 'intervalRequests', 'intervalMissRatio', 'intervalByteMissRatio'] as const;

/** One line per report of every row: the counts so far and those of the interval that ends there. */
export function intervalsCsv(rows: ReplayRow[]): string {
  const lines: (string | number)[][] = [];
  for (const r of rows) {
    let last: ReplayInterval = { time: 0, requests: 0, requestBytes: 0, misses: 0, byteMisses: 0 };
    for (const p of r.intervals ?? []) {
      const n = p.requests - last.requests;
      const bytes = p.requestBytes - last.requestBytes;
      lines.push([r.trace, r.policy, r.cacheSizeBytes, p.time, p.requests, p.misses / p.requests, p.byteMisses / p.requestBytes,
        n, (p.misses - last.misses) / n, bytes > 0 ? (p.byteMisses - last.byteMisses) / bytes : 0]);
      last = p;
    }
  }
  return stringify(lines, { header: true, columns: [...INTERVAL_COLUMNS] });
}

export const RESULT_COLUMNS = ['trace', 'policy', 'cacheSizeBytes', 'requests', 'misses', 'missRatio', 'byteMisses', 'byteMissRatio', 'wallSeconds'] as const;

export function resultsCsv(rows: ReplayRow[]): string {
  return stringify(rows.map((r) => RESULT_COLUMNS.map((c) => r[c])), { header: true, columns: [...RESULT_COLUMNS] });
}

/** Writes DIR/results.csv (and, with reports, DIR/intervals.csv) whole or not at all. */
export function writeResults(dir: string, rows: ReplayRow[]): string {
  const path = join(dir, 'results.csv');
  if (rows.some((r) => r.intervals)) writeFileAtomic(join(dir, 'intervals.csv'), intervalsCsv(rows));
  writeFileAtomic(path, resultsCsv(rows));
  return path;
}
