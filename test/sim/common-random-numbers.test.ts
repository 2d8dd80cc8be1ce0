/**
 * Keyed reads draw common random numbers: the n-th read of a key takes the same
 * first-byte latency whatever else the device served before, and the keyed draws
 * still follow the device's latency distribution, independently from read to read.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';
import { Device, type DeviceSpec } from '../../sim/device.ts';
import { Rng, Xoroshiro128Plus } from '../../sim/random.ts';

/** Exponential first-byte latency (mean 100 µs), no transfer time, no queueing (many slots). */
function device(): Device {
  const dir = { firstByte: { kind: 'exponential' as const, meanUs: 100 }, bandwidthBytesPerSec: 1e15 };
  const spec: DeviceSpec = { name: 'crn', concurrency: 1 << 16, read: dir, write: dir };
  return new Device(spec, 42);
}

/** Latency of each keyed read, in order, of `ops` (a key ≥ 0, 'u' an unkeyed read, 'b' a background read, 'w' a write). */
function latencies(ops: (number | 'u' | 'b' | 'w')[]): Map<string, number> {
  const d = device();
  const seen = new Map<number, number>();
  const out = new Map<string, number>();
  let now = 0;
  for (const op of ops) {
    now += 1000;
    if (op === 'u') d.read(now, 4096);
    else if (op === 'b') d.read(now, 1 << 20, true);
    else if (op === 'w') d.write(now, 4096);
    else {
      const n = (seen.get(op) ?? 0) + 1;
      seen.set(op, n);
      out.set(`${op}#${n}`, d.read(now, 4096, false, op) - now);
    }
  }
  return out;
}

test('the n-th read of a key draws the same latency whatever the device served before it', () => {
  const a = latencies([5, 'u', 7, 'b', 'w', 5, 'u', 'u', 2 ** 40 + 3, 7]);
  const b = latencies([7, 2 ** 40 + 3, 'b', 'b', 5, 7, 5]);
  assert.equal(a.size, 5);
  // (Equal up to the rounding of completion time − submission time.)
  for (const [k, v] of a) assert.ok(Math.abs(b.get(k)! - v) < 1e-6, `${k}: ${b.get(k)} vs ${v}`);
  // A key's reads differ from one another, and keys differ.
  assert.notEqual(a.get('5#1'), a.get('5#2'));
  assert.notEqual(a.get('5#1'), a.get('7#1'));
});

test('unkeyed requests are not shifted by keyed reads between them', () => {
  const run = (keyed: boolean) => {
    const d = device();
    const got: number[] = [];
    for (let i = 0; i < 50; i++) {
      const now = i * 1000;
      if (keyed) d.read(now, 4096, false, i);
      got.push(d.read(now + 1, 4096) - (now + 1));
    }
    return got;
  };
  assert.deepEqual(run(true), run(false));
});

test('keyed draws follow the latency distribution, independently of one another', () => {
  const d = device();
  const n = 40_000;
  const first = new Float64Array(n);
  const second = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    // Keys spread like block ids: file number × 2^21 + local block.
    const key = (k % 200) * 2 ** 21 + Math.floor(k / 200);
    first[k] = d.read(0, 4096, false, key);
    second[k] = d.read(0, 4096, false, key);
  }
  const mean = (a: Float64Array) => a.reduce((s, x) => s + x, 0) / a.length;
  const m1 = mean(first);
  const m2 = mean(second);
  // Exponential with mean 100 µs: the sample mean of 40,000 has a standard error of 0.5 µs.
  assert.ok(Math.abs(m1 - 100) < 2.5, `mean of first reads ${m1}`);
  assert.ok(Math.abs(m2 - 100) < 2.5, `mean of second reads ${m2}`);
  // Its median is 100·ln 2.
  const sorted = Float64Array.from(first).sort();
  assert.ok(Math.abs(sorted[n / 2]! - 100 * Math.LN2) < 2.5, `median ${sorted[n / 2]}`);
  // A key's first and second reads are uncorrelated (|r| of independent samples of 40,000: < 0.02 almost surely).
  let cov = 0;
  let v1 = 0;
  let v2 = 0;
  for (let k = 0; k < n; k++) {
    cov += (first[k]! - m1) * (second[k]! - m2);
    v1 += (first[k]! - m1) ** 2;
    v2 += (second[k]! - m2) ** 2;
  }
  const r = cov / Math.sqrt(v1 * v2);
  assert.ok(Math.abs(r) < 0.02, `correlation ${r}`);
});

test('the rekeyable generator steps as pure-rand\'s xoroshiro128+ from the same state', () => {
  fc.assert(fc.property(fc.array(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), { minLength: 4, maxLength: 4 }), (state) => {
    const [s01, s00, s11, s10] = state as [number, number, number, number];
    if ((s01 | s00 | s11 | s10) === 0) return; // xoroshiro's all-zero state is excluded
    const mine = new Xoroshiro128Plus();
    mine.setState(s01, s00, s11, s10);
    const theirs = xoroshiro128plusFromState([s01, s00, s11, s10]);
    for (let i = 0; i < 50; i++) assert.equal(mine.next(), theirs.next());
  }));
});

test('a stream keyed again gives what a fresh keyed stream gives; an ordinary stream refuses to be keyed', () => {
  const reused = Rng.rekeyable();
  const draws = (rng: Rng) => [rng.next(), rng.normal(), rng.uint32()];
  const base = Rng.keyBase(9, 'crn');
  const first = draws(reused.keyed(base, 123, 1));
  draws(reused.keyed(base, 456, 7));
  assert.deepEqual(draws(reused.keyed(base, 123, 1)), first);
  assert.deepEqual(draws(Rng.rekeyable().keyed(base, 123, 1)), first);
  assert.notDeepEqual(draws(Rng.rekeyable().keyed(base, 123, 2)), first);
  assert.throws(() => Rng.stream(1, 'x').keyed(base, 1, 1), /rekeyable/);
});
