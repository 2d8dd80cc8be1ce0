/**
 * Progress reporting (`tiersim run`'s bar): every phase reports its share done, and
 * asking for it changes no simulated result.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runConfig, type RunConfigInput } from '../../scripts/lib/config.ts';
import { simulate } from '../../scripts/lib/simulate.ts';
import { join } from 'node:path';
import { openTraceSink, recordingWorkload } from '../../workloads/state-trace-writer.ts';
import { tempDir } from '../temp-dir.ts';

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

test('a recorded trace: progress is the share of its file read, from the load to the end of the run', () => {
  // Recorded from kv: 20,000 loaded keys, then 30,000 records of warm-up and 150,000 measured.
  const path = join(tempDir('progress-trace'), 'kv.csv');
  const kv: RunConfigInput = { workload: 'kv', workloadParams: { keys: 20_000, valueBytes: 500 }, ops: 150_000, warmupOps: 30_000, managedMemory: '4MiB', cacheSize: '4MiB', seed: 2 };
  const sink = openTraceSink(path);
  simulate(runConfig.parse(kv), () => 0, { wrapWorkload: (w) => recordingWorkload(w, sink.write, { format: 'csv' }) });
  sink.close();

  const config = runConfig.parse({ ...kv, workload: 'trace', workloadParams: { trace: path }, ops: undefined });
  const plain = simulate(config, () => 0);
  const calls: [Phase, number][] = [];
  const watched = simulate(config, () => 0, { onProgress: (fraction, phase) => { calls.push([phase, fraction]); } });
  assert.deepEqual(watched.summary, plain.summary);
  assert.equal((watched.summary as { ops: number }).ops, 150_000, 'the run is the rest of the trace');

  const phases = calls.map(([p]) => p).filter((p, i, all) => p !== all[i - 1]);
  assert.deepEqual(phases, ['load', 'warmup', 'run']);
  const of = (phase: Phase) => calls.filter(([p]) => p === phase).map(([, x]) => x);
  const load = of('load');
  const run = of('run');
  for (const f of [load, run]) assert.ok(f.every((x, i) => x >= 0 && x <= 1 && (i === 0 || x >= f[i - 1]!)), f.join(' '));
  // The load's lines are about a tenth of the file's bytes (20,000 of 200,000 put or get lines).
  assert.ok(load.at(-1)! > 0.05 && load.at(-1)! < 0.2, `load ends at ${load.at(-1)}`);
  assert.ok(run[0]! > load.at(-1)!, `run starts at ${run[0]}, past the load's ${load.at(-1)}`);
  assert.ok(run.length >= 3 && run.at(-1)! > 0.85, `run: ${run.join(' ')}`);
});
