import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { sortKeyPositions } from '../../sim/store/key-sort.ts';

// The reference: positions ordered by a comparison of their keys.
function byComparison(keys: Float64Array, from: number, to: number): number[] {
  const positions: number[] = [];
  for (let i = from; i < to; i++) positions.push(i);
  return positions.sort((a, b) => keys[a]! - keys[b]!);
}

test('sortKeyPositions orders positions as a comparison of their keys does, for any distinct doubles', () => {
  const key = fc.oneof(
    fc.integer({ min: 0, max: 2 ** 53 - 1 }),
    fc.integer({ min: 0, max: 5000 }),
    fc.integer({ min: -(2 ** 53) + 1, max: 2 ** 53 - 1 }),
    fc.double({ noNaN: true }),
    fc.constantFrom(0, 2 ** 32, 2 ** 32 - 1, 2 ** 31, -1, Infinity, -Infinity, Number.MIN_VALUE, -Number.MIN_VALUE),
  );
  const distinct = fc.uniqueArray(key, { maxLength: 300, comparator: (a, b) => a === b });
  fc.assert(fc.property(distinct, fc.nat(20), fc.nat(20), (values, before, after) => {
    // Keys sit inside a larger array, as a memtable's new slots do after its sorted prefix.
    const keys = new Float64Array(before + values.length + after).fill(123.5);
    keys.set(values, before);
    const dst = new Uint32Array(values.length);
    assert.equal(sortKeyPositions(keys, before, before + values.length, dst), values.length);
    assert.deepEqual([...dst], byComparison(keys, before, before + values.length));
  }), { numRuns: 300 });
});

test('sortKeyPositions sorts more keys than its buffers held, and keys alike in every digit but one', () => {
  // 70,000 keys that differ only in bits 22-32: every other digit pass is skipped.
  const n = 70_000;
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) keys[i] = 2 ** 40 + ((i * 7919) % n) * 2 ** 22 + 5;
  const dst = new Uint32Array(n);
  sortKeyPositions(keys, 0, 10, new Uint32Array(10));
  sortKeyPositions(keys, 0, n, dst);
  assert.deepEqual([...dst], byComparison(keys, 0, n));
});
