/**
 * `ycsb-a` … `ycsb-f`: YCSB's core workloads (site.ycsb.workloads.CoreWorkload with
 * the workloads/workload[a-f] property files), one state operation per YCSB
 * operation:
 *
 *   A  update heavy    50% read, 50% update                       zipfian
 *   B  read mostly     95% read,  5% update                       zipfian
 *   C  read only      100% read                                   zipfian
 *   D  read latest     95% read,  5% insert                       latest
 *   E  short ranges    95% scan,  5% insert                       zipfian scan start,
 *                      scan length uniform in 1..maxScanLength (100)
 *   F  read-modify-write 50% read, 50% read-modify-write          zipfian
 *
 * How YCSB's operations become state operations:
 * - read: a get of the record (readallfields=true);
 * - update: a put of the whole value. YCSB's default writes one field, but a keyed
 *   state backend stores a record as one value (Flink's ValueState, and YCSB's own
 *   RocksDB binding writes the whole merged record back), so the put carries
 *   fieldCount × fieldLength bytes;
 * - insert: a put of a new key, number recordCount, recordCount+1, …; it advances
 *   the `latest` chooser and makes the key readable by the zipfian chooser;
 * - scan: a range scan from the chosen key, of the drawn length (entries);
 * - read-modify-write: a get and then a put of the same key, in one record.
 *
 * The key chooser is CoreWorkload's: zipfian is YCSB's scrambled zipfian (a zipfian
 * over 10^10 items, FNV-hashed onto the key numbers) over recordCount +
 * expectedNewKeys numbers, where expectedNewKeys = operationCount × insertProportion
 * × 2, redrawn while above the newest inserted number; uniform and hotspot choose
 * among the recordCount loaded keys only (as YCSB's do); latest is the skewed-latest
 * generator (a zipfian over the distance back from the newest key). A key number n
 * becomes the key hashedKey(n) (insertOrder=hashed, YCSB's default) or n itself
 * (ordered). Values carry tokenOf(key, version) so --verify can check every read.
 * The load phase inserts the recordCount keys.
 */
import { z } from 'zod';
import { OP_GET, OP_PUT, OP_SCAN, type RecordBuf, type Workload } from '../sim/workload.ts';
import { Rng } from '../sim/random.ts';
import { HotspotKeys, LatestKeys, ScrambledZipfianKeys, UniformKeys, ZipfianKeys, type KeyChooser } from '../sim/key-choosers.ts';
import { tokenOf } from './kv.ts';
import { countField, hashedKey, parseWorkloadParams, thetaField, withWorkloadName } from './common.ts';

export type YcsbLetter = 'a' | 'b' | 'c' | 'd' | 'e' | 'f';
export const YCSB_LETTERS: readonly YcsbLetter[] = ['a', 'b', 'c', 'd', 'e', 'f'];
type Distribution = 'zipfian' | 'uniform' | 'latest' | 'hotspot';

/** A workload's operation proportions and default request distribution (the workload[a-f] files). */
export interface YcsbMix {
  read: number;
  update: number;
  insert: number;
  scan: number;
  readModifyWrite: number;
  requestDistribution: Distribution;
  title: string;
}

const mix = (p: Partial<YcsbMix> & Pick<YcsbMix, 'title'>): YcsbMix =>
  ({ read: 0, update: 0, insert: 0, scan: 0, readModifyWrite: 0, requestDistribution: 'zipfian', ...p });

export const YCSB_MIXES: Record<YcsbLetter, YcsbMix> = {
  a: mix({ title: 'update heavy: 50% read, 50% update, zipfian', read: 0.5, update: 0.5 }),
  b: mix({ title: 'read mostly: 95% read, 5% update, zipfian', read: 0.95, update: 0.05 }),
  c: mix({ title: 'read only: 100% read, zipfian', read: 1 }),
  d: mix({ title: 'read latest: 95% read, 5% insert, latest', read: 0.95, insert: 0.05, requestDistribution: 'latest' }),
  e: mix({ title: 'short ranges: 95% scan (length uniform 1..100), 5% insert, zipfian', scan: 0.95, insert: 0.05 }),
  f: mix({ title: 'read-modify-write: 50% read, 50% read-modify-write, zipfian', read: 0.5, readModifyWrite: 0.5 }),
};

export const ycsbParams = z.object({
  /** Records loaded before the run (YCSB recordcount). */
  recordCount: countField().default(1_000_000),
  /**
   * YCSB operationcount: only sizes the zipfian chooser for inserts (expectedNewKeys
   * = operationCount × insertProportion × 2); the run's length is --ops/--records.
   * Default: recordCount (as the shipped workload files, 1000 and 1000).
   */
  operationCount: countField().optional(),
  fieldCount: countField(1024).default(10),
  fieldLength: countField(1 << 20).default(100),
  /** Default per workload: zipfian, except D: latest. */
  requestDistribution: z.enum(['zipfian', 'uniform', 'latest', 'hotspot']).optional(),
  zipfianConstant: thetaField.default(0.99),
  hotspotDataFraction: z.number().min(0).max(1).default(0.2),
  hotspotOpnFraction: z.number().min(0).max(1).default(0.8),
  insertOrder: z.enum(['hashed', 'ordered']).default('hashed'),
  maxScanLength: countField(10_000).default(100),
  scanLengthDistribution: z.enum(['uniform', 'zipfian']).default('uniform'),
  /** YCSB keys are "user" + a number of up to 19 digits. */
  keyBytes: countField(1 << 16).default(23),
  /** CPU per record outside state access, µs. */
  recordCpuUs: z.number().nonnegative().default(5),
  /** Load recordCount keys before the measured run. */
  load: z.boolean().default(true),
}).strict();
export type YcsbParams = z.input<typeof ycsbParams>;

// Operation codes drawn per record.
const READ = 0;
const UPDATE = 1;
const INSERT = 2;
const SCAN = 3;
const RMW = 4;

export class YcsbWorkload implements Workload {
  readonly name: string;
  readonly params: z.output<typeof ycsbParams>;
  readonly mix: YcsbMix;
  readonly keyBytes: number;
  readonly valueBytes: number;
  readonly requestDistribution: Distribution;
  readonly expectedNewKeys: number;
  private readonly rng: Rng;
  private readonly chooser: KeyChooser;
  private readonly latest: LatestKeys | undefined;
  private readonly scanZipf: ZipfianKeys | undefined;
  /** Cumulative proportions in CoreWorkload's order: read, update, insert, scan, read-modify-write. */
  private readonly cumulative: Float64Array;
  private readonly hashed: boolean;
  private loaded = 0;
  /** The next key number to insert; all numbers below it exist. */
  private insertNext: number;
  private version = 0;

  constructor(letter: YcsbLetter, params: YcsbParams, seed: number) {
    this.name = `ycsb-${letter}`;
    this.mix = YCSB_MIXES[letter];
    const p = this.params = parseWorkloadParams(this.name, ycsbParams, params);
    this.keyBytes = p.keyBytes;
    this.valueBytes = p.fieldCount * p.fieldLength;
    this.hashed = p.insertOrder === 'hashed';
    this.requestDistribution = p.requestDistribution ?? this.mix.requestDistribution;
    this.expectedNewKeys = Math.floor((p.operationCount ?? p.recordCount) * this.mix.insert * 2);
    this.rng = Rng.stream(seed, `workload/${this.name}`);
    this.insertNext = p.recordCount;
    const m = this.mix;
    const shares = [m.read, m.update, m.insert, m.scan, m.readModifyWrite];
    let last = shares.length - 1;
    while (last > 0 && shares[last] === 0) last--;
    // From the last operation with a share on, the bound is Infinity: rounding never picks one with none.
    this.cumulative = new Float64Array(shares.length);
    let acc = 0;
    for (let i = 0; i < shares.length; i++) {
      acc += shares[i]!;
      this.cumulative[i] = i >= last ? Infinity : acc;
    }
    const n = p.recordCount;
    const { latest, chooser } = withWorkloadName(this.name, () => {
      switch (this.requestDistribution) {
        case 'uniform': return { latest: undefined, chooser: new UniformKeys(n) };
        case 'hotspot': return { latest: undefined, chooser: new HotspotKeys(n, p.hotspotDataFraction, p.hotspotOpnFraction) };
        case 'latest': { const l = new LatestKeys(n, p.zipfianConstant); return { latest: l, chooser: l }; }
        case 'zipfian': return { latest: undefined, chooser: new ScrambledZipfianKeys(n + this.expectedNewKeys, p.zipfianConstant) };
      }
    });
    this.latest = latest;
    this.chooser = chooser;
    this.scanZipf = this.mix.scan > 0 && p.scanLengthDistribution === 'zipfian'
      ? withWorkloadName(this.name, () => new ZipfianKeys(p.maxScanLength, p.zipfianConstant))
      : undefined;
    if (!p.load) this.loaded = n;
  }

  /** The key of key number n (insertOrder). */
  keyOf(n: number): number {
    return this.hashed ? hashedKey(n) : n;
  }

  nextLoad(rec: RecordBuf): boolean {
    if (this.loaded >= this.params.recordCount) return false;
    rec.reset(0);
    const key = this.keyOf(this.loaded++);
    rec.push(OP_PUT, key, this.valueBytes, tokenOf(key, 0));
    return true;
  }

  loadProgress(): number { return this.params.recordCount > 0 ? this.loaded / this.params.recordCount : 1; }

  /** CoreWorkload.nextKeynum: a key number that has been inserted. */
  private nextKeyNumber(): number {
    let n = this.chooser.next(this.rng);
    while (n >= this.insertNext) n = this.chooser.next(this.rng);
    return n;
  }

  private nextScanLength(): number {
    return this.scanZipf ? 1 + this.scanZipf.next(this.rng) : 1 + this.rng.int(this.params.maxScanLength);
  }

  next(rec: RecordBuf): boolean {
    rec.reset(this.params.recordCpuUs);
    const u = this.rng.next();
    const c = this.cumulative;
    let op = READ;
    while (op < RMW && u >= c[op]!) op++;
    switch (op) {
      case READ: rec.push(OP_GET, this.keyOf(this.nextKeyNumber())); break;
      case UPDATE: {
        const key = this.keyOf(this.nextKeyNumber());
        rec.push(OP_PUT, key, this.valueBytes, tokenOf(key, ++this.version));
        break;
      }
      case INSERT: {
        const n = this.insertNext++;
        const key = this.keyOf(n);
        rec.push(OP_PUT, key, this.valueBytes, tokenOf(key, ++this.version));
        this.latest?.advance(n);
        break;
      }
      case SCAN: rec.push(OP_SCAN, this.keyOf(this.nextKeyNumber()), this.nextScanLength()); break;
      default: { // read-modify-write
        const key = this.keyOf(this.nextKeyNumber());
        rec.push(OP_GET, key);
        rec.push(OP_PUT, key, this.valueBytes, tokenOf(key, ++this.version));
      }
    }
    return true;
  }

  /** The records the load writes (YCSB-D's and E's inserts add to them as the run goes). */
  stateBytes(): number { return this.params.recordCount * (this.keyBytes + this.valueBytes); }

  describe(): Record<string, unknown> {
    const m = this.mix;
    return {
      name: this.name,
      ...this.params,
      requestDistribution: this.requestDistribution,
      operationCount: this.params.operationCount ?? this.params.recordCount,
      expectedNewKeys: this.expectedNewKeys,
      valueBytes: this.valueBytes,
      mix: { read: m.read, update: m.update, insert: m.insert, scan: m.scan, readModifyWrite: m.readModifyWrite },
    };
  }
}
