/** `tiersim run`'s last lines: the wall time, and the same split by phase. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

test('run splits its wall time into load, warm-up and measured run, and rates the run by its own', () => {
  const r = spawnSync(process.execPath, ['bin/tiersim.mjs', 'run', '--workload', 'ycsb-b', '--param', 'recordCount=100000',
    '--ops', '40000', '--warmup', '20000'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const ops = Number(/: (\d+) ops in /.exec(r.stdout)![1]);
  const wall = Number(/^ {2}wall ([\d.]+) s \(/m.exec(r.stdout)![1]);
  const m = /^ {2}wall by phase: load ([\d.]+) s, warm-up ([\d.]+) s, measured run ([\d.]+) s \((\d+) ops per wall second\)$/m.exec(r.stdout);
  assert.ok(m, r.stdout);
  const [load, warmup, run, rate] = m.slice(1).map(Number) as [number, number, number, number];
  assert.equal(ops, 40_000);
  assert.ok(load > 0 && warmup > 0 && run > 0, m[0]);
  // The phases lie within the whole (each printed to 0.01 s, the whole to 0.001 s).
  assert.ok(load + warmup + run <= wall + 0.02, `${m[0]} against wall ${wall}`);
  // The rate is the measured run's operations over its own seconds (rounded for print).
  assert.ok(Math.abs(rate * run - ops) <= rate * 0.005 + 1, `${rate} ops/s × ${run} s against ${ops} ops`);
});
