/**
 * The replay's per-algorithm loop: the same misses, missed bytes and evictions as
 * calling access() request by request on a twin cache, and one compiled loop per
 * algorithm (so its call site sees one class).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { accessLoop } from '../../policies/eviction/access-loop.ts';
import { EVICTION_ALGORITHMS, makeEvictionCache } from '../../policies/eviction/registry.ts';
import { isOracle } from '../../policies/eviction/types.ts';

const ONLINE = Object.keys(EVICTION_ALGORITHMS).filter((n) => !isOracle(makeEvictionCache(n, 100)));

test('accessLoop: misses, missed bytes and evictions equal a request-by-request replay (fast-check)', () => {
  for (const name of ONLINE) {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 500 }), fc.array(fc.integer({ min: 0, max: 60 }), { maxLength: 400 }), (capacity, requests) => {
        const ids = Float64Array.from(requests);
        const sizes = Float64Array.from(requests, (id) => 1 + ((id * 2654435761) >>> 0) % 40);
        const twin = makeEvictionCache(name, capacity);
        const twinEvicted: number[] = [];
        twin.onEvict = (id) => twinEvicted.push(id);
        let misses = 0;
        let byteMisses = 0;
        ids.forEach((id, i) => {
          if (!twin.access(id, sizes[i]!)) {
            misses++;
            byteMisses += sizes[i]!;
          }
        });
        const cache = makeEvictionCache(name, capacity);
        const evicted: number[] = [];
        cache.onEvict = (id) => evicted.push(id);
        const out = new Float64Array(2);
        // In two batches, as the replay feeds it.
        const half = ids.length >> 1;
        accessLoop(cache)(cache, ids, sizes, half, out);
        const first = [out[0]!, out[1]!];
        accessLoop(cache)(cache, ids.subarray(half), sizes.subarray(half), ids.length - half, out);
        assert.deepEqual([first[0]! + out[0]!, first[1]! + out[1]!], [misses, byteMisses], name);
        assert.deepEqual(evicted, twinEvicted, name);
        assert.equal(cache.usedBytes, twin.usedBytes, name);
      }),
      { numRuns: 30 },
    );
  }
});

test('accessLoop: one loop per algorithm, shared by its caches of every size', () => {
  const loops = ONLINE.map((n) => accessLoop(makeEvictionCache(n, 1000)));
  assert.equal(new Set(loops).size, ONLINE.length);
  ONLINE.forEach((n, i) => assert.equal(accessLoop(makeEvictionCache(n, 50)), loops[i], n));
});
