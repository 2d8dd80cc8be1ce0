/**
 * The real engine beside the simulator: RocksDB's `db_bench` (given by path with
 * --peer-db-bench PATH; Debian's `rocksdb-tools` installs one) loads the keys and
 * values of a YCSB store with the store's table, memtable and block-cache settings,
 * then reads them at uniformly random keys on one thread, as `readrandom` does. What
 * it reports — its own reads per second and its block cache's data-block hits and
 * misses — stands beside tiersim's YCSB-C with uniform keys on the same store.
 *
 * With `mixed` operations asked for, a third process then runs `readrandomwriterandom`
 * on the same database, half reads and half writes at uniformly random keys, as YCSB-A
 * with uniform keys does (its writes go through the memtable, flushes and compactions).
 *
 * The load (`fillseq`, then a flush and the compactions it leaves) and the reads run
 * as two processes, so the read run's statistics hold only reads. The database is
 * written to a temporary directory (about the state's size) and removed after.
 */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../../sim/errors.ts';
import { processTempDir } from '../lib/temp-dir.ts';

/** The store db_bench is asked to build and read. */
export interface DbBenchStore {
  keys: number;
  keyBytes: number;
  valueBytes: number;
  /** Reads of the measured run. */
  reads: number;
  /** Operations of a run of half reads, half writes after it (0 or absent: none). */
  mixed?: number;
  blockCacheBytes: number;
  blockSize: number;
  bloomBitsPerKey: number;
  writeBufferSize: number;
  maxWriteBuffers: number;
  l0CompactionTrigger: number;
  levelBase: number;
  targetFileSize: number;
}

export interface DbBenchResult {
  /** db_bench's own figure for readrandom (one thread, wall time). */
  readsPerSecond: number;
  dataHits: number;
  dataMisses: number;
  /** Wall seconds of the load process (fill, flush, compactions). */
  loadSeconds: number;
  /** db_bench's own figure for readrandomwriterandom at 50% reads, when asked for. */
  mixedOpsPerSecond?: number;
}

/**
 * The flags both runs share. The block cache is one LRU shard with RocksDB's
 * high-priority pool of 10% (as tiersim's memory cache), holding partitioned index
 * and filter blocks; no compression (tiersim's blocks hold raw bytes); a fixed seed.
 */
export function dbBenchFlags(s: DbBenchStore, dir: string): string[] {
  return [
    `--db=${dir}`, `--num=${s.keys}`, `--key_size=${s.keyBytes}`, `--value_size=${s.valueBytes}`,
    '--compression_type=none', `--block_size=${s.blockSize}`, `--bloom_bits=${s.bloomBitsPerKey}`,
    `--cache_size=${Math.floor(s.blockCacheBytes)}`, '--cache_numshardbits=0', '--cache_high_pri_pool_ratio=0.1',
    '--cache_index_and_filter_blocks=true', '--partition_index_and_filters=true',
    `--write_buffer_size=${s.writeBufferSize}`, `--max_write_buffer_number=${s.maxWriteBuffers}`,
    `--level0_file_num_compaction_trigger=${s.l0CompactionTrigger}`,
    `--max_bytes_for_level_base=${s.levelBase}`, `--target_file_size_base=${s.targetFileSize}`,
    '--threads=1', '--seed=1', // fixed: the same keys read on every run
  ];
}

/** `COUNT : n` of one ticker in db_bench's --statistics dump. */
function ticker(text: string, name: string): number {
  const m = new RegExp(`^${name.replace(/\./g, '\\.')} COUNT : (\\d+)$`, 'm').exec(text);
  if (!m) throw new InputError(`--peer-db-bench: no '${name}' in db_bench's statistics`);
  return Number(m[1]);
}

function run(binary: string, args: string[]): { text: string; seconds: number } {
  const t = performance.now();
  const r = spawnSync(binary, args, { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
  const seconds = (performance.now() - t) / 1000;
  if (r.error) throw new InputError(`--peer-db-bench: cannot run '${binary}' (${(r.error as NodeJS.ErrnoException).code ?? r.error.message})`);
  if (r.status !== 0) throw new InputError(`--peer-db-bench: '${binary}' exited with ${r.status}: ${(r.stderr || r.stdout).trim().split('\n').slice(-3).join(' | ')}`);
  return { text: `${r.stdout}\n${r.stderr}`, seconds };
}

/** db_bench's ops/sec for one benchmark, from its `name : … micros/op N ops/sec` line. */
export function opsPerSecond(text: string, benchmark: string): number {
  const m = new RegExp(`^${benchmark}\\s*:\\s*[\\d.]+ micros/op (\\d+) ops/sec`, 'm').exec(text);
  if (!m) throw new InputError(`--peer-db-bench: no '${benchmark} : … ops/sec' line in db_bench's output`);
  return Number(m[1]);
}

/** Parses db_bench's readrandom line and its data-block cache tickers. */
export function parseReadRandom(text: string): Omit<DbBenchResult, 'loadSeconds'> {
  return {
    readsPerSecond: opsPerSecond(text, 'readrandom'),
    dataHits: ticker(text, 'rocksdb.block.cache.data.hit'),
    dataMisses: ticker(text, 'rocksdb.block.cache.data.miss'),
  };
}

/** Loads the store with db_bench in a temporary directory, reads it, removes it. */
export function runDbBench(binary: string, store: DbBenchStore): DbBenchResult {
  const dir = processTempDir('tiersim-db-bench-');
  try {
    const flags = dbBenchFlags(store, join(dir, 'db'));
    const load = run(binary, [...flags, '--benchmarks=fillseq,flush,waitforcompaction']);
    const reads = run(binary, [...flags, '--use_existing_db=1', '--benchmarks=readrandom', `--reads=${store.reads}`, '--statistics=1']);
    const result: DbBenchResult = { ...parseReadRandom(reads.text), loadSeconds: load.seconds };
    if (store.mixed) {
      const mixed = run(binary, [...flags, '--use_existing_db=1', '--benchmarks=readrandomwriterandom', '--readwritepercent=50', `--reads=${store.mixed}`]);
      result.mixedOpsPerSecond = opsPerSecond(mixed.text, 'readrandomwriterandom');
    }
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
