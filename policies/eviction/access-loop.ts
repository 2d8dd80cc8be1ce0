/**
 * A batch of requests through one cache: the replay's inner loop.
 *
 * One loop that calls access() on caches of many algorithms makes that call site
 * megamorphic: V8 stops inlining it and dispatches every request through a lookup
 * (nine algorithms replayed one after the other: S3-FIFO 9.7M requests per second
 * with one shared loop, 10.8M with a loop per algorithm; docs/performance.md). So
 * each algorithm (class) gets its own copy of the loop, compiled once from the same
 * source, and every copy's call site sees one class.
 */
import type { EvictionCache } from './types.ts';

/** Runs requests [0, n) through `cache`; writes misses to out[0] and missed bytes to out[1]. */
export type AccessLoop = (cache: EvictionCache, ids: Float64Array, sizes: Float64Array, n: number, out: Float64Array) => void;

const SOURCE = `
let misses = 0;
let byteMisses = 0;
for (let i = 0; i < n; i++) {
  if (!cache.access(ids[i], sizes[i])) {
    misses++;
    byteMisses += sizes[i];
  }
}
out[0] = misses;
out[1] = byteMisses;
`;

const loops = new Map<unknown, AccessLoop>();

/** The loop for `cache`'s class (a function of its own, so its call site stays monomorphic). */
export function accessLoop(cache: EvictionCache): AccessLoop {
  let loop = loops.get(cache.constructor);
  if (loop === undefined) {
    loop = new Function('cache', 'ids', 'sizes', 'n', 'out', SOURCE) as AccessLoop;
    loops.set(cache.constructor, loop);
  }
  return loop;
}
