/**
 * Progress reporting (`tiersim run`'s bar): every phase reports its share done, and
 * asking for it changes no simulated result.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runConfig, type RunConfigInput } from '../../scripts/lib/config.ts';
import { simulate } from '../../scripts/lib/simulate.ts';

type Phase = 'load' | 'warmup' | 'run';

const configs: RunConfigInput[] = [
  { workload: 'ycsb-a', workloadParams: { recordCount: 30_000 }, ops: 40_000, warmupOps: 40_000, managedMemory: '8MiB', cacheSize: '16MiB', seed: 3 },
  { workload: 'nexmark-q20', workloadParams: { stateBytes: '24MiB' }, ops: 60_000, warmupOps: 60_000, managedMemory: '4MiB', cacheSize: '8MiB', exec: { mode: 'async' }, seed: 5 },
  { workload: 'wordcount', workloadParams: { uniqueWords: 200_000, preloadWords: 200_000 }, ops: 40_000, warmupOps: 40_000, managedMemory: '4MiB', cacheSize: '8MiB', sample: 0.5 },
];

for (const c of configs) {
  test(`${c.workload}${c.sample ? ', sampled' : ''}: progress through load, warm-up and run, and the same results without it`, () => {
    const config = runConfig.parse(c);
    const plain = simulate(config, () => 0);
    const calls: [Phase, number][] = [];
    const watched = simulate(config, () => 0, { onProgress: (fraction, phase) => { calls.push([phase, fraction]); } });
    assert.deepEqual(watched.summary, plain.summary);
    assert.deepEqual(watched.timeline, plain.timeline);

    const phases = calls.map(([p]) => p).filter((p, i, all) => p !== all[i - 1]);
    assert.deepEqual(phases, ['load', 'warmup', 'run'], 'each phase reports, in order');
    for (const phase of ['load', 'warmup', 'run'] as const) {
      const f = calls.filter(([p]) => p === phase).map(([, x]) => x);
      assert.ok(f.every((x, i) => x >= 0 && x <= 1 + 1e-9 && (i === 0 || x >= f[i - 1]!)), `${phase}: ${f.join(' ')}`);
    }
    // The load reports until close to its end (every 1024 records).
    const load = calls.filter(([p]) => p === 'load').map(([, x]) => x);
    assert.ok(load.at(-1)! > 0.8, `load ends at ${load.at(-1)}`);
  });
}
