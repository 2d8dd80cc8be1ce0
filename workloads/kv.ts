/**
 * `kv`: a plain key-value driver. Loads `keys` keys, then issues gets and puts
 * (a `writeRatio` share of puts) on uniform or zipfian keys, one operation per record.
 */
import { z } from 'zod';
import { OP_GET, OP_PUT, type RecordBuf, type Workload } from '../sim/workload.ts';
import { Rng } from '../sim/random.ts';
import { ScrambledZipfianKeys, UniformKeys, type KeyChooser } from '../sim/key-choosers.ts';

export const kvParams = z.object({
  keys: z.number().int().positive().default(1_000_000),
  valueBytes: z.number().int().positive().default(1000),
  keyBytes: z.number().int().positive().default(16),
  writeRatio: z.number().min(0).max(1).default(0.1),
  distribution: z.enum(['uniform', 'zipfian']).default('zipfian'),
  theta: z.number().gt(0).lt(1).default(0.99),
  /** CPU per record outside state access, µs. */
  recordCpuUs: z.number().nonnegative().default(5),
  /** Load every key before the measured run. */
  load: z.boolean().default(true),
}).strict();
export type KvParams = z.input<typeof kvParams>;

/** A value token derived from key and version: what a read must return. */
export function tokenOf(key: number, version: number): number {
  let h = Math.imul((key >>> 0) ^ 0x9e3779b9, 0x85ebca6b) ^ Math.floor(key / 4294967296);
  h = Math.imul(h ^ (h >>> 13) ^ version, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

export class KvWorkload implements Workload {
  readonly name = 'kv';
  readonly params: z.output<typeof kvParams>;
  readonly keyBytes: number;
  private readonly rng: Rng;
  private readonly chooser: KeyChooser;
  private loaded = 0;
  private version = 0;

  constructor(params: KvParams, seed: number) {
    this.params = kvParams.parse(params);
    this.keyBytes = this.params.keyBytes;
    this.rng = Rng.stream(seed, 'workload/kv');
    this.chooser = this.params.distribution === 'uniform'
      ? new UniformKeys(this.params.keys)
      : new ScrambledZipfianKeys(this.params.keys, this.params.theta);
    if (!this.params.load) this.loaded = this.params.keys;
  }

  nextLoad(rec: RecordBuf): boolean {
    if (this.loaded >= this.params.keys) return false;
    rec.reset(0);
    const key = this.loaded++;
    rec.push(OP_PUT, key, this.params.valueBytes, tokenOf(key, 0));
    return true;
  }

  loadProgress(): number { return this.params.keys > 0 ? this.loaded / this.params.keys : 1; }

  next(rec: RecordBuf): boolean {
    rec.reset(this.params.recordCpuUs);
    const key = this.chooser.next(this.rng);
    if (this.rng.next() < this.params.writeRatio) rec.push(OP_PUT, key, this.params.valueBytes, tokenOf(key, ++this.version));
    else rec.push(OP_GET, key);
    return true;
  }

  stateBytes(): number { return this.params.keys * (this.keyBytes + this.params.valueBytes); }

  describe(): Record<string, unknown> {
    return { name: this.name, ...this.params };
  }
}
