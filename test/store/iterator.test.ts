import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { LevelRun, MergingIterator } from '../../sim/store/iterator.ts';
import { SortedEntries, type SortedRun } from '../../sim/store/run.ts';
import { SstBuilder } from '../../sim/store/sst.ts';
import { storeOptions } from '../../sim/store/options.ts';
import { PUT } from '../../sim/store/format.ts';

/** A run of the given keys (sorted, distinct) with the given sequence number for all. */
function run(keys: number[], seq: number): SortedEntries {
  const r = SortedEntries.allocate(keys.length);
  keys.forEach((k, i) => {
    r.keys[i] = k;
    r.seqs[i] = seq;
    r.types[i] = PUT;
    r.sizes[i] = 1;
    r.tokens[i] = seq;
  });
  return r;
}

test('per key in order, every run\'s entry, newest sequence first', () => {
  const keySet = fc.uniqueArray(fc.nat(200), { maxLength: 40 }).map((a) => a.sort((x, y) => x - y));
  fc.assert(fc.property(fc.array(keySet, { maxLength: 6 }), fc.nat(210), (sets, from) => {
    // Sequence numbers are distinct per run and unrelated to run order.
    const seqs = sets.map((_, i) => ((i * 7) % 11) + 100 * i);
    const runs: SortedRun[] = sets.map((keys, i) => run(keys, seqs[i]!));
    const want: [number, number][] = [];
    sets.forEach((keys, i) => keys.forEach((k) => { if (k >= from) want.push([k, seqs[i]!]); }));
    want.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
    const it = new MergingIterator(runs);
    it.seek(from);
    const got: [number, number][] = [];
    while (it.valid) {
      assert.equal(runs[it.run]!.keyAt(it.position), it.key());
      got.push([it.key(), it.seq()]);
      it.next();
    }
    assert.deepEqual(got, want);
    // nextKey visits each key once
    it.seekToFirst();
    const keys: number[] = [];
    while (it.valid) { keys.push(it.key()); it.nextKey(); }
    assert.deepEqual(keys, [...new Set(sets.flat())].sort((a, b) => a - b));
  }), { numRuns: 300 });
});

test('a level of files reads as one run', () => {
  const o = storeOptions({ blockSize: 64 });
  const b = new SstBuilder(o);
  const files = [];
  const all: number[] = [];
  let key = 10;
  for (let f = 0; f < 5; f++) {
    for (let i = 0; i < 20 + f; i++) { b.add(key, key, PUT, 1, key); all.push(key); key += 3; }
    files.push(b.finish(f + 1));
    key += 100;
  }
  const level = new LevelRun(files);
  assert.equal(level.length, all.length);
  // sequential and random access agree
  for (let i = 0; i < all.length; i++) assert.equal(level.keyAt(i), all[i]);
  for (let i = all.length - 1; i >= 0; i -= 7) {
    assert.equal(level.keyAt(i), all[i]);
    assert.equal(level.fileAt(i).keys[level.indexInFile(i)], all[i]);
  }
  for (const probe of [0, 10, 11, all[30]!, all[30]! + 50, all[all.length - 1]!, 1e9]) {
    const want = all.findIndex((k) => k >= probe);
    assert.equal(level.lowerBound(probe), want < 0 ? all.length : want, `lowerBound(${probe})`);
  }
  assert.equal(new LevelRun([]).length, 0);
});
