/**
 * Whole runs through the run assembly: the trade-off between file- and block-level
 * local caches, local versus disaggregated lifecycle, verification, determinism.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runConfig, type RunConfigInput } from '../../scripts/lib/config.ts';
import { simulate } from '../../scripts/lib/simulate.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Summary = Record<string, any>;
const run = (c: RunConfigInput): Summary => simulate(runConfig.parse(c), () => 0).summary as Summary;

test('state fits the disk: file has lower CPU per operation and at least block\'s hit ratio', () => {
  const base: RunConfigInput = {
    workload: 'kv', workloadParams: { keys: 50_000, valueBytes: 1000, writeRatio: 0 },
    ops: 60_000, cacheSize: 2 ** 30, managedMemory: 16 * 2 ** 20, dfs: 'hdfs',
  };
  const file = run({ ...base, policy: 'file' });
  const block = run({ ...base, policy: 'block' });
  assert.ok(file.cpu.cpuUsPerOp < block.cpu.cpuUsPerOp, `CPU/op file ${file.cpu.cpuUsPerOp} vs block ${block.cpu.cpuUsPerOp}`);
  assert.ok(file.hitRatio.localDisk >= block.hitRatio.localDisk, `local hit file ${file.hitRatio.localDisk} vs block ${block.hitRatio.localDisk}`);
  assert.ok(file.opsPerSecond > block.opsPerSecond);
});

test('state 10× the disk under zipfian reads: block has the higher hit ratio', () => {
  const base: RunConfigInput = {
    workload: 'kv', workloadParams: { keys: 500_000, valueBytes: 1000, writeRatio: 0, distribution: 'zipfian' },
    ops: 60_000, cacheSize: 50 * 2 ** 20, managedMemory: 16 * 2 ** 20, dfs: 'hdfs',
  };
  const file = run({ ...base, policy: 'file' });
  const block = run({ ...base, policy: 'block' });
  assert.ok(block.hitRatio.localDisk > file.hitRatio.localDisk, `local hit block ${block.hitRatio.localDisk} vs file ${file.hitRatio.localDisk}`);
  assert.ok(block.dfs.reads < file.dfs.reads);
});

test('local vs disaggregated: checkpoints upload all new SSTs vs only the newest data; restore downloads vs opens at once', () => {
  const base: RunConfigInput = {
    workload: 'kv', workloadParams: { keys: 100_000, valueBytes: 1000, writeRatio: 0.5 },
    ops: 500_000, dfs: 'hdfs', checkpointEverySeconds: 2, restoreAtSeconds: 5, verify: true,
  };
  const local = run({ ...base, placement: 'local', policy: 'none' });
  const dis = run({ ...base, placement: 'disaggregated', policy: 'file' });
  for (const s of [local, dis]) {
    assert.ok(s.checkpoint.count >= 2);
    assert.equal(s.verify.mismatches, 0, JSON.stringify(s.verify.firstMismatches));
  }
  // The first local checkpoint uploads every SST (the whole loaded state); disaggregated
  // ones only write what the memtable flush produced.
  assert.ok(local.checkpoint.uploadedBytes > 3 * dis.checkpoint.uploadedBytes,
    `uploaded local ${local.checkpoint.uploadedBytes} vs disaggregated ${dis.checkpoint.uploadedBytes}`);
  // At most the two write buffers that were in memory when it started (64 MiB each).
  assert.ok(dis.checkpoint.last.uploadedBytes <= 2 * 64 * 2 ** 20 + 2 ** 20, `flushed ${dis.checkpoint.last.uploadedBytes}`);
  assert.equal(dis.restore.downloadedBytes, 0);
  assert.equal(local.restore.downloadedBytes, local.restore.bytes);
  assert.ok(local.restore.bytes > 50e6);
  assert.ok(local.restore.durationSeconds > 10 * dis.restore.durationSeconds,
    `restore local ${local.restore.durationSeconds} s vs disaggregated ${dis.restore.durationSeconds} s`);
});

test('--verify: a write-heavy run through flushes and compactions has no mismatches', () => {
  const s = run({
    workload: 'kv', workloadParams: { keys: 100_000, valueBytes: 1000, writeRatio: 0.5, distribution: 'uniform' },
    ops: 400_000, verify: true, policy: 'block', cacheSize: 20 * 2 ** 20,
  });
  assert.ok(s.lsm.flushes >= 2, `flushes ${s.lsm.flushes}`);
  assert.ok(s.verify.reads > 100_000);
  assert.equal(s.verify.mismatches, 0, JSON.stringify(s.verify.firstMismatches));
});

test('same config and seed: identical summary; another seed differs', () => {
  const c: RunConfigInput = { workload: 'kv', workloadParams: { keys: 20_000 }, ops: 20_000, policy: 'file', seed: 3 };
  const a = JSON.stringify(run(c));
  const b = JSON.stringify(run(c));
  const other = JSON.stringify(run({ ...c, seed: 4 }));
  assert.equal(a, b);
  assert.notEqual(a, other);
});

test('remote compaction (FLIP-430): compaction CPU and reads leave the task; results stay correct', () => {
  const base: RunConfigInput = {
    workload: 'kv', workloadParams: { keys: 100_000, valueBytes: 1000, writeRatio: 0.8, distribution: 'uniform' },
    ops: 400_000, verify: true, policy: 'file', cacheSize: 2 ** 30,
  };
  const local = run(base);
  const remote = run({ ...base, store: { remoteCompaction: true } });
  assert.ok(local.lsm.compactions >= 1 && remote.lsm.compactions >= 1, 'both compact');
  assert.equal(remote.verify.mismatches, 0, JSON.stringify(remote.verify.firstMismatches));
  assert.ok(remote.cpu.busySeconds < local.cpu.busySeconds, `task CPU remote ${remote.cpu.busySeconds} vs local ${local.cpu.busySeconds}`);
  // The task's own link reads no compaction inputs; with compaction on the task the file cache serves them locally.
  assert.ok(remote.localDisk.bytesRead < local.localDisk.bytesRead);
});

test('task slots share one CPU and one DFS: CPU-bound work does not scale past the cores, I/O-bound work does', () => {
  const cpuBound: RunConfigInput = {
    workload: 'kv', workloadParams: { keys: 5_000, writeRatio: 0, recordCpuUs: 20 }, ops: 40_000, warmupOps: 20_000, cpu: { cores: 1 },
  };
  const one = run({ ...cpuBound, slots: 1 });
  const two = run({ ...cpuBound, slots: 2 });
  assert.ok(Math.abs(two.opsPerSecond / one.opsPerSecond - 1) < 0.05, `1 core: ${one.opsPerSecond} vs ${two.opsPerSecond} ops/s`);
  const ioBound: RunConfigInput = {
    workload: 'kv', workloadParams: { keys: 100_000, writeRatio: 0, distribution: 'uniform' },
    ops: 6_000, policy: 'none', managedMemory: 16 * 2 ** 20, cpu: { cores: 4 }, verify: true,
  };
  const a = run({ ...ioBound, slots: 1 });
  const b = run({ ...ioBound, slots: 2 });
  assert.ok(b.opsPerSecond > 1.8 * a.opsPerSecond, `DFS-bound: ${a.opsPerSecond} vs ${b.opsPerSecond} ops/s`);
  assert.equal(b.verify.mismatches, 0);
});

test('the timeline accounts for every block read, the partial last second included, and a gauge reads the state before a restore on the boundary', () => {
  const { summary, timeline } = simulate(runConfig.parse({
    workload: 'kv', workloadParams: { keys: 50_000, writeRatio: 0.5 }, ops: 120_000, dfs: 'hdfs', policy: 'file',
    managedMemory: '8MiB', store: { writeBufferSize: '4MiB', targetFileSize: '4MiB', levelBase: '16MiB' },
    checkpointEverySeconds: 1, restoreAtSeconds: 2, seed: 3,
  } satisfies RunConfigInput));
  const blockReads = summary.blockReads as { total: number };
  assert.equal(timeline.reduce((a, r) => a + r.blockReads!, 0), blockReads.total);
  const restoreRow = timeline.findIndex((r) => r.restores! > 0);
  assert.ok(restoreRow >= 1, 'the run restores');
  // The second before the failure ends with a warm cache; the failure empties it only afterwards.
  assert.ok(timeline[restoreRow - 1]!.localCacheBytes! > 0);
  assert.ok(timeline[restoreRow - 1]!.memoryCacheBytes! > 0);
});

test('the timeline covers the measured run only: load and warm-up leave no rows', () => {
  const { summary, timeline } = simulate(runConfig.parse({
    workload: 'kv', workloadParams: { keys: 50_000, writeRatio: 0.5 }, ops: 20_000, warmupOps: 200_000, dfs: 'hdfs', policy: 'file',
    managedMemory: '8MiB', store: { writeBufferSize: '4MiB', targetFileSize: '4MiB', levelBase: '16MiB' }, seed: 5,
  } satisfies RunConfigInput));
  assert.equal(timeline.length, Math.ceil(summary.simulatedSeconds as number));
  assert.equal(timeline.reduce((a, r) => a + r.ops!, 0), summary.ops);
});

test('every policy starts from the same store: the load leaves the same LSM, so a read-only run reads the same blocks', () => {
  const base: RunConfigInput = {
    workload: 'ycsb-c', workloadParams: { recordCount: 60_000 }, ops: 20_000, cacheSize: 8 * 2 ** 20,
    managedMemory: 8 * 2 ** 20, dfs: 's3', store: { writeBufferSize: 2 * 2 ** 20, targetFileSize: 2 * 2 ** 20, levelBase: 8 * 2 ** 20 },
  };
  const runs = ['none', 'file', 'block', 'adaptive'].map((policy) => run({ ...base, policy }));
  type Level = { files: number; bytes: number };
  const shape = (s: Summary) => (s.lsm.levels as Level[]).map((l) => `${l.files}:${l.bytes}`).join(' ');
  assert.ok((runs[0]!.lsm.levels as Level[]).filter((l) => l.files > 0).length >= 2, 'the load compacts into at least two levels');
  for (const s of runs.slice(1)) {
    assert.equal(shape(s), shape(runs[0]!), `${s.policy}: LSM shape`);
    assert.equal(s.blockReads.total, runs[0]!.blockReads.total, `${s.policy}: block reads`);
  }
});
