import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Memtable } from '../../sim/store/memtable.ts';
import { DELETE, EntryOut, MERGE, PUT, encodedSize } from '../../sim/store/format.ts';
import { mergeToken } from '../../sim/store/merge.ts';
import { mulberry32 } from './helpers.ts';

test('one resolved entry per key; PUT/DELETE replace, MERGE folds', () => {
  const m = new Memtable(16);
  const out = new EntryOut();
  let seq = 0;
  m.add(1, ++seq, PUT, 10, 100);
  m.add(1, ++seq, MERGE, 5, 7);
  assert.ok(m.get(1, out));
  assert.deepEqual({ ...out }, { seq: 2, type: PUT, size: 15, token: mergeToken(100, 5, 7) });

  m.add(2, ++seq, MERGE, 3, 1);
  m.add(2, ++seq, MERGE, 4, 2);
  m.get(2, out);
  assert.deepEqual({ ...out }, { seq: 4, type: MERGE, size: 7, token: mergeToken(1, 4, 2) });

  m.add(3, ++seq, PUT, 8, 9);
  m.add(3, ++seq, DELETE, 123, 456);
  m.get(3, out);
  assert.deepEqual({ ...out }, { seq: 6, type: DELETE, size: 0, token: 0 });
  m.add(3, ++seq, MERGE, 2, 77);
  m.get(3, out);
  assert.deepEqual({ ...out }, { seq: 7, type: PUT, size: 2, token: 77 }, 'merge onto a tombstone: operand onto empty');

  m.add(2, ++seq, PUT, 1, 1);
  m.get(2, out);
  assert.deepEqual({ ...out }, { seq: 8, type: PUT, size: 1, token: 1 });

  assert.equal(m.get(4, out), false);
  assert.equal(m.entryCount, 3);
  assert.equal(m.writeCount, 8);
});

test('byte size grows with every write, like an arena', () => {
  const m = new Memtable(16);
  for (let i = 0; i < 100; i++) m.add(5, i + 1, PUT, 50, i);
  assert.equal(m.entryCount, 1);
  assert.equal(m.byteSize, 100 * encodedSize(16, 50));
  m.add(6, 1000, DELETE, 999, 0);
  assert.equal(m.byteSize, 100 * encodedSize(16, 50) + encodedSize(16, 0), 'a tombstone has no value bytes');
});

test('sequence numbers must increase', () => {
  const m = new Memtable();
  m.add(1, 5, PUT, 1, 1);
  assert.throws(() => m.add(2, 5, PUT, 1, 1), RangeError);
});

test('sorted run and snapshots follow key order through every tail path', () => {
  const rnd = mulberry32(7);
  const m = new Memtable(16, 16);
  const model = new Map<number, number>(); // key -> token of latest put
  let seq = 0;
  const check = () => {
    const keys = [...model.keys()].sort((a, b) => a - b);
    // snapshots from random starts, with limits
    for (let r = 0; r < 3; r++) {
      const from = Math.floor(rnd() * 2 ** 40);
      const limit = 1 + Math.floor(rnd() * 50);
      const snap = m.snapshot(from, limit);
      const want = keys.filter((k) => k >= from).slice(0, limit);
      assert.deepEqual([...snap.keys], want);
      for (let i = 0; i < snap.length; i++) assert.equal(snap.tokens[i], model.get(snap.keys[i]!));
    }
    const full = m.snapshot();
    assert.deepEqual([...full.keys], keys);
    // In place for a scan: two sorted runs of disjoint keys that together hold every key.
    const [sorted, newer] = m.scanRuns();
    const inPlace: number[] = [];
    for (const run of [sorted, newer]) {
      for (let i = 1; i < run.length; i++) assert.ok(run.keyAt(i - 1) < run.keyAt(i));
      for (let i = 0; i < run.length; i++) { inPlace.push(run.keyAt(i)); assert.equal(run.tokenAt(i), model.get(run.keyAt(i))); }
      const from = Math.floor(rnd() * 2 ** 40);
      const at = run.lowerBound(from);
      assert.ok((at === run.length || run.keyAt(at) >= from) && (at === 0 || run.keyAt(at - 1) < from));
    }
    assert.deepEqual(inPlace.sort((a, b) => a - b), keys);
  };
  // Bursts of new keys of different sizes hit binary insertion (≤ 32), tail sorts, tail merges, and full sorts.
  for (const burst of [1, 5, 31, 33, 200, 3000, 5000, 2, 1, 10000, 7]) {
    for (let i = 0; i < burst; i++) {
      const key = Math.floor(rnd() * 2 ** 40);
      const token = Math.floor(rnd() * 2 ** 32);
      m.add(key, ++seq, PUT, 1, token);
      model.set(key, token);
      // updates of existing keys show through without reordering
      if (rnd() < 0.1) {
        const old = [...model.keys()][Math.floor(rnd() * model.size)]!;
        m.add(old, ++seq, PUT, 1, (token ^ 1) >>> 0);
        model.set(old, (token ^ 1) >>> 0);
      }
    }
    check();
  }
  const run = m.sortedRun();
  assert.equal(run.length, model.size);
  const keys = [...model.keys()].sort((a, b) => a - b);
  for (let i = 0; i < run.length; i++) {
    assert.equal(run.keyAt(i), keys[i]);
    assert.equal(run.tokenAt(i), model.get(keys[i]!));
  }
  assert.equal(run.lowerBound(keys[10]!), 10);
  assert.equal(run.lowerBound(keys[10]! + 0.5), 11);
});

test('a reset memtable holds only what is written after it, as a new one would', () => {
  const rnd = mulberry32(11);
  const m = new Memtable(16, 16);
  const out = new EntryOut();
  let seq = 0;
  // Enough first-life keys to grow the tables and leave sorted and tail state behind.
  const before: number[] = [];
  for (let i = 0; i < 6000; i++) {
    const key = Math.floor(rnd() * 2 ** 40);
    before.push(key);
    m.add(key, ++seq, PUT, 10, i);
  }
  m.snapshot(); // sorts
  m.add(before[0]!, ++seq, DELETE, 0, 0);
  for (let i = 0; i < 10; i++) m.add(Math.floor(rnd() * 2 ** 40), ++seq, PUT, 10, i);
  m.scanRuns(); // a sorted tail of new keys
  m.reset();
  assert.equal(m.entryCount, 0);
  assert.equal(m.writeCount, 0);
  assert.equal(m.byteSize, 0);
  assert.equal(m.maxSeq, -1);
  assert.deepEqual([...m.snapshot().keys], []);

  // Second life: a model of the resolved entry per key.
  const model = new Map<number, { seq: number; type: number; size: number; token: number }>();
  let bytes = 0;
  seq = 0;
  for (let i = 0; i < 3000; i++) {
    const key = rnd() < 0.3 ? before[Math.floor(rnd() * before.length)]! : Math.floor(rnd() * 2 ** 40);
    const type = rnd() < 0.1 ? DELETE : PUT;
    const size = type === DELETE ? 0 : 1 + Math.floor(rnd() * 100);
    const token = type === DELETE ? 0 : Math.floor(rnd() * 2 ** 32);
    m.add(key, ++seq, type, size, token);
    model.set(key, { seq, type, size, token });
    bytes += encodedSize(16, size);
  }
  assert.equal(m.entryCount, model.size);
  assert.equal(m.writeCount, 3000);
  assert.equal(m.byteSize, bytes);
  assert.equal(m.maxSeq, seq);
  for (const key of before) {
    const want = model.get(key);
    assert.equal(m.get(key, out), want !== undefined);
    if (want) assert.deepEqual({ ...out }, want);
  }
  for (const [key, want] of model) {
    assert.ok(m.get(key, out));
    assert.deepEqual({ ...out }, want);
  }
  assert.deepEqual([...m.snapshot().keys], [...model.keys()].sort((a, b) => a - b));
  const [sorted, newer] = m.scanRuns();
  assert.equal(sorted.length + newer.length, model.size);
});
