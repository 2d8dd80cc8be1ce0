/**
 * Phase-change workloads for the adaptive local cache: the access pattern changes
 * during the run, and a cache tuned to the first phase must follow.
 *
 * `phase-shift`: zipfian (or hotspot, or uniform) gets and puts, one per record, over
 * one region of `keys` keys at a time. The state is `regions` disjoint regions, all
 * loaded. After `shiftAtOps` operations the hot set moves to the next region (an
 * offset added to every key); with `shiftEveryOps` > 0 it moves again every that
 * many operations, region after region, round the regions. Regions are
 * `contiguous` (region r holds keys r·keys … (r+1)·keys − 1: the new hot set is in
 * other SST files) or `interleaved` (key k of region r is k·regions + r: the
 * regions share files, and with small values even blocks).
 *   keys 1,000,000 · regions 2 · shiftAtOps 500,000 · shiftEveryOps 0 (one shift) ·
 *   writeRatio 0.1 · distribution zipfian (YCSB's scrambled zipfian within the region)
 *   · zipfianConstant 0.99 · hotspotDataFraction 0.2 · hotspotOpnFraction 0.8 ·
 *   layout contiguous · valueBytes 1000 · keyBytes 16 · recordCpuUs 5 · load true
 *
 * `phase-grow`: the state grows by inserts until its logical size, keys ×
 * (keyBytes + valueBytes), passes `growToBytes`; then the records read (and, with
 * `writeRatio`, update) the grown key space. The point is a state that outgrows the
 * local disk during the run. While growing, a `growInsertRatio` share of records
 * insert the next key and the rest read existing keys. Key number n is the key
 * hashedKey(n) (insertOrder hashed: new keys spread over the key space and its SST
 * files) or n (ordered: new keys append at the end). Reads choose a key number:
 * zipfian over the numbers inserted so far, rank 0 being the oldest key (YCSB's
 * zipfian with an incrementally grown ζ, so the hot set stays put as the state grows),
 * uniform over them, or latest (the newest keys hottest, YCSB's skewed latest).
 *   growToBytes 4 GiB · initialKeys 100,000 (loaded) · growInsertRatio 0.5 ·
 *   writeRatio 0 · distribution zipfian · zipfianConstant 0.99 · insertOrder hashed ·
 *   valueBytes 1000 · keyBytes 16 · recordCpuUs 5
 *
 * Operations are counted as the workload hands them out, warm-up (--warmup) included.
 * Values carry tokenOf(key, version) so --verify checks every read.
 */
import { z } from 'zod';
import { OP_GET, OP_PUT, type RecordBuf, type Workload } from '../sim/workload.ts';
import { Rng } from '../sim/random.ts';
import { HotspotKeys, LatestKeys, ScrambledZipfianKeys, UniformKeys, zeta, type KeyChooser } from '../sim/key-choosers.ts';
import { tokenOf } from './kv.ts';
import { countField, hashedKey, parseWorkloadParams, sizeParam, thetaField, withWorkloadName } from './common.ts';

export const phaseShiftParams = z.object({
  /** Keys per region (the key space one phase reads). */
  keys: countField().default(1_000_000),
  /** Disjoint regions, all loaded; phase i reads region i mod regions. */
  regions: countField(1 << 20).min(2, { message: 'must be at least 2 (the hot set moves to another region)' }).default(2),
  /** Operations before the first shift. */
  shiftAtOps: countField(2 ** 52).default(500_000),
  /** After the first shift, shift again every this many operations; 0: only once. */
  shiftEveryOps: z.number().int().nonnegative().default(0),
  writeRatio: z.number().min(0).max(1).default(0.1),
  distribution: z.enum(['zipfian', 'hotspot', 'uniform']).default('zipfian'),
  zipfianConstant: thetaField.default(0.99),
  hotspotDataFraction: z.number().min(0).max(1).default(0.2),
  hotspotOpnFraction: z.number().min(0).max(1).default(0.8),
  layout: z.enum(['contiguous', 'interleaved']).default('contiguous'),
  valueBytes: countField(1 << 26).default(1000),
  keyBytes: countField(1 << 16).default(16),
  recordCpuUs: z.number().nonnegative().default(5),
  load: z.boolean().default(true),
}).strict();
export type PhaseShiftParams = z.input<typeof phaseShiftParams>;

export class PhaseShiftWorkload implements Workload {
  readonly name = 'phase-shift';
  readonly params: z.output<typeof phaseShiftParams>;
  readonly keyBytes: number;
  private readonly rng: Rng;
  private readonly chooser: KeyChooser;
  private readonly interleaved: boolean;
  private loaded = 0;
  private version = 0;
  /** Operations handed out so far. */
  ops = 0;
  /** The region the current phase reads. */
  region = 0;
  /** Operation count at which the next shift happens. */
  private nextShift: number;

  constructor(params: PhaseShiftParams, seed: number) {
    const p = this.params = parseWorkloadParams(this.name, phaseShiftParams, params);
    this.keyBytes = p.keyBytes;
    this.interleaved = p.layout === 'interleaved';
    this.rng = Rng.stream(seed, 'workload/phase-shift');
    this.nextShift = p.shiftAtOps;
    this.chooser = withWorkloadName(this.name, (): KeyChooser => {
      switch (p.distribution) {
        case 'uniform': return new UniformKeys(p.keys);
        case 'hotspot': return new HotspotKeys(p.keys, p.hotspotDataFraction, p.hotspotOpnFraction);
        case 'zipfian': return new ScrambledZipfianKeys(p.keys, p.zipfianConstant);
      }
    });
    if (!p.load) this.loaded = p.keys * p.regions;
  }

  /** Key k (0 ≤ k < keys) of region r. */
  keyOf(region: number, k: number): number {
    return this.interleaved ? k * this.params.regions + region : region * this.params.keys + k;
  }

  nextLoad(rec: RecordBuf): boolean {
    if (this.loaded >= this.params.keys * this.params.regions) return false;
    rec.reset(0);
    const i = this.loaded++;
    const key = this.keyOf(Math.floor(i / this.params.keys), i % this.params.keys);
    rec.push(OP_PUT, key, this.params.valueBytes, tokenOf(key, 0));
    return true;
  }

  loadProgress(): number { return this.loaded / (this.params.keys * this.params.regions); } // keys ≥ 1, regions ≥ 2

  next(rec: RecordBuf): boolean {
    if (this.ops >= this.nextShift) {
      this.region = (this.region + 1) % this.params.regions;
      this.nextShift = this.params.shiftEveryOps > 0 ? this.nextShift + this.params.shiftEveryOps : Infinity;
    }
    rec.reset(this.params.recordCpuUs);
    const key = this.keyOf(this.region, this.chooser.next(this.rng));
    if (this.rng.next() < this.params.writeRatio) rec.push(OP_PUT, key, this.params.valueBytes, tokenOf(key, ++this.version));
    else rec.push(OP_GET, key);
    this.ops++;
    return true;
  }

  /** Every region's keys: the load writes them all. */
  stateBytes(): number { return this.params.keys * this.params.regions * (this.keyBytes + this.params.valueBytes); }

  describe(): Record<string, unknown> {
    return { name: this.name, ...this.params };
  }
}

export const phaseGrowParams = z.object({
  /** Grow until keys × (keyBytes + valueBytes) reaches this (bytes, or text such as 4GiB). */
  growToBytes: sizeParam.default(4 * 2 ** 30),
  /** Keys loaded before the run. */
  initialKeys: z.number().int().nonnegative().default(100_000),
  /** While growing: the share of records that insert a new key (the rest read). */
  growInsertRatio: z.number().gt(0, { message: 'must be in (0, 1]: the state must grow' }).max(1).default(0.5),
  /** Share of reads that are updates (puts of an existing key), in both phases. */
  writeRatio: z.number().min(0).max(1).default(0),
  distribution: z.enum(['zipfian', 'uniform', 'latest']).default('zipfian'),
  zipfianConstant: thetaField.default(0.99),
  insertOrder: z.enum(['hashed', 'ordered']).default('hashed'),
  valueBytes: countField(1 << 26).default(1000),
  keyBytes: countField(1 << 16).default(16),
  recordCpuUs: z.number().nonnegative().default(5),
}).strict();
export type PhaseGrowParams = z.input<typeof phaseGrowParams>;

/**
 * YCSB's ZipfianGenerator with a growing item count: ζ(n, θ) is extended term by term
 * as n grows (YCSB does the same when nextLong gets a larger item count), so growing
 * costs one power per new item and allocates nothing. Rank 0 is item 0.
 */
export class GrowingZipfian {
  n = 0;
  zetan = 0;
  private eta = 0;
  private readonly alpha: number;
  private readonly zeta2: number;
  private readonly half: number;

  constructor(n: number, readonly theta: number) {
    this.alpha = 1 / (1 - theta);
    this.zeta2 = zeta(2, theta);
    this.half = 1 + Math.pow(0.5, theta);
    if (n > 0) {
      this.n = n;
      this.zetan = zeta(n, theta);
      this.updateEta();
    }
  }

  private updateEta(): void {
    this.eta = this.n > 1 ? (1 - Math.pow(2 / this.n, 1 - this.theta)) / (1 - this.zeta2 / this.zetan) : 0;
  }

  grow(n: number): void {
    if (n <= this.n) return;
    for (let i = this.n + 1; i <= n; i++) this.zetan += Math.pow(i, -this.theta);
    this.n = n;
    this.updateEta();
  }

  /** An item in [0, n), n ≥ 1. */
  next(rng: Rng): number {
    const u = rng.next();
    const uz = u * this.zetan;
    if (uz < 1 || this.n === 1) return 0;
    if (uz < this.half) return 1;
    const v = Math.floor(this.n * Math.pow(this.eta * u - this.eta + 1, this.alpha));
    return v < this.n ? v : this.n - 1;
  }
}

export class PhaseGrowWorkload implements Workload {
  readonly name = 'phase-grow';
  readonly params: z.output<typeof phaseGrowParams>;
  readonly keyBytes: number;
  /** Keys at which the logical state passes growToBytes. */
  readonly targetKeys: number;
  private readonly rng: Rng;
  private readonly hashed: boolean;
  private readonly zipf: GrowingZipfian | undefined;
  private readonly latest: LatestKeys | undefined;
  private loaded = 0;
  /** Key numbers below this exist. */
  count: number;
  private version = 0;

  constructor(params: PhaseGrowParams, seed: number) {
    const p = this.params = parseWorkloadParams(this.name, phaseGrowParams, params);
    this.keyBytes = p.keyBytes;
    this.targetKeys = Math.ceil(p.growToBytes / (p.keyBytes + p.valueBytes));
    this.hashed = p.insertOrder === 'hashed';
    this.rng = Rng.stream(seed, 'workload/phase-grow');
    this.count = p.initialKeys;
    this.zipf = p.distribution === 'zipfian' ? withWorkloadName(this.name, () => new GrowingZipfian(p.initialKeys, p.zipfianConstant)) : undefined;
    this.latest = p.distribution === 'latest' ? withWorkloadName(this.name, () => new LatestKeys(Math.max(1, p.initialKeys), p.zipfianConstant)) : undefined;
  }

  /** True once the state has passed growToBytes (the read phase). */
  get grown(): boolean {
    return this.count >= this.targetKeys;
  }

  keyOf(n: number): number {
    return this.hashed ? hashedKey(n) : n;
  }

  nextLoad(rec: RecordBuf): boolean {
    if (this.loaded >= this.params.initialKeys) return false;
    rec.reset(0);
    const key = this.keyOf(this.loaded++);
    rec.push(OP_PUT, key, this.params.valueBytes, tokenOf(key, 0));
    return true;
  }

  loadProgress(): number { return this.params.initialKeys > 0 ? this.loaded / this.params.initialKeys : 1; }

  private nextKeyNumber(): number {
    if (this.zipf) return this.zipf.next(this.rng);
    if (this.latest) return this.latest.next(this.rng);
    return this.rng.int(this.count);
  }

  next(rec: RecordBuf): boolean {
    rec.reset(this.params.recordCpuUs);
    const p = this.params;
    if (this.count === 0 || (!this.grown && this.rng.next() < p.growInsertRatio)) {
      const n = this.count++;
      const key = this.keyOf(n);
      rec.push(OP_PUT, key, p.valueBytes, tokenOf(key, ++this.version));
      this.zipf?.grow(this.count);
      this.latest?.advance(n);
      return true;
    }
    const key = this.keyOf(this.nextKeyNumber());
    if (p.writeRatio > 0 && this.rng.next() < p.writeRatio) rec.push(OP_PUT, key, p.valueBytes, tokenOf(key, ++this.version));
    else rec.push(OP_GET, key);
    return true;
  }

  /** What the state grows to: growToBytes, in whole keys. */
  stateBytes(): number { return this.targetKeys * (this.keyBytes + this.params.valueBytes); }

  describe(): Record<string, unknown> {
    return { name: this.name, ...this.params, targetKeys: this.targetKeys };
  }
}
