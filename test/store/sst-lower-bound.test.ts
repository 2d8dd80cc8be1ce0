/**
 * A file's lowerBound (a scan's seek: its radix table, then one block's entries)
 * against a plain binary search over all its keys.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { SstBuilder } from '../../sim/store/sst.ts';
import { storeOptions } from '../../sim/store/options.ts';

function plainLowerBound(keys: Float64Array, key: number): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

test('SstFile.lowerBound agrees with a binary search over all keys, at, between and beyond its keys', () => {
  const gaps = fc.array(fc.oneof(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 2 ** 30 })), { minLength: 1, maxLength: 600 });
  fc.assert(fc.property(gaps, fc.integer({ min: 0, max: 2 ** 40 }), fc.integer({ min: 1, max: 400 }), fc.integer({ min: 64, max: 2048 }),
    (steps, first, valueBytes, blockSize) => {
      const b = new SstBuilder(storeOptions({ blockSize, targetFileSize: 2 ** 30 }));
      let key = first;
      for (const [i, step] of steps.entries()) { key += step; b.add(key, i, 1, valueBytes, i); }
      const f = b.finish(1);
      const probes = [-Infinity, Infinity, first, first - 1, key + 1, key, 2 ** 53];
      for (let i = 0; i < f.keys.length; i++) probes.push(f.keys[i]!, f.keys[i]! - 1, f.keys[i]! + 0.5);
      for (const p of probes) assert.equal(f.lowerBound(p), plainLowerBound(f.keys, p), `key ${p}`);
    }), { numRuns: 200 });
});
