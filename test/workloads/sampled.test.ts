/**
 * Spatial sampling: the key subset, the filtered stream and its bounds, and a sampled
 * run against the full run it stands for.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SampledWorkload, inSample, sampleHash } from '../../workloads/sampled.ts';
import { makeWorkload } from '../../workloads/registry.ts';
import { hashedKey } from '../../workloads/common.ts';
import { BloomFilter } from '../../sim/store/bloom.ts';
import { OP_GET, OP_PUT, RecordBuf, type Workload } from '../../sim/workload.ts';

test('the sample holds the rate\'s share of sequential and of scrambled keys', () => {
  for (const rate of [0.01, 0.1, 0.5]) {
    for (const keyOf of [(n: number) => n, hashedKey, (n: number) => n * 2 ** 21]) {
      const n = 200_000;
      let kept = 0;
      for (let i = 0; i < n; i++) if (inSample(keyOf(i), rate)) kept++;
      const sd = Math.sqrt(n * rate * (1 - rate));
      assert.ok(Math.abs(kept - n * rate) < 5 * sd, `rate ${rate}: ${kept} of ${n}`);
    }
  }
  assert.ok(inSample(12345, 1));
});

test('the sampling hash is independent of the bloom filter\'s: sampled keys keep the filter\'s false-positive rate', () => {
  const f = new BloomFilter(20_000, 10);
  const members: number[] = [];
  for (let i = 0; members.length < 20_000; i++) if (inSample(hashedKey(i), 0.05)) members.push(hashedKey(i));
  for (const k of members) f.add(k);
  let fp = 0;
  let probes = 0;
  for (let i = 1_000_000; probes < 50_000; i++) {
    const k = hashedKey(i);
    if (!inSample(k, 0.05)) continue;
    probes++;
    if (f.mayContain(k)) fp++;
  }
  // Theory for 10 bits per key and 7 probes: 0.82%.
  assert.ok(fp / probes > 0.005 && fp / probes < 0.012, `false-positive rate ${fp / probes}`);
  assert.notEqual(sampleHash(1), sampleHash(2));
});

/** A workload of records with several keys each, for checking the filter. */
function multiKey(records: number): Workload {
  let n = 0;
  let loaded = 0;
  return {
    name: 'multi', keyBytes: 16,
    nextLoad(rec) { if (loaded >= 1000) return false; rec.reset(0); rec.push(OP_PUT, loaded++, 100, 7); return true; },
    next(rec) {
      if (n >= records) return false;
      rec.reset(10);
      if (n % 7 !== 3) for (let j = 0; j < 4; j++) rec.push(j % 2 ? OP_GET : OP_PUT, (n * 4 + j) * 977, 50, j);
      n++;
      return true;
    },
    describe: () => ({}),
  };
}

test('a sampled stream keeps the operations on sampled keys in order, with their share of the record\'s CPU', () => {
  const rate = 0.3;
  const full = multiKey(5000);
  const sampled = new SampledWorkload(multiKey(5000), rate);
  const a = new RecordBuf();
  const b = new RecordBuf();
  const expected: string[] = [];
  let bare = 0;
  while (full.next(a)) {
    const keep: string[] = [];
    for (let i = 0; i < a.count; i++) if (inSample(a.keys[i]!, rate)) keep.push(`${a.types[i]}:${a.keys[i]}:${a.sizes[i]}:${a.tokens[i]}`);
    if (a.count === 0) { if (inSample(bare++, rate)) expected.push('bare 10'); continue; }
    if (keep.length > 0) expected.push(`${keep.join(' ')} cpu ${(10 * keep.length) / a.count}`);
  }
  const got: string[] = [];
  while (sampled.next(b)) {
    if (b.count === 0) { got.push(`bare ${b.cpuUs}`); continue; }
    const ops: string[] = [];
    for (let i = 0; i < b.count; i++) ops.push(`${b.types[i]}:${b.keys[i]}:${b.sizes[i]}:${b.tokens[i]}`);
    got.push(`${ops.join(' ')} cpu ${b.cpuUs}`);
  }
  assert.deepEqual(got, expected);
  assert.equal(sampled.innerRecords, 5000);
  // The load is filtered by the same keys.
  let loads = 0;
  while (sampled.nextLoad!(b)) { loads++; assert.ok(inSample(b.keys[0]!, rate)); }
  let expectedLoads = 0;
  for (let k = 0; k < 1000; k++) if (inSample(k, rate)) expectedLoads++;
  assert.equal(loads, expectedLoads);
});

test('a sampled stream ends where the full stream\'s bounds end, counting the full stream', () => {
  const w = new SampledWorkload(makeWorkload('ycsb-b', { recordCount: 10_000, load: false }, 1), 0.1);
  const rec = new RecordBuf();
  w.budget(Infinity, 20_000);
  let n = 0;
  while (w.next(rec)) n++;
  assert.equal(w.innerOps, 20_000);
  assert.ok(n > 1500 && n < 2500, `${n} sampled records of 20,000`);
  w.budget(500, Infinity);
  while (w.next(rec));
  assert.equal(w.innerRecords, 500);
});

test('findHeavyKeys finds every key above the share (exact counts as the reference) and few below half of it', async () => {
  const { findHeavyKeys } = await import('../../workloads/sampled.ts');
  const ops = 200_000;
  const w = makeWorkload('ycsb-c', { recordCount: 100_000, load: false }, 3);
  const exact = new Map<number, number>();
  const rec = new RecordBuf();
  for (let i = 0; i < ops; i++) { w.next(rec); exact.set(rec.keys[0]!, (exact.get(rec.keys[0]!) ?? 0) + 1); }
  const share = 0.002;
  const heavy = new Set(findHeavyKeys(makeWorkload('ycsb-c', { recordCount: 100_000, load: false }, 3), Infinity, ops, share));
  for (const [k, n] of exact) {
    if (n >= share * ops) assert.ok(heavy.has(k), `key ${k} with ${n} of ${ops}`);
    if (n < (share / 2) * ops - 16) assert.ok(!heavy.has(k), `key ${k} with only ${n}`);
  }
  assert.ok(heavy.size >= 5, `${heavy.size} heavy keys`); // YCSB's top ranks: 3.8%, 1.9%, 1.3%, ...
});

test('a heavy key is always loaded and keeps about the rate\'s share of its operations', () => {
  const rate = 0.1;
  const hot = 4242;
  const inner: Workload = {
    name: 'hot', keyBytes: 8,
    nextLoad: (() => { let n = 0; return (rec: RecordBuf) => { if (n > 0) return false; n++; rec.reset(0); rec.push(OP_PUT, hot, 10, 1); return true; }; })(),
    next(rec) { rec.reset(1); rec.push(OP_GET, hot); return true; },
    describe: () => ({}),
  };
  const w = new SampledWorkload(inner, rate, [hot]);
  const rec = new RecordBuf();
  assert.ok(w.nextLoad!(rec) && rec.keys[0] === hot);
  w.budget(Infinity, 100_000);
  let kept = 0;
  while (w.next(rec)) kept++;
  assert.ok(Math.abs(kept - 10_000) < 5 * Math.sqrt(100_000 * rate * (1 - rate)), `${kept} of 100,000`);
});

test('loadFraction is the share of the loaded bytes the sample keeps', async () => {
  const { loadFraction } = await import('../../workloads/sampled.ts');
  const f = loadFraction(makeWorkload('ycsb-a', { recordCount: 100_000 }, 1), 0.05)!;
  let kept = 0;
  for (let n = 0; n < 100_000; n++) if (inSample(hashedKey(n), 0.05)) kept++;
  assert.equal(f, kept / 100_000); // equal value sizes: the key share
  assert.equal(loadFraction(makeWorkload('ycsb-a', { recordCount: 100, load: false }, 1), 0.05), undefined);
});
