/**
 * The memory block cache against real RocksDB: the same store (keys, 1000-byte
 * values, 4 KiB blocks, partitioned index and filters in a cache with a 10%
 * high-priority pool, the same memtable and level sizes) loaded by RocksDB's
 * db_bench and by tiersim, then read at uniformly random keys. The share of the
 * gets' data-block reads that the memory cache served must agree within 0.02 at
 * three cache sizes. Skipped, with the reason printed, where db_bench is not
 * installed (scripts/ci-setup.sh installs Debian's rocksdb-tools).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { dbBenchStore, storeSpeed } from '../../scripts/bench/store.ts';
import { opsPerSecond, parseReadRandom, runDbBench } from '../../scripts/bench/db-bench.ts';
import type { RunConfigInput } from '../../scripts/lib/config.ts';

const DB_BENCH = process.env.TIERSIM_DB_BENCH ?? '/usr/bin/db_bench';
const MiB = 2 ** 20;

function uniformYcsbC(keys: number, reads: number, managedMemory: number): RunConfigInput {
  return {
    workload: 'ycsb-c',
    workloadParams: { recordCount: keys, requestDistribution: 'uniform' },
    ops: reads,
    placement: 'disaggregated',
    policy: 'file',
    dfs: 'hdfs',
    managedMemory,
    store: { writeBufferSize: 16 * MiB, targetFileSize: 16 * MiB, levelBase: 64 * MiB },
  };
}

test('db_bench output: readrandom rate and data-block cache tickers', () => {
  const text = [
    'readrandom   :      11.826 micros/op 84555 ops/sec 3.548 seconds 300000 operations;   82.5 MB/s (300000 of 300000 found)',
    '',
    'rocksdb.block.cache.data.miss COUNT : 201615',
    'rocksdb.block.cache.data.hit COUNT : 98385',
    'rocksdb.block.cache.data.add COUNT : 201615',
  ].join('\n');
  assert.deepEqual(parseReadRandom(text), { readsPerSecond: 84555, dataHits: 98385, dataMisses: 201615 });
  assert.throws(() => parseReadRandom('fillseq : 3.6 micros/op 275270 ops/sec'), /readrandom/);
  // The mixed run's line (RocksDB 7.8), and a readrandom line that must not pass for it.
  const mixed = 'readrandomwriterandom :       5.616 micros/op 178044 ops/sec 0.562 seconds 100000 operations; ( reads:50000 writes:50000 total:100000 found:50000)';
  assert.equal(opsPerSecond(mixed, 'readrandomwriterandom'), 178044);
  assert.equal(opsPerSecond(`${text}\n${mixed}`, 'readrandom'), 84555);
  assert.throws(() => opsPerSecond(text, 'readrandomwriterandom'), /readrandomwriterandom/);
});

test('data-block memory hit ratio under uniform gets matches RocksDB (db_bench) within 0.02', { timeout: 300_000 }, (t) => {
  if (!existsSync(DB_BENCH)) {
    const reason = `${DB_BENCH} not found; install it with scripts/ci-setup.sh (apt-get install rocksdb-tools)`;
    console.log(`# db_bench fidelity test skipped: ${reason}`);
    t.skip(reason);
    return;
  }
  const keys = 200_000;
  const reads = 100_000;
  // About 205 MB of entries; block caches of 27, 80 and 160 MiB.
  for (const managed of [32 * MiB, 96 * MiB, 192 * MiB]) {
    const config = uniformYcsbC(keys, reads, managed);
    const sim = storeSpeed(config).dataMemoryHitRatio;
    const peer = runDbBench(DB_BENCH, dbBenchStore(config, reads));
    const real = peer.dataHits / (peer.dataHits + peer.dataMisses);
    console.log(`# managed memory ${managed / MiB} MiB: data-block hit ratio tiersim ${sim.toFixed(4)}, db_bench ${real.toFixed(4)}`);
    assert.ok(peer.dataHits + peer.dataMisses >= reads * 0.99, `db_bench read ${peer.dataHits + peer.dataMisses} data blocks for ${reads} gets`);
    assert.ok(Math.abs(sim - real) <= 0.02, `managed memory ${managed / MiB} MiB: tiersim ${sim}, db_bench ${real}`);
  }
});
