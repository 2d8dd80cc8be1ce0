/**
 * The one preset every reproduction row runs with, and the setups it compares. The
 * published experiments ran Nexmark with gigabytes of state against 1 GB of local
 * cache and 512 MB of managed memory per slot; here the state, the cache and the
 * managed memory are scaled together by `SCALE`, so every ratio between them is the
 * published one while a run takes seconds. Nothing here is tuned per row.
 */
import type { RunConfigInput } from '../lib/config.ts';

/** State, local cache and managed memory all × SCALE of the published set-up. */
export const SCALE = 0.2;
export const CACHE_BYTES = Math.round(2 ** 30 * SCALE);
export const MANAGED_MEMORY_BYTES = Math.round(512 * 2 ** 20 * SCALE);

/** Heavy-I/O and small-state queries of the Flink 2.0 announcement. */
export const HEAVY = ['nexmark-q5', 'nexmark-q7', 'nexmark-q18', 'nexmark-q19', 'nexmark-q20'] as const;
export const SMALL = ['nexmark-q3', 'nexmark-q4', 'nexmark-q5', 'nexmark-q8', 'nexmark-q12', 'nexmark-q17'] as const;

const base: RunConfigInput = {
  // One core per task slot, as the Nexmark clusters are set up (a slot per core): the
  // task thread and the state I/O threads share it (docs/calibration.md).
  cpu: { cores: 1 },
  ops: 100_000,
  warmupOps: 50_000,
  managedMemory: MANAGED_MEMORY_BYTES,
  cacheSize: CACHE_BYTES,
  dfs: 'hdfs',
  seed: 1,
};

/** The set-ups the rows compare: Flink 1.20 local state, and Flink 2.0 disaggregated state. */
export const SETUPS = {
  /** Flink 1.20: RocksDB on local disk, synchronous state access. */
  local: { ...base, placement: 'local', policy: 'none', exec: { mode: 'sync' } },
  /** Disaggregated on HDFS, synchronous, no local cache (PVLDB'25's −48% set-up). */
  syncNoCache: { ...base, placement: 'disaggregated', policy: 'none', exec: { mode: 'sync' } },
  /** The same on a high-latency object store (FLIP-423's "about 95% slower"). */
  syncNoCacheOss: { ...base, placement: 'disaggregated', policy: 'none', dfs: 'oss', exec: { mode: 'sync' } },
  /** Flink 2.0 without a local cache: asynchronous state access (FLIP-424/425). */
  asyncNoCache: { ...base, placement: 'disaggregated', policy: 'none', exec: { mode: 'async' } },
  /** Flink 2.0 with ForSt's file cache on local disk. */
  asyncCache: { ...base, placement: 'disaggregated', policy: 'file', exec: { mode: 'async' } },
} as const satisfies Record<string, RunConfigInput>;

export type SetupName = keyof typeof SETUPS;

/** Nexmark parameters under the preset: the published state × SCALE. */
export const nexmarkParams = { scale: SCALE };

/**
 * WordCount as ForSt v0.1.2 ran it (300 M unique 16-byte words, uniform, 512 MB
 * managed memory), scaled: the words × WORDCOUNT_SCALE with the preset's memory and
 * cache scaled the same way, the state loaded before the run.
 */
export const WORDCOUNT_SCALE = 0.02;
export const wordcountParams = {
  uniqueWords: Math.round(300e6 * WORDCOUNT_SCALE),
  preloadWords: Math.round(300e6 * WORDCOUNT_SCALE),
};
export const wordcountSizes = {
  managedMemory: Math.round(512 * 2 ** 20 * WORDCOUNT_SCALE),
  cacheSize: Math.round(2 ** 30 * WORDCOUNT_SCALE),
};

/** The lifecycle experiment: kv with half puts, a checkpoint a second, a failure at 4 s. */
export const lifecycle: RunConfigInput = {
  workload: 'kv',
  workloadParams: { keys: 500_000, valueBytes: 1000, writeRatio: 0.5 },
  ops: 600_000,
  managedMemory: '64MiB',
  cacheSize: '1GiB',
  dfs: 'hdfs',
  policy: 'file',
  checkpointEverySeconds: 1,
  restoreAtSeconds: 4,
  seed: 1,
};
