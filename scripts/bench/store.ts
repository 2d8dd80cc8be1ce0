/**
 * End-to-end speed of the full store: simulated state operations per wall second over
 * the measured run phase only (after the YCSB load phase; the load is reported apart),
 * as the targets and db_bench count them, and per CPU second of the process (all its
 * threads) beside. The two differ: V8's own threads (garbage collection, compilation)
 * run on the second core, so the process uses 4-14% more CPU seconds than wall seconds
 * (YCSB-A most, whose files come and go); other jobs on a shared machine slow the
 * wall-time figure, never the other way.
 */
import { runConfig, type RunConfigInput } from '../lib/config.ts';
import { simulate } from '../lib/simulate.ts';
import { blockCacheCapacity } from '../lib/slot.ts';
import { ycsbParams } from '../../workloads/ycsb.ts';
import { runDbBench, type DbBenchStore } from './db-bench.ts';
import { memoryLatencyNs } from './host-memory.ts';
import { atLeast, info, type BenchSection, type Figure } from './figure.ts';

export interface StoreSpeed {
  ops: number;
  loadCpuSeconds: number;
  runCpuSeconds: number;
  runWallSeconds: number;
  opsPerCpuSecond: number;
  opsPerWallSecond: number;
  /** Share of the gets' data-block reads the memory block cache served. */
  dataMemoryHitRatio: number;
}

/** CPU seconds of this process so far (all threads). */
export const cpuSeconds = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

/** Runs one simulation and times its phases in CPU and wall seconds. */
export function storeSpeed(config: RunConfigInput): StoreSpeed {
  const cpu: Record<string, number> = {};
  const wall: Record<string, number> = {};
  const s = simulate(runConfig.parse(config), undefined, { onPhase: (p) => { cpu[p] = cpuSeconds(); wall[p] = performance.now() / 1000; } }).summary;
  const ops = s.ops as number;
  const runCpuSeconds = cpu.end! - cpu.run!;
  const runWallSeconds = wall.end! - wall.run!;
  const dataMemoryHitRatio = (s.hitRatio as Record<string, number>).getDataMemory!;
  return {
    ops, loadCpuSeconds: (cpu.warmup ?? cpu.run!) - cpu.load!, runCpuSeconds, runWallSeconds,
    opsPerCpuSecond: ops / runCpuSeconds, opsPerWallSecond: ops / runWallSeconds, dataMemoryHitRatio,
  };
}

/** What db_bench is asked to build for a run config: the same keys, values, table, memtables and block cache. */
export function dbBenchStore(config: RunConfigInput, reads: number): DbBenchStore {
  const c = runConfig.parse(config);
  const w = ycsbParams.parse(c.workloadParams);
  const st = c.store;
  return {
    keys: w.recordCount, keyBytes: w.keyBytes, valueBytes: w.fieldCount * w.fieldLength, reads,
    blockCacheBytes: blockCacheCapacity(c.managedMemory), blockSize: st.blockSize, bloomBitsPerKey: st.bloomBitsPerKey,
    writeBufferSize: st.writeBufferSize, maxWriteBuffers: st.maxWriteBuffers, l0CompactionTrigger: st.l0CompactionTrigger,
    levelBase: st.levelBase, targetFileSize: st.targetFileSize,
  };
}

/**
 * YCSB-C and YCSB-A with uniform keys beside db_bench's readrandom and
 * readrandomwriterandom (50% reads) on the same store: the simulator's operations per
 * CPU second and the real engine's per second, and both memory caches' data-block hit
 * ratios on the reads.
 */
function dbBenchFigures(binary: string, keys: number, ops: number): Figure[] {
  const uniform = (letter: 'a' | 'c') => {
    const config = ycsbConfig(letter, keys, ops);
    (config.workloadParams as Record<string, unknown>).requestDistribution = 'uniform';
    return config;
  };
  const reads = uniform('c');
  const sim = storeSpeed(reads);
  const simMixed = storeSpeed(uniform('a'));
  const peer = runDbBench(binary, { ...dbBenchStore(reads, ops), mixed: ops });
  const peerHitRatio = peer.dataHits / (peer.dataHits + peer.dataMisses);
  const what = `${millions(keys)} keys x 1000 B, uniform`;
  return [
    info(`store YCSB-C ${what}, ${millions(ops)} reads: tiersim ops per wall s`, sim.opsPerWallSecond, 'ops/s', 0),
    info('  db_bench readrandom, same keys, table and cache: reads per s', peer.readsPerSecond, 'ops/s', 0),
    info('  tiersim / db_bench, operations per second', sim.opsPerWallSecond / peer.readsPerSecond, 'x'),
    info('  data-block memory hit ratio, tiersim', sim.dataMemoryHitRatio, '', 4),
    info('  data-block memory hit ratio, db_bench', peerHitRatio, '', 4),
    info('  db_bench load (fill, flush, compactions)', peer.loadSeconds, 'wall s', 1),
    info(`store YCSB-A ${what}, ${millions(ops)} ops: tiersim ops per wall s`, simMixed.opsPerWallSecond, 'ops/s', 0),
    info('  db_bench readrandomwriterandom, 50% reads, same store: ops per s', peer.mixedOpsPerSecond!, 'ops/s', 0),
    info('  tiersim / db_bench, operations per second', simMixed.opsPerWallSecond / peer.mixedOpsPerSecond!, 'x'),
  ];
}

/** YCSB at the scale: 10M keys of 1000-byte values (about 10 GB of state), disaggregated on HDFS with the file cache. */
export function ycsbConfig(letter: 'a' | 'b' | 'c' | 'e', keys: number, ops: number): RunConfigInput {
  return { workload: `ycsb-${letter}`, workloadParams: { recordCount: keys }, ops, placement: 'disaggregated', policy: 'file', dfs: 'hdfs' };
}

const millions = (n: number) => (n >= 1e6 ? `${n / 1e6}M` : `${n / 1e3}k`);

export const storeSection: BenchSection = {
  name: 'store',
  async run({ quick, peerDbBench }) {
    const keys = quick ? 1_000_000 : 10_000_000;
    const ops = quick ? 300_000 : 1_000_000;
    const figures: Figure[] = [];
    for (const [letter, target] of [['c', 1_000_000], ['a', 500_000], ['e', 0]] as const) {
      // E's scans read tens of blocks each: a shorter run.
      const r = storeSpeed(ycsbConfig(letter, keys, letter === 'e' ? ops / 5 : ops));
      const what = `YCSB-${letter.toUpperCase()} ${millions(keys)} keys x 1000 B, file cache, ${millions(r.ops)} ops`;
      const name = `store ${what}: ops per wall s`;
      figures.push(target > 0 ? atLeast(name, r.opsPerWallSecond, 'ops/s', target, 0) : info(name, r.opsPerWallSecond, 'ops/s', 0));
      figures.push(info('  ops per CPU s (all threads of the process)', r.opsPerCpuSecond, 'ops/s', 0));
      figures.push(info(`  load of the ${millions(keys)} keys before it`, r.loadCpuSeconds, 'CPU s', 1));
    }
    // The same setup on stores that fit the processor's caches (100k keys) or nearly
    // (1M): the simulator's own work per get, the ceiling of the 10M-key figures on this host.
    for (const small of quick ? [100_000] : [100_000, 1_000_000]) {
      const r = storeSpeed(ycsbConfig('c', small, ops));
      figures.push(info(`store YCSB-C ${millions(small)} keys, same setup, ${millions(r.ops)} ops: ops per wall s`, r.opsPerWallSecond, 'ops/s', 0));
    }
    // The host's memory latency decides these figures: say what it was.
    figures.push(info('  host: one dependent read over 256 MiB (memory latency)', memoryLatencyNs(256 * 2 ** 20), 'ns', 1));
    if (peerDbBench) figures.push(...dbBenchFigures(peerDbBench, keys, ops));
    return figures;
  },
};
