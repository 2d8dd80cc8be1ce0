/**
 * The asynchronous execution model against sync on the same job: async wins once DFS
 * latency dominates, and pays its CPU overhead when everything hits memory.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runConfig, type RunConfigInput } from '../../scripts/lib/config.ts';
import { simulate } from '../../scripts/lib/simulate.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const run = (c: RunConfigInput): Record<string, any> => simulate(runConfig.parse(c), () => 0).summary as Record<string, any>;

test('DFS latency dominates: async reaches higher throughput than sync', () => {
  const base: RunConfigInput = {
    workload: 'kv', workloadParams: { keys: 200_000, writeRatio: 0.2, distribution: 'uniform' },
    managedMemory: 32 * 2 ** 20, policy: 'none', dfs: 'hdfs', ops: 30_000, verify: true,
  };
  const sync = run({ ...base, exec: { mode: 'sync' } });
  const async = run({ ...base, exec: { mode: 'async' } });
  assert.ok(async.opsPerSecond > 1.5 * sync.opsPerSecond, `async ${async.opsPerSecond} vs sync ${sync.opsPerSecond}`);
  assert.equal(async.verify.mismatches, 0, JSON.stringify(async.verify.firstMismatches));
  // FLIP-426 grouping lets each read thread keep several DFS reads in flight.
  const grouped = run({ ...base, exec: { mode: 'async', batchSize: 16 } });
  assert.ok(grouped.opsPerSecond > 1.5 * async.opsPerSecond, `grouped ${grouped.opsPerSecond} vs async ${async.opsPerSecond}`);
  assert.equal(grouped.verify.mismatches, 0);
});

test('everything in memory: async is equal or slightly lower (its CPU overhead)', () => {
  const base: RunConfigInput = {
    workload: 'kv', workloadParams: { keys: 10_000, writeRatio: 0 }, ops: 50_000, warmupOps: 50_000, cpu: { cores: 1 },
  };
  const sync = run({ ...base, exec: { mode: 'sync' } });
  const async = run({ ...base, exec: { mode: 'async' } });
  assert.equal(sync.hitRatio.memory, 1);
  assert.ok(async.opsPerSecond <= sync.opsPerSecond, `async ${async.opsPerSecond} vs sync ${sync.opsPerSecond}`);
  assert.ok(async.opsPerSecond > 0.85 * sync.opsPerSecond);
  assert.ok(async.cpu.cpuUsPerOp > sync.cpu.cpuUsPerOp);
});
