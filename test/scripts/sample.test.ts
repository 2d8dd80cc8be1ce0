/**
 * Spatial sampling of whole runs (--sample): the scaled sizes, and a sampled run
 * against the full run it stands for.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runConfig, type RunConfigInput } from '../../scripts/lib/config.ts';
import { sampledConfig } from '../../scripts/lib/sample.ts';
import { resolveCacheSize } from '../../scripts/lib/cache-share.ts';
import { simulate } from '../../scripts/lib/simulate.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Summary = Record<string, any>;
const run = (c: RunConfigInput): Summary => simulate(runConfig.parse(c), () => 0).summary as Summary;

test('sizes that grow with the state scale by the rate; sizes of single requests do not', () => {
  const full = resolveCacheSize(runConfig.parse({ policy: 'file', managedMemory: '512MiB', cacheSize: '1GiB', checkpointEverySeconds: 10 }));
  const s = sampledConfig({ ...full, sample: 0.01 });
  assert.equal(s.managedMemory, Math.round(512 * 2 ** 20 * 0.01));
  assert.equal(s.cacheSize, Math.round(2 ** 30 * 0.01));
  assert.equal(s.store.writeBufferSize, Math.round(64 * 2 ** 20 * 0.01));
  assert.equal(s.store.targetFileSize, Math.round(64 * 2 ** 20 * 0.01));
  assert.equal(s.store.levelBase, Math.round(256 * 2 ** 20 * 0.01));
  assert.equal(s.policyOptions.reserve, Math.round(256 * 2 ** 20 * 0.01));
  assert.equal(s.store.blockSize, full.store.blockSize);
  assert.equal(s.store.compactionReadahead, full.store.compactionReadahead);
  assert.equal(s.checkpointEverySeconds, 0.1);
  const given = sampledConfig({ ...full, policyOptions: { 'state.backend.forst.cache.reserve-size': '1GiB' }, sample: 0.5 });
  assert.equal(given.policyOptions['state.backend.forst.cache.reserve-size'], 2 ** 29);
  assert.equal(given.policyOptions.reserve, undefined);
  assert.equal(sampledConfig(full), full);
});

test('5% and 10% samples of YCSB-B read from the DFS and the local disk as the full run does, with its latencies and throughput', () => {
  const base: RunConfigInput = {
    workload: 'ycsb-b', workloadParams: { recordCount: 400_000 }, ops: 400_000,
    managedMemory: '64MiB', cacheSize: '128MiB', store: { writeBufferSize: '16MiB', targetFileSize: '16MiB', levelBase: '64MiB' },
  };
  const full = run(base);
  const dfsPerGet = (s: Summary) => s.blockReads.dfs / s.latencyUs.get.count;
  for (const rate of [0.05, 0.1]) {
    const sampled = run({ ...base, sample: rate });
    const what = `rate ${rate}`;
    assert.ok(Math.abs(dfsPerGet(sampled) / dfsPerGet(full) - 1) < 0.1, `${what}: DFS reads per get ${dfsPerGet(sampled)} vs ${dfsPerGet(full)}`);
    assert.ok(Math.abs(sampled.hitRatio.localDisk - full.hitRatio.localDisk) < 0.03, `${what}: local hit ${sampled.hitRatio.localDisk} vs ${full.hitRatio.localDisk}`);
    for (const p of ['p90', 'p99']) {
      const a = sampled.latencyUs.get[p];
      const b = full.latencyUs.get[p];
      assert.ok(Math.abs(a / b - 1) < 0.1, `${what}: get ${p} ${a} vs ${b}`);
    }
    // About `rate` of the operations over about `rate` of the time: the same throughput.
    assert.ok(Math.abs(sampled.ops / full.ops / rate - 1) < 0.1, `${what}: ${sampled.ops} of ${full.ops} operations`);
    assert.ok(Math.abs(sampled.opsPerSecond / full.opsPerSecond - 1) < 0.1, `${what}: ops/s ${sampled.opsPerSecond} vs ${full.opsPerSecond}`);
    assert.equal(sampled.lsm.levels.filter((l: Summary) => l.files > 0).at(-1).level, full.lsm.levels.filter((l: Summary) => l.files > 0).at(-1).level);
    assert.equal(sampled.sample.rate, rate);
    assert.equal(sampled.sample.workloadOps, 400_000);
    assert.ok(Math.abs(sampled.sample.stateFraction / rate - 1) < 0.1);
  }
});

test('a sampled run with writes, checkpoints and a restore reads back every value it wrote', () => {
  const s = run({
    workload: 'kv', workloadParams: { keys: 200_000, writeRatio: 0.5 }, ops: 300_000, sample: 0.1,
    managedMemory: '32MiB', checkpointEverySeconds: 1, restoreAtSeconds: 2, verify: true,
  });
  assert.equal(s.verify.mismatches, 0, JSON.stringify(s.verify.firstMismatches));
  assert.ok(s.verify.reads > 10_000);
  assert.ok(s.checkpoint.count >= 1 && s.restore);
});
