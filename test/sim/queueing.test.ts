/**
 * Devices against queueing theory's closed forms: M/M/1 and M/M/c mean waiting
 * times from the Erlang C formula, and a closed loop's throughput k / latency.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Device, type DeviceSpec } from '../../sim/device.ts';
import { Process, type Sim } from '../../sim/process.ts';
import { Rng } from '../../sim/random.ts';
import { Scheduler } from '../../sim/scheduler.ts';
import { probe } from '../../sim/probe.ts';

function factorial(n: number): number {
  let f = 1;
  for (let i = 2; i <= n; i++) f *= i;
  return f;
}

/** Erlang C: mean time in queue of M/M/c with arrival rate λ and service rate μ per server. */
function erlangCWait(c: number, lambda: number, mu: number): number {
  const a = lambda / mu; // offered load in Erlangs
  const rho = a / c;
  let sum = 0;
  for (let k = 0; k < c; k++) sum += a ** k / factorial(k);
  const top = (a ** c / factorial(c)) / (1 - rho);
  const pWait = top / (sum + top);
  return pWait / (c * mu - lambda);
}

function exponentialDevice(c: number, meanServiceUs: number): DeviceSpec {
  const dir = { firstByte: { kind: 'exponential' as const, meanUs: meanServiceUs }, bandwidthBytesPerSec: 1e12 };
  return { name: 'mm', concurrency: c, read: dir, write: dir };
}

/** Poisson arrivals into `device`; returns the mean queue wait (µs). */
function simulateWait(c: number, load: number, arrivals: number, seed: number): number {
  const meanService = 100;
  const lambda = (load * c) / meanService; // per µs
  const scheduler = new Scheduler();
  const device = new Device(exponentialDevice(c, meanService), seed);
  const rng = Rng.stream(seed, 'arrivals');
  function* source(): Sim {
    let now = 0;
    for (let i = 0; i < arrivals; i++) {
      now = yield now + -Math.log(1 - rng.next()) / lambda;
      device.read(now, 0);
    }
  }
  new Process(scheduler, source()).start();
  scheduler.run();
  return device.stats.queueWaitUs / arrivals;
}

for (const c of [1, 4]) {
  for (const load of [0.5, 0.9]) {
    test(`M/M/${c} at load ${load}: mean wait within 3% of Erlang C`, () => {
      const expected = erlangCWait(c, (load * c) / 100, 1 / 100);
      // At load 0.9 the waiting time is strongly autocorrelated: average over many arrivals and 3 seeds.
      const arrivals = load > 0.8 ? 1_500_000 : 300_000;
      let sum = 0;
      for (const seed of [1, 2, 3]) sum += simulateWait(c, load, arrivals, seed);
      const measured = sum / 3;
      const err = Math.abs(measured - expected) / expected;
      assert.ok(err < 0.03, `measured ${measured.toFixed(2)} µs vs Erlang C ${expected.toFixed(2)} µs (error ${(err * 100).toFixed(2)}%)`);
    });
  }
}

test('closed loop on a constant-latency device: throughput k/latency up to the concurrency limit, then flat', () => {
  const latency = 250; // µs
  const dir = { firstByte: { kind: 'constant' as const, us: latency }, bandwidthBytesPerSec: 1e15 };
  const spec: DeviceSpec = { name: 'const', concurrency: 8, read: dir, write: dir };
  for (const k of [1, 2, 4, 8, 16, 32]) {
    const r = probe(spec, { blockSize: 4096, iodepth: k, ops: 20_000, write: false, seed: 1 });
    const expected = (Math.min(k, 8) / latency) * 1e6;
    assert.ok(Math.abs(r.iops - expected) / expected < 0.001, `iodepth ${k}: ${r.iops} IOPS, expected ${expected}`);
    // Past the limit the extra requests wait in the queue: latency grows as k/8 × 250 µs.
    const expectedLatency = latency * Math.max(1, k / 8);
    assert.ok(Math.abs(r.latencyUs.mean - expectedLatency) / expectedLatency < 0.01, `iodepth ${k}: mean latency ${r.latencyUs.mean}`);
  }
});

test('aggregate bandwidth caps throughput at the shared pipe', () => {
  const dir = { firstByte: { kind: 'constant' as const, us: 100 }, bandwidthBytesPerSec: 100e6 };
  const spec: DeviceSpec = { name: 'nic', concurrency: 64, read: dir, write: dir, aggregateBandwidthBytesPerSec: 1e9 };
  // 64 streams × 100 MB/s would be 6.4 GB/s; the pipe allows 1 GB/s.
  const r = probe(spec, { blockSize: 8 << 20, iodepth: 64, ops: 2000, write: false, seed: 1 });
  assert.ok(Math.abs(r.bytesPerSecond - 1e9) / 1e9 < 0.02, `bandwidth ${r.bytesPerSecond}`);
  // One stream alone is limited by its own bandwidth: 8 MiB at 100 MB/s = 83.9 ms + 0.1 ms.
  const one = probe(spec, { blockSize: 8 << 20, iodepth: 1, ops: 10, write: false, seed: 1 });
  assert.ok(Math.abs(one.latencyUs.mean - (100 + (8 << 20) / 100)) < 100);
});
