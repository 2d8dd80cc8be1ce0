/**
 * `wordcount`: the ForSt benchmark. A stream of words; for each word the keyed
 * operator reads the word's count and writes count + 1, as Flink's WordCount with a
 * ValueState<Long> does (value.value(), then value.update(count + 1)): a get and then
 * a put of the same key in one record. ForSt's ValueState has no merge on this path
 * (merge is ListState's append), so there is none here. Keys are 16-byte words,
 * values 8-byte longs.
 *
 * What ForSt measured (v0.1.2-beta release notes, ForSt on RocksDB 8.10 with Flink
 * 2.0-preview; see /work/shared/reference/published-results.md): WordCount over 300 M
 * unique 16-byte words, parallelism 1, 512 MB managed memory; RocksDB on a local
 * ESSD (6800 IOPS) ran 19.2 K records/s, ForSt on HDFS in the same LAN 16.0 K
 * records/s, 83% of local. The notes do not say how words were drawn, how long the
 * run was or whether the state was preloaded; the defaults here (uniform words, no
 * preload: the state grows as new words arrive, a first occurrence's get finds
 * nothing) are our reading. The comparison, at a simulator-friendly size:
 *
 *   tiersim run --workload wordcount --param uniqueWords=300000000 --managed-memory 512MiB --placement local
 *   tiersim run --workload wordcount --param uniqueWords=300000000 --managed-memory 512MiB --dfs hdfs
 *
 * Word i's key is hashedKey(i) (words sort in no relation to when they first
 * arrive). Each put carries tokenOf(key, n) with n the run's write sequence number,
 * so --verify checks every read.
 */
import { z } from 'zod';
import { OP_GET, OP_PUT, type RecordBuf, type Workload } from '../sim/workload.ts';
import { Rng } from '../sim/random.ts';
import { ScrambledZipfianKeys, UniformKeys, type KeyChooser } from '../sim/key-choosers.ts';
import { tokenOf } from './kv.ts';
import { countField, hashedKey, parseWorkloadParams, thetaField, withWorkloadName } from './common.ts';

export const wordcountParams = z.object({
  /** Distinct words (the published run: 300 M). */
  uniqueWords: countField().default(10_000_000),
  /** How words are drawn: uniform over the unique words, or YCSB's scrambled zipfian. */
  distribution: z.enum(['uniform', 'zipfian']).default('uniform'),
  zipfianConstant: thetaField.default(0.99),
  keyBytes: countField(1 << 16).default(16),
  /** A Long count. */
  valueBytes: countField(1 << 20).default(8),
  /** CPU per record outside state access (source, tokenising, serialisation), µs. */
  recordCpuUs: z.number().nonnegative().default(5),
  /** Words 0 … preloadWords−1 loaded with count 1 before the run (0: the state starts empty). */
  preloadWords: z.number().int().nonnegative().default(0),
}).strict().refine((p) => p.preloadWords <= p.uniqueWords, { message: 'must be at most uniqueWords', path: ['preloadWords'] });
export type WordcountParams = z.input<typeof wordcountParams>;

export class WordCountWorkload implements Workload {
  readonly name = 'wordcount';
  readonly params: z.output<typeof wordcountParams>;
  readonly keyBytes: number;
  private readonly rng: Rng;
  private readonly chooser: KeyChooser;
  private loaded = 0;
  private version = 0;

  constructor(params: WordcountParams, seed: number) {
    const p = this.params = parseWorkloadParams(this.name, wordcountParams, params);
    this.keyBytes = p.keyBytes;
    this.rng = Rng.stream(seed, 'workload/wordcount');
    this.chooser = withWorkloadName(this.name, () => p.distribution === 'uniform'
      ? new UniformKeys(p.uniqueWords)
      : new ScrambledZipfianKeys(p.uniqueWords, p.zipfianConstant));
  }

  nextLoad(rec: RecordBuf): boolean {
    if (this.loaded >= this.params.preloadWords) return false;
    rec.reset(0);
    const key = hashedKey(this.loaded++);
    rec.push(OP_PUT, key, this.params.valueBytes, tokenOf(key, 0));
    return true;
  }

  loadProgress(): number { return this.params.preloadWords > 0 ? this.loaded / this.params.preloadWords : 1; }

  next(rec: RecordBuf): boolean {
    rec.reset(this.params.recordCpuUs);
    const key = hashedKey(this.chooser.next(this.rng));
    rec.push(OP_GET, key);
    rec.push(OP_PUT, key, this.params.valueBytes, tokenOf(key, ++this.version));
    return true;
  }

  /** Every word counted: what the state holds once each has been seen (the load may preload fewer). */
  stateBytes(): number { return this.params.uniqueWords * (this.keyBytes + this.params.valueBytes); }

  describe(): Record<string, unknown> {
    return { name: this.name, ...this.params };
  }
}
