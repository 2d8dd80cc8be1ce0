/** Phase-change workloads: the hot set moves (phase-shift); the state grows past a size (phase-grow). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from '../../sim/errors.ts';
import { OP_GET, OP_PUT, RecordBuf, type Workload } from '../../sim/workload.ts';
import { ZipfianKeys } from '../../sim/key-choosers.ts';
import { Rng } from '../../sim/random.ts';
import { makeWorkload } from '../../workloads/registry.ts';
import { GrowingZipfian, PhaseGrowWorkload, PhaseShiftWorkload } from '../../workloads/phase.ts';
import { runConfig } from '../../scripts/lib/config.ts';
import { simulate } from '../../scripts/lib/simulate.ts';

/** The `size` most frequent keys of `records` records. */
function hotSet(w: Workload, records: number, size = 100): { hot: Set<number>; keys: number[] } {
  const rec = new RecordBuf();
  const freq = new Map<number, number>();
  const keys: number[] = [];
  for (let i = 0; i < records; i++) {
    w.next(rec);
    const k = rec.keys[0]!;
    keys.push(k);
    freq.set(k, (freq.get(k) ?? 0) + 1);
  }
  const hot = new Set([...freq.entries()].sort((a, b) => b[1] - a[1]).slice(0, size).map(([k]) => k));
  return { hot, keys };
}

function loadAll(w: Workload): Set<number> {
  const rec = new RecordBuf();
  const keys = new Set<number>();
  while (w.nextLoad!(rec)) keys.add(rec.keys[0]!);
  return keys;
}

test('phase-shift: the hot sets before and after the shift are disjoint, each inside its region', () => {
  const keys = 20_000;
  const w = new PhaseShiftWorkload({ keys, shiftAtOps: 50_000 }, 3);
  const loaded = loadAll(w);
  assert.equal(loaded.size, 2 * keys, 'both regions are loaded');
  const before = hotSet(w, 50_000);
  const after = hotSet(w, 50_000);
  for (const k of before.hot) assert.ok(!after.hot.has(k), `key ${k} hot in both phases`);
  assert.ok(before.keys.every((k) => k >= 0 && k < keys));
  assert.ok(after.keys.every((k) => k >= keys && k < 2 * keys));
  // The same zipfian, shifted: the hottest key after is the hottest before plus the region's offset.
  const top = (s: { keys: number[] }) => {
    const f = new Map<number, number>();
    for (const k of s.keys) f.set(k, (f.get(k) ?? 0) + 1);
    return [...f.entries()].sort((a, b) => b[1] - a[1])[0]![0];
  };
  assert.equal(top(after), top(before) + keys);
});

test('phase-shift: repeated shifts cycle the regions; interleaved regions are residues', () => {
  const w = new PhaseShiftWorkload({ keys: 1000, regions: 3, shiftAtOps: 100, shiftEveryOps: 50, layout: 'interleaved', writeRatio: 0.5 }, 1);
  const rec = new RecordBuf();
  const regionAt: number[] = [];
  let puts = 0;
  for (let i = 0; i < 300; i++) {
    w.next(rec);
    regionAt.push(rec.keys[0]! % 3);
    assert.ok(rec.keys[0]! < 3000);
    if (rec.types[0] === OP_PUT) puts++;
  }
  const expect = (i: number) => (i < 100 ? 0 : (1 + Math.floor((i - 100) / 50)) % 3);
  regionAt.forEach((r, i) => assert.equal(r, expect(i), `op ${i}`));
  assert.ok(puts > 100 && puts < 200);
});

test('phase-grow: distinct keys written reach the target size, then only reads over the grown space', () => {
  const p = { growToBytes: '10MiB', initialKeys: 1000, keyBytes: 16, valueBytes: 1000 };
  const w = new PhaseGrowWorkload(p, 2);
  const target = Math.ceil(10 * 2 ** 20 / 1016);
  assert.equal(w.targetKeys, target);
  const written = loadAll(w);
  assert.equal(written.size, 1000);
  const rec = new RecordBuf();
  let records = 0;
  let inserts = 0;
  while (!w.grown) {
    w.next(rec);
    records++;
    if (rec.types[0] === OP_PUT) { assert.ok(!written.has(rec.keys[0]!), 'growing writes new keys'); written.add(rec.keys[0]!); inserts++; }
    else assert.ok(written.has(rec.keys[0]!), 'reads existing keys');
  }
  assert.equal(written.size, target);
  assert.ok(written.size * 1016 >= 10 * 2 ** 20);
  assert.ok(Math.abs(inserts / records - 0.5) < 0.02, `insert share while growing ${inserts / records}`);
  // After: reads only, of keys that exist, reaching the keys inserted while growing.
  let late = 0;
  const grownKeys = new Set([...written].slice(1000));
  for (let i = 0; i < 20_000; i++) {
    w.next(rec);
    assert.equal(rec.types[0], OP_GET);
    assert.ok(written.has(rec.keys[0]!));
    if (grownKeys.has(rec.keys[0]!)) late++;
  }
  assert.ok(late > 1000, `${late} reads of keys inserted while growing`);
});

test('phase-grow zipfian: rank 0 (the oldest key) has 1/ζ(n, θ) of the reads of the grown space', () => {
  const w = new PhaseGrowWorkload({ growToBytes: 50_000 * 1016, initialKeys: 500, insertOrder: 'ordered' }, 8);
  loadAll(w);
  const rec = new RecordBuf();
  while (!w.grown) w.next(rec);
  const n = w.count;
  const reads = 100_000;
  let zero = 0;
  for (let i = 0; i < reads; i++) { w.next(rec); if (rec.keys[0] === 0) zero++; }
  let z = 0;
  for (let i = 1; i <= n; i++) z += Math.pow(i, -0.99);
  assert.ok(Math.abs(zero / reads * z - 1) < 0.05, `rank 0 share ${zero / reads} vs ${1 / z}`);
});

test('GrowingZipfian grown step by step matches the zipfian built at the final size', () => {
  const g = new GrowingZipfian(10, 0.8);
  for (let n = 11; n <= 30_000; n += 7) g.grow(n);
  g.grow(30_000);
  const ref = new ZipfianKeys(30_000, 0.8);
  assert.ok(Math.abs(g.zetan / ref.zetan - 1) < 1e-9);
  const a = Rng.stream(1, 'x');
  const b = Rng.stream(1, 'x');
  for (let i = 0; i < 1000; i++) assert.equal(g.next(a), ref.next(b));
});

test('bad parameters are one-line InputErrors naming the parameter', () => {
  const cases: [string, Record<string, unknown>, RegExp][] = [
    ['phase-shift', { regions: 1 }, /regions/],
    ['phase-shift', { zipfianConstant: 1 }, /zipfianConstant/],
    ['phase-shift', { shiftAt: 5 }, /unknown parameter.*shiftAt/],
    ['phase-shift', { keys: -1 }, /keys/],
    ['phase-grow', { growToBytes: 'lots' }, /growToBytes/],
    ['phase-grow', { growInsertRatio: 0 }, /growInsertRatio/],
    ['phase-grow', { distribution: 'hotspot' }, /distribution/],
  ];
  for (const [name, params, re] of cases) {
    assert.throws(() => makeWorkload(name, params, 1), (err: unknown) => {
      assert.ok(err instanceof InputError, String(err));
      assert.match(err.message, re);
      assert.ok(!err.message.includes('\n'));
      return true;
    });
  }
});

test('verified runs of phase-shift and phase-grow', () => {
  for (const [workload, workloadParams] of [
    ['phase-shift', { keys: 5000, shiftAtOps: 5000, writeRatio: 0.3 }],
    ['phase-grow', { growToBytes: '4MiB', initialKeys: 1000, writeRatio: 0.2 }],
  ] as const) {
    const s = simulate(runConfig.parse({ workload, workloadParams, ops: 15_000, verify: true, managedMemory: 16 * 2 ** 20 }), () => 0)
      .summary as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    assert.equal(s.verify.mismatches, 0, `${workload}: ${JSON.stringify(s.verify.firstMismatches)}`);
    assert.ok(s.verify.reads > 5000);
  }
});

test('phase-grow: the initial keys are loaded; an empty start inserts first', () => {
  const w = makeWorkload('phase-grow', { growToBytes: '1MiB', initialKeys: 0, distribution: 'latest' }, 1);
  const rec = new RecordBuf();
  assert.equal(w.nextLoad!(rec), false);
  w.next(rec);
  assert.equal(rec.types[0], OP_PUT);
  for (let i = 0; i < 100; i++) {
    w.next(rec);
    const t: number = rec.types[0]!;
    assert.ok(t === OP_GET || t === OP_PUT);
  }
});
