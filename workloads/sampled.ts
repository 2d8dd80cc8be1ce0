/**
 * Spatial sampling (SHARDS, Waldspurger et al., FAST '15; miniature simulation,
 * USENIX ATC '17): a workload decorator that keeps the state operations on a hashed
 * subset of the keys, `rate` of them, and drops the rest. The run then simulates a
 * store holding `rate` of the state with caches scaled by the same rate (see
 * scripts/lib/sample.ts), whose hit ratios and latencies approximate the full run's.
 *
 * - A key is in the sample when a 32-bit hash of it (its own mixer, independent of the
 *   bloom filters' and the workloads' hashes) lies below rate · 2^32: the same keys in
 *   the load, the warm-up, the run and every slot.
 * - A record keeps the operations on sampled keys, in their order, and the share of its
 *   CPU work those operations are of its operations; a record left with none is
 *   dropped. A record without state operations is kept with probability `rate` (by a
 *   hash of its number).
 * - Heavy hitters: a key hashed into (or out of) the sample takes all its operations
 *   with it, and under a skewed distribution a few keys carry percents of all
 *   operations (YCSB's scrambled zipfian gives its top key 3.8%), so the sample would
 *   hinge on whether they fall in. Keys given as `heavy` (findHeavyKeys: those so hot
 *   they stay cached even at a 1/rate of their frequency) are always in the store and
 *   keep each of their operations with probability `rate` (temporal sampling), so
 *   they take their share of the sampled stream.
 * - The run's bounds (--records, --ops, --warmup) count the full stream: `budget()`
 *   sets how many of the inner workload's records and operations to consume before
 *   next() reports the end, so a sampled run covers the same stretch of the workload.
 */
import { IdTable } from '../sim/id-table.ts';
import { RecordBuf, type OpType, type Workload } from '../sim/workload.ts';

/** The sampling hash of a key below 2^53: both 32-bit halves through a murmur3-style finalizer. */
export function sampleHash(key: number): number {
  const lo = key >>> 0;
  const hi = (key / 4294967296) >>> 0;
  let h = Math.imul(lo ^ 0x2545f491, 0x9e3779b1) ^ Math.imul(hi ^ 0x6a09e667, 0x85ebca77);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  h = Math.imul(h, 0x297a2d39);
  h ^= h >>> 15;
  return h >>> 0;
}

/** Whether a key is in the sample of this rate. */
export function inSample(key: number, rate: number): boolean {
  return sampleHash(key) < rate * 4294967296;
}

export class SampledWorkload implements Workload {
  readonly name: string;
  readonly keyBytes: number;
  private readonly threshold: number;
  private readonly inner = new RecordBuf();
  private recordsLeft = Infinity;
  private opsLeft = Infinity;
  /** Records and operations of the inner workload consumed by next() since the last budget(). */
  innerRecords = 0;
  innerOps = 0;
  /** Records without state operations seen, for sampling them. */
  private bare = 0;
  /** Operations on heavy keys seen, for thinning them. */
  private heavySeen = 0;
  private readonly heavy: IdTable;
  readonly nextLoad?: (rec: RecordBuf) => boolean;
  readonly loadProgress?: () => number;
  readonly streamProgress?: () => number;

  constructor(private readonly workload: Workload, readonly rate: number, heavy: Iterable<number> = []) {
    if (!(rate > 0 && rate <= 1)) throw new RangeError(`sample rate ${rate} is outside (0, 1]`);
    this.name = workload.name;
    this.keyBytes = workload.keyBytes;
    this.threshold = rate * 4294967296;
    this.heavy = new IdTable(16);
    for (const k of heavy) this.heavy.set(k, 1);
    if (workload.nextLoad) this.nextLoad = (rec) => this.pull(rec, true);
    if (workload.loadProgress) this.loadProgress = () => workload.loadProgress!();
    if (workload.streamProgress) this.streamProgress = () => workload.streamProgress!();
  }

  /** Heavy keys given. */
  get heavyKeys(): number { return this.heavy.size; }

  /** Whether the load keeps a key: a sampled or heavy one. */
  keepsLoaded(key: number): boolean {
    return sampleHash(key) < this.threshold || (this.heavy.size > 0 && this.heavy.get(key) >= 0);
  }

  /** Whether operation i of src stays: by key hash, or for a heavy key by a coin (always, when loading). */
  private keeps(src: RecordBuf, i: number, load: boolean): boolean {
    const key = src.keys[i]!;
    if (this.heavy.size > 0 && this.heavy.get(key) >= 0) return load || sampleHash(this.heavySeen++) < this.threshold;
    return sampleHash(key) < this.threshold;
  }

  /** The stretch of the inner workload the following next() calls may consume (counted afresh). */
  budget(records: number, ops: number): void {
    this.recordsLeft = records;
    this.opsLeft = ops;
    this.innerRecords = 0;
    this.innerOps = 0;
  }

  next(rec: RecordBuf): boolean {
    return this.pull(rec, false);
  }

  describe(): Record<string, unknown> {
    return this.workload.describe();
  }

  /** The next inner record with a sampled operation, filtered into rec. */
  private pull(rec: RecordBuf, load: boolean): boolean {
    const src = this.inner;
    for (;;) {
      if (!load && (this.recordsLeft <= 0 || this.opsLeft <= 0)) return false;
      if (!(load ? this.workload.nextLoad!(src) : this.workload.next(src))) return false;
      if (!load) {
        this.recordsLeft--;
        this.opsLeft -= src.count;
        this.innerRecords++;
        this.innerOps += src.count;
      }
      if (src.count === 0) {
        if (sampleHash(this.bare++) >= this.threshold) continue;
        rec.reset(src.cpuUs);
        rec.timeUs = src.timeUs;
        return true;
      }
      let kept = 0;
      for (let i = 0; i < src.count; i++) {
        if (!this.keeps(src, i, load)) continue;
        if (kept === 0) rec.reset(0);
        rec.push(src.types[i] as OpType, src.keys[i]!, src.sizes[i]!, src.tokens[i]!);
        kept++;
      }
      if (kept === 0) continue;
      rec.cpuUs = kept === src.count ? src.cpuUs : (src.cpuUs * kept) / src.count;
      rec.timeUs = src.timeUs;
      return true;
    }
  }
}

/**
 * The keys that carry at least `share` of the operations among the first records of a
 * workload (at most `records` records and `ops` operations; the run's own stream when
 * the workload is a fresh instance with the run's seed). Misra–Gries with 2/share
 * counters finds every such key; a count is kept when it reaches share · ops − ops/k
 * (the sketch's undercount) and at least 16.
 */
export function findHeavyKeys(workload: Workload, records: number, ops: number, share: number): number[] {
  const k = Math.ceil(2 / share);
  const counts = new Map<number, number>();
  const rec = new RecordBuf();
  let seen = 0;
  for (let r = 0; r < records && seen < ops && workload.next(rec); r++) {
    for (let i = 0; i < rec.count; i++) {
      seen++;
      const key = rec.keys[i]!;
      const c = counts.get(key);
      if (c !== undefined) counts.set(key, c + 1);
      else if (counts.size < k) counts.set(key, 1);
      else for (const [other, n] of counts) { if (n === 1) counts.delete(other); else counts.set(other, n - 1); }
    }
  }
  const floor = Math.max(16, share * seen - seen / (k + 1));
  const heavy: number[] = [];
  for (const [key, n] of counts) if (n >= floor) heavy.push(key);
  return heavy.sort((a, b) => a - b);
}

/**
 * The share of the loaded bytes (keys and values) that a sample of this rate keeps
 * (heavy keys included): about the rate, off by the hashing's chance. undefined when
 * the workload loads nothing.
 */
export function loadFraction(workload: Workload, rate: number, heavy: Iterable<number> = []): number | undefined {
  if (!workload.nextLoad) return undefined;
  const sampled = new SampledWorkload(workload, rate, heavy);
  const rec = new RecordBuf();
  let total = 0;
  let kept = 0;
  // Every load record, seen through the sampler's own rule.
  while (workload.nextLoad(rec)) {
    for (let i = 0; i < rec.count; i++) {
      const bytes = workload.keyBytes + rec.sizes[i]!;
      total += bytes;
      if (sampled.keepsLoaded(rec.keys[i]!)) kept += bytes;
    }
  }
  return total > 0 ? kept / total : undefined;
}
