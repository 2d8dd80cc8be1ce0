import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { KeyIndex, fingerprint } from '../../sim/store/key-index.ts';

// A Map is the reference; keys live in an array beside the index, as in a memtable.
test('KeyIndex finds every key it was given, and no other, across growth', () => {
  const key = fc.oneof(fc.integer({ min: 0, max: 2 ** 53 - 1 }), fc.integer({ min: -50, max: 50 }),
    fc.integer({ min: 0, max: 40 }).map((k) => k * 2 ** 32 + 3));
  fc.assert(fc.property(fc.array(key, { maxLength: 500 }), fc.array(key, { maxLength: 50 }), (adds, probes) => {
    const index = new KeyIndex(4);
    const keys = new Float64Array(adds.length);
    const m = new Map<number, number>();
    let n = 0;
    for (const k of adds) {
      const had = index.getOrAdd(k, keys, n);
      assert.equal(had, m.get(k) ?? -1);
      if (had < 0) { keys[n] = k; m.set(k, n++); }
      assert.equal(index.size, m.size);
    }
    for (const [k, slot] of m) assert.equal(index.get(k, keys), slot);
    for (const k of probes) assert.equal(index.get(k, keys), m.get(k) ?? -1);
    index.clear();
    for (const k of m.keys()) assert.equal(index.get(k, keys), -1);
  }));
});

test('KeyIndex tells apart keys whose fingerprints are equal', () => {
  // Search seeded keys for two with one fingerprint (about 5 such pairs in 200,000).
  const seen = new Map<number, number>();
  let pair: [number, number] | undefined;
  let x = 12345;
  for (let i = 0; i < 400_000 && !pair; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    const k = x * 2 ** 21 + (i & 0x1fffff);
    const fp = fingerprint(k);
    const other = seen.get(fp);
    if (other !== undefined && other !== k) pair = [other, k];
    seen.set(fp, k);
  }
  assert.ok(pair, 'no two keys with one fingerprint found');
  const [a, b] = pair;
  const keys = new Float64Array(2);
  const index = new KeyIndex(4);
  assert.equal(index.getOrAdd(a, keys, 0), -1);
  keys[0] = a;
  assert.equal(index.get(b, keys), -1);
  assert.equal(index.getOrAdd(b, keys, 1), -1);
  keys[1] = b;
  assert.equal(index.get(a, keys), 0);
  assert.equal(index.get(b, keys), 1);
  assert.equal(index.getOrAdd(a, keys, 2), 0);
});
