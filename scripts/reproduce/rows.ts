/**
 * Every published figure tiersim reproduces (DESIGN §6, shared/reference/
 * published-results.md): what was claimed, where, the published value, the band a
 * simulated value must fall in, the runs it needs and how it is computed from them.
 */
import { probe } from '../../sim/probe.ts';
import { resolveDevice } from '../lib/devices.ts';
import { HEAVY, SMALL, SCALE, WORDCOUNT_SCALE, type SetupName } from './preset.ts';

/** A run a row needs: a set-up of the preset on one workload, or the lifecycle experiment. */
export type Need = { setup: SetupName; workload: string } | { lifecycle: 'local' | 'disaggregated' };

/** Summaries of the runs, by needKey(). */
export type Results = ReadonlyMap<string, Record<string, any>>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const needKey = (n: Need): string => ('lifecycle' in n ? `lifecycle/${n.lifecycle}` : `${n.setup}/${n.workload}`);

export interface Row {
  id: string;
  claim: string;
  source: string;
  published: number;
  unit: string;
  /** Inclusive bounds of the simulated value. */
  band: [number, number];
  /** How the experiment is scaled or simplified, said in the row. */
  note: string;
  needs: Need[];
  compute(results: Results): number;
}

const get = (r: Results, n: Need) => {
  const s = r.get(needKey(n));
  if (!s) throw new Error(`reproduce: no result for ${needKey(n)}`);
  return s;
};
const rps = (r: Results, setup: SetupName, workload: string): number => get(r, { setup, workload }).recordsPerSecond as number;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const pairs = (setup: SetupName, workloads: readonly string[]): Need[] => workloads.map((workload) => ({ setup, workload }));
/** Throughput of `setup` over `baseline`, per workload. */
const ratios = (r: Results, setup: SetupName, baseline: SetupName, workloads: readonly string[]) =>
  workloads.map((w) => rps(r, setup, w) / rps(r, baseline, w));

const scaled = `Nexmark state, local cache and managed memory × ${SCALE} of the published set-up (ratios between them as published)`;

function latencyRow(id: string, device: string, published: number, source: string): Row {
  return {
    id, claim: `per-read latency, ${device} (4 KiB, iodepth 1, p50)`, source, published, unit: 'µs', band: [published * 0.9, published * 1.1],
    note: `tiersim probe on the ${device} preset, 20,000 reads`, needs: [],
    compute: () => probe(resolveDevice(device), { blockSize: 4096, iodepth: 1, ops: 20_000, write: false, seed: 1 }).latencyUs.p50,
  };
}

export const ROWS: Row[] = [
  latencyRow('latency-nvme', 'nvme', 68, 'PVLDB\'25 Table 1'),
  latencyRow('latency-hdfs', 'hdfs', 1500, 'PVLDB\'25 Table 1'),
  latencyRow('latency-oss', 'oss', 23000, 'PVLDB\'25 Table 1'),
  {
    id: 'dfs-sync-no-cache-oss', claim: 'direct DFS access about 95% slower than local disk (sync, no cache; heavy-I/O mean, OSS)',
    source: 'FLIP-423 PoC', published: 0.05, unit: '× local', band: [0.02, 0.15],
    note: `${scaled}; the FLIP names no DFS: read as a high-latency object store (oss preset), synchronous`,
    needs: [...pairs('syncNoCacheOss', HEAVY), ...pairs('local', HEAVY)],
    compute: (r) => mean(ratios(r, 'syncNoCacheOss', 'local', HEAVY)),
  },
  {
    id: 'hdfs-sync-no-cache', claim: 'HDFS, synchronous, no cache: about −48% average throughput on heavy-I/O queries',
    source: 'PVLDB\'25 p. 4856', published: 0.52, unit: '× local', band: [0.4, 0.65],
    note: scaled, needs: [...pairs('syncNoCache', HEAVY), ...pairs('local', HEAVY)],
    compute: (r) => mean(ratios(r, 'syncNoCache', 'local', HEAVY)),
  },
  {
    id: 'heavy-no-cache', claim: 'heavy-I/O Nexmark (q5, q7, q18, q19, q20) with no cache: about 50% of local throughput',
    source: 'Flink 2.0 release announcement', published: 0.5, unit: '× local', band: [0.35, 0.65],
    note: `${scaled}; Flink 2.0 = asynchronous state access`, needs: [...pairs('asyncNoCache', HEAVY), ...pairs('local', HEAVY)],
    compute: (r) => mean(ratios(r, 'asyncNoCache', 'local', HEAVY)),
  },
  ...HEAVY.map((q): Row => ({
    id: `heavy-cache-${q.replace('nexmark-', '')}`, claim: `${q} with a 1 GB local cache: 75%–120% of local throughput`,
    source: 'Flink 2.0 release announcement', published: 1, unit: '× local', band: [0.75, 1.2],
    note: `${scaled}; asynchronous, ForSt file cache`, needs: [{ setup: 'asyncCache', workload: q }, { setup: 'local', workload: q }],
    compute: (r) => rps(r, 'asyncCache', q) / rps(r, 'local', q),
  })),
  {
    id: 'small-state', claim: 'small-state Nexmark (q3, q4, q5, q8, q12, q17): on average within 10% of local',
    source: 'Flink 2.0 release announcement', published: 1, unit: '× local', band: [0.9, 1.1],
    note: `${scaled}; asynchronous, ForSt file cache; mean of the six`, needs: [...pairs('asyncCache', SMALL), ...pairs('local', SMALL)],
    compute: (r) => mean(ratios(r, 'asyncCache', 'local', SMALL)),
  },
  {
    id: 'async-over-sync', claim: 'HDFS asynchronous ≈ 2× HDFS synchronous (no cache; heavy-I/O mean)',
    source: 'PVLDB\'25 Fig. 13a', published: 2, unit: '× sync', band: [1.5, 2.6],
    note: scaled, needs: [...pairs('asyncNoCache', HEAVY), ...pairs('syncNoCache', HEAVY)],
    compute: (r) => mean(ratios(r, 'asyncNoCache', 'syncNoCache', HEAVY)),
  },
  {
    id: 'cache-over-async', claim: 'adding the 1 GB local cache: up to 3.7× over asynchronous access alone (best heavy-I/O query)',
    source: 'PVLDB\'25 pp. 4856–4857', published: 3.7, unit: '× async', band: [2.6, 4.8],
    note: scaled, needs: [...pairs('asyncCache', HEAVY), ...pairs('asyncNoCache', HEAVY)],
    compute: (r) => Math.max(...ratios(r, 'asyncCache', 'asyncNoCache', HEAVY)),
  },
  {
    id: 'checkpoint-disaggregated', claim: 'disaggregated checkpoints all below 3 s (longest checkpoint)',
    source: 'PVLDB\'25 Fig. 9', published: 3, unit: 's', band: [0, 3],
    note: 'kv, 500k keys × 1000 B, half puts, a checkpoint every simulated second on HDFS; the longest', needs: [{ lifecycle: 'disaggregated' }],
    compute: (r) => get(r, { lifecycle: 'disaggregated' }).checkpoint.durationSeconds.max,
  },
  {
    id: 'checkpoint-local-1.89GB', claim: 'local checkpoints at 1.89 GB incremental size: 19.7% above 30 s (a checkpoint near 30 s)',
    source: 'PVLDB\'25 Fig. 9', published: 30, unit: 's', band: [15, 60],
    note: 'the lifecycle run\'s last local checkpoint: its duration per incremental byte × 1.89 GB (upload time is linear in bytes once bandwidth-bound)',
    needs: [{ lifecycle: 'local' }],
    compute: (r) => {
      const last = get(r, { lifecycle: 'local' }).checkpoint.last;
      return (last.durationUs / 1e6 / Math.max(last.incrementalBytes, 1)) * 1.89e9;
    },
  },
  {
    id: 'restore-speedup', claim: 'recovery and rescale 16–49× faster than local',
    source: 'PVLDB\'25 Fig. 10', published: 49, unit: '× faster', band: [16, 49],
    note: 'the lifecycle run\'s failure at 4 s: local restore duration over disaggregated restore duration, state as run (~0.5 GB)',
    needs: [{ lifecycle: 'local' }, { lifecycle: 'disaggregated' }],
    compute: (r) => get(r, { lifecycle: 'local' }).restore.durationSeconds / get(r, { lifecycle: 'disaggregated' }).restore.durationSeconds,
  },
  {
    id: 'wordcount-hdfs', claim: 'WordCount on HDFS: 83% of local RocksDB throughput (16.0 K vs 19.2 K records/s)',
    source: 'ForSt v0.1.2 release notes', published: 0.83, unit: '× local', band: [0.7, 0.95],
    note: `300 M unique words × ${WORDCOUNT_SCALE} with memory and cache × ${WORDCOUNT_SCALE}, uniform, state loaded first; asynchronous, ForSt file cache`,
    needs: [{ setup: 'asyncCache', workload: 'wordcount' }, { setup: 'local', workload: 'wordcount' }],
    compute: (r) => rps(r, 'asyncCache', 'wordcount') / rps(r, 'local', 'wordcount'),
  },
];
