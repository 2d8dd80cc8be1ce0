/**
 * Eviction algorithms: hand-worked sequences from each algorithm's definition,
 * properties every algorithm keeps, and the reference table of
 * ../shared/traces/README.md (libCacheSim's cachesim on cloudPhysicsIO).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { InputError } from '../../sim/errors.ts';
import { ArcCache } from '../../policies/eviction/arc.ts';
import { EVICTION_ALGORITHMS, makeEvictionCache } from '../../policies/eviction/registry.ts';
import { isOracle, type EvictionCache, type EvictionOptions } from '../../policies/eviction/types.ts';
import { OracleGeneralReader } from '../../workloads/traces/oracle-general.ts';
import { newBatch } from '../../workloads/traces/batch.ts';

const NAMES = Object.keys(EVICTION_ALGORITHMS);

/** Next-access times of a sequence, for Belady: the index of the next request to the same id. */
function nextAccesses(ids: number[]): number[] {
  const next = ids.map(() => Infinity);
  const last = new Map<number, number>();
  ids.forEach((id, i) => {
    const j = last.get(id);
    if (j !== undefined) next[j] = i;
    last.set(id, i);
  });
  return next;
}

/**
 * Replays `ids` (size from `size`, 1 by default) and returns the hit/miss pattern
 * ("H"/"M" per request) and the evicted ids in order.
 */
function play(cache: EvictionCache, ids: number[], size: (id: number) => number = () => 1) {
  const evicted: number[] = [];
  cache.onEvict = (id) => evicted.push(id);
  const next = nextAccesses(ids);
  let pattern = '';
  ids.forEach((id, i) => {
    if (isOracle(cache)) cache.setNextAccess(next[i]!);
    pattern += cache.access(id, size(id)) ? 'H' : 'M';
    assert.ok(cache.usedBytes <= cache.capacityBytes);
  });
  return { pattern, evicted };
}

const seq = (text: string) => text.split(/\s+/).filter(Boolean).map(Number);

test('LRU evicts the least recently used', () => {
  // 1 2 3 fill; 1 hits (now most recent); 4 evicts 2; 2 evicts 3 (order 3,1,4); 1 hits.
  const r = play(makeEvictionCache('lru', 3), seq('1 2 3 1 4 2 1'));
  assert.equal(r.pattern, 'MMMHMMH');
  assert.deepEqual(r.evicted, [2, 3]);
});

test('LRU with variable sizes evicts until the object fits', () => {
  // cap 10: 1(4) 2(4) -> 8; 1 hits; 3(4) needs 12 -> evict 2 (LRU); 4(6) needs 14 -> evict 1; 3 hits.
  const sizes: Record<number, number> = { 1: 4, 2: 4, 3: 4, 4: 6 };
  const cache = makeEvictionCache('lru', 10);
  const r = play(cache, seq('1 2 1 3 4 3'), (id) => sizes[id]!);
  assert.equal(r.pattern, 'MMHMMH');
  assert.deepEqual(r.evicted, [2, 1]);
  assert.equal(cache.usedBytes, 10);
  assert.equal(cache.objectCount, 2);
});

test('FIFO ignores hits and evicts the oldest insertion', () => {
  // 4 evicts 1 even though 1 was just hit; 2 still hits; 1 comes back and evicts 2.
  const r = play(makeEvictionCache('fifo', 3), seq('1 2 3 1 4 2 1'));
  assert.equal(r.pattern, 'MMMHMHM');
  assert.deepEqual(r.evicted, [1, 2]);
});

test('CLOCK gives a referenced object a second chance', () => {
  // 1 is hit, so at 4 its bit is cleared and it goes round again: 2 is evicted, then 3.
  const r = play(makeEvictionCache('clock', 3), seq('1 2 3 1 4 5 1'));
  assert.equal(r.pattern, 'MMMHMMH');
  assert.deepEqual(r.evicted, [2, 3]);
});

test('SIEVE keeps survivors in place and its hand moves on', () => {
  // cap 4. At 5 the hand passes 1 (visited: cleared, stays at the tail) and evicts 2,
  // then 3 and 4 at 6 and 7. 1 is hit again after 5; at 8 the hand is at 5 (newer than
  // the tail), so it evicts 5, not 1 (CLOCK would evict 1 here, see the next test).
  const r = play(makeEvictionCache('sieve', 4), seq('1 2 3 4 1 5 6 7 8 1'));
  assert.equal(r.pattern, 'MMMMHMMMMH');
  assert.deepEqual(r.evicted, [2, 3, 4, 5]);
  const clock = play(makeEvictionCache('clock', 4), seq('1 2 3 4 1 5 6 7 8 1'));
  assert.equal(clock.pattern, 'MMMMHMMMMM');
  assert.deepEqual(clock.evicted, [2, 3, 4, 1, 5]);
});

test('S3-FIFO: small queue, move to main at 2 hits, ghost readmission, 2-bit CLOCK in main', () => {
  // cap 4, small 25% = 1 byte, main 3, ghost floor(4 * 0.9) = 3. Worked by hand
  // (S, M, G oldest first):
  //  1 2 3 4   S=[1,2,3,4]
  //  5  M      S full of freq 0: 1 -> G.                       G=[1]
  //  1  M      ghost hit -> main; 2 -> G.                      M=[1] G=[2]
  //  3 3  H H  freq(3) = 2
  //  6  M      3 has freq 2 -> M (freq 0); 4 -> G.             M=[1,3] S=[5,6] G=[2,4]
  //  3  H      freq 1 in M
  //  7  M      5 -> G.                                         S=[6,7] G=[2,4,5]
  //  5  M      ghost hit -> M; 6 -> G.                         M=[1,3,5] S=[7] G=[2,4,6]
  //  4  M      ghost hit -> M; 7 -> G.                         M=[1,3,5,4] S=[] G=[2,6,7]
  //  8  M      M over its 3 bytes: evict 1 (freq 0).          M=[3,5,4] S=[8]
  //  9  M      8 -> G, G full: 2 forgotten.                    S=[9] G=[6,7,8]
  //  3  H      freq 2
  //  10 M      9 -> G (6 forgotten).                           S=[10] G=[7,8,9]
  //  7  M      ghost hit -> M; 10 -> G.                        M=[3,5,4,7] S=[]
  //  11 M      M over: 3 has freq 2 -> front with 1; evict 5.  M=[4,7,3]
  //  3  H
  const cache = makeEvictionCache('s3fifo', 4, { smallRatio: 0.25 });
  const r = play(cache, seq('1 2 3 4 5 1 3 3 6 3 7 5 4 8 9 3 10 7 11 3'));
  assert.equal(r.pattern, 'MMMMMMHHMHMMMMMHMMMH');
  assert.deepEqual(r.evicted, [1, 2, 4, 5, 6, 7, 1, 8, 9, 10, 5]);
});

test('S3-FIFO does not admit an object larger than its small queue', () => {
  const cache = makeEvictionCache('s3fifo', 100);
  assert.equal(cache.insert(1, 10), true); // small queue is 10 bytes
  assert.equal(cache.insert(2, 11), false);
  assert.equal(cache.find(2), false);
  assert.equal(cache.usedBytes, 10);
});

test('ARC adapts p: ghost hits in B1 grow it, in B2 shrink it', () => {
  // Unit sizes, c = 4, so this is the paper's algorithm page for page.
  //  1 2 3 4      T1=[1,2,3,4]
  //  1  H         T2=[1]
  //  5  M         case IV: REPLACE, |T1| = 3 > p = 0: 2 -> B1
  //  2  M (B1)    p = 0 + max(|B2|/|B1|, 1) = 1; REPLACE: 3 -> B1; 2 -> T2=[1,2]
  //  6  M         REPLACE: |T1| = 2 > 1: 4 -> B1 = [3,4]
  //  7  M         |T1| + |B1| = c: drop 3 from B1; REPLACE: 5 -> B1 = [4,5]
  //  3  M         forgotten: drop 4 from B1; REPLACE: 6 -> B1 = [5,6]; T1=[7,3]
  //  5  M (B1)    p = 1 + max(0/2, 1) = 2; REPLACE: |T1| = 2 = p, not from B2: T2's 1 -> B2
  //  1  M (B2)    p = 2 - max(|B1|/|B2|, 1) = 1; REPLACE: |T1| = 2 > 1: 7 -> B1
  //  2  H
  const cache = new ArcCache(4);
  const r = play(cache, seq('1 2 3 4 1 5 2 6 7 3 5 1 2'));
  assert.equal(r.pattern, 'MMMMHMMMMMMMH');
  assert.deepEqual(r.evicted, [2, 3, 4, 5, 6, 1, 7]);
  assert.equal(cache.target, 1);
});

test('2Q: A1in is FIFO, A1out remembers, Am is LRU', () => {
  // cap 4: Kin = 1, Kout = 2, Am = 3.
  //  1 2 3 4   A1in=[1,2,3,4]
  //  1  H      no change in A1in
  //  5  M      A1in over Kin: 1 -> A1out
  //  1  M      A1out hit -> Am=[1]; 2 -> A1out
  //  3  H
  //  2  M      A1out hit -> Am=[1,2]; 3 -> A1out
  //  6  M      4 -> A1out=[3,4]
  //  7  M      5 -> A1out, 3 forgotten: A1out=[4,5]
  //  1  H      Am=[2,1]
  //  4  M      A1out hit -> Am=[2,1,4]; 6 -> A1out=[5,6]
  //  5  M      A1out hit; A1in at Kin: Am evicts its LRU 2; Am=[1,4,5]
  //  3  M      forgotten: into A1in; Am evicts 1
  const r = play(makeEvictionCache('twoq', 4), seq('1 2 3 4 1 5 1 3 2 6 7 1 4 5 3'));
  assert.equal(r.pattern, 'MMMMHMMHMMMHMMM');
  assert.deepEqual(r.evicted, [1, 2, 3, 4, 5, 6, 2, 1]);
});

test('2Q does not admit an object larger than A1in', () => {
  const cache = makeEvictionCache('twoq', 100);
  assert.equal(cache.insert(1, 26), false);
  assert.equal(cache.insert(1, 25), true);
});

test('LFU evicts the least frequent, the oldest at that frequency first', () => {
  // cap 3: after 1 1 2 hits, freqs 1:3 2:2 3:1 -> 4 evicts 3, 5 evicts 4 (both freq 1).
  const r = play(makeEvictionCache('lfu', 3), seq('1 2 3 1 1 2 4 5 2 1'));
  assert.equal(r.pattern, 'MMMHHHMMHH');
  assert.deepEqual(r.evicted, [3, 4]);
  // cap 2: 1 and 2 both reach 2; 1 got there first, so 3 evicts 1; then 1 evicts 3 (freq 1).
  const tie = play(makeEvictionCache('lfu', 2), seq('1 2 1 2 3 1'));
  assert.equal(tie.pattern, 'MMHHMM');
  assert.deepEqual(tie.evicted, [1, 3]);
});

test('LIRS: LIR set, resident HIR queue, non-resident HIR on the stack', () => {
  // cap 3 with a 1-byte HIR part: L_lirs = 2, L_hirs = 1 (S bottom..top; n = non-resident).
  //  1 2     LIR (warm-up).                     S=[1,2]
  //  3       HIR resident.                      S=[1,2,3] Q=[3]
  //  4       Q evicts 3 (stays on S, n).        S=[1,2,3n,4] Q=[4]
  //  3  M    in S: becomes LIR; bottom LIR 1 is demoted to Q, which evicts 4 (n).
  //                                             S=[2,4n,3] Q=[1]
  //  2  H    LIR at the bottom: to the top, prune 4n.  S=[3,2]
  //  1  H    resident HIR not on S: top of S, end of Q. S=[3,2,1] Q=[1]
  //  1  H    resident HIR on S: becomes LIR; 3 demoted.  S=[2,1] Q=[3]
  //  5  M    Q evicts 3 (not on S: forgotten).  S=[2,1,5] Q=[5]
  //  3  M    new HIR; Q evicts 5 (n).           S=[2,1,5n,3] Q=[3]
  //  5  M    in S: LIR; 2 demoted, Q evicts 3 (n). S=[1,3n,5] Q=[2]
  //  2  H    resident HIR
  const cache = makeEvictionCache('lirs', 3, { hirRatio: 1 / 3 });
  const r = play(cache, seq('1 2 3 4 3 2 1 1 5 3 5 2'));
  assert.equal(r.pattern, 'MMMMMHHHMMMH');
  assert.deepEqual(r.evicted, [3, 4, 3, 5, 3]);
  assert.equal(cache.objectCount, 3);
});

test('LIRS: an object too big for the HIR part is remembered, and admitted as LIR when it returns', () => {
  const cache = makeEvictionCache('lirs', 100); // HIR part: 1 byte
  assert.equal(cache.insert(1, 60), true); // LIR (warm-up)
  assert.equal(cache.insert(2, 30), true); // LIR
  assert.equal(cache.insert(3, 20), false); // LIR full, too big for HIR: only remembered
  assert.equal(cache.find(3), false);
  assert.equal(cache.insert(3, 20), true); // recent reuse: LIR, demoting 1 (too big for HIR: evicted)
  assert.equal(cache.find(3), true);
  assert.equal(cache.find(1), false);
  assert.equal(cache.usedBytes, 50);
});

test('LIRS: the bottom of S stays LIR even when a HIR entry arrives first', () => {
  // cap 4: L_lirs = 3, L_hirs = 1. 17 (4 bytes) fits neither part: remembered on an
  // empty S, then pruned at once (it could never be LIR); 15 becomes LIR, 5 a resident
  // HIR; the hit on 5 makes it LIR, and 15, too big for the HIR part, is evicted.
  const cache = makeEvictionCache('lirs', 4);
  const evicted: number[] = [];
  cache.onEvict = (id) => evicted.push(id);
  assert.equal(cache.insert(17, 4), false);
  assert.equal(cache.insert(15, 3), true);
  assert.equal(cache.insert(5, 1), true);
  assert.equal(cache.find(5), true);
  assert.deepEqual(evicted, [15]);
  assert.equal(cache.usedBytes, 1);
  assert.equal(cache.objectCount, 1);
});

test('SLRU fills its segments from the bottom, promotes a hit one segment up and cools the overflow down', () => {
  // Four segments of one unit each: 1, 2, 3, 4 land in segments 0..3 (each the lowest with room).
  const cache = makeEvictionCache('slru', 4);
  const evicted: number[] = [];
  cache.onEvict = (id) => evicted.push(id);
  for (const id of [1, 2, 3, 4]) assert.equal(cache.access(id, 1), false);
  assert.equal(cache.access(5, 1), false); // no segment has room: evict segment 0's back (1), 5 enters segment 0
  assert.equal(cache.access(2, 1), true); // 2 goes up to segment 2, whose back (3) cools down to segment 1
  assert.equal(cache.access(6, 1), false); // the lowest non-empty segment is 0: 5 goes, not 3 (LRU would evict 3)
  assert.deepEqual(evicted, [1, 5]);
  assert.deepEqual([3, 2, 4, 6].map((id) => cache.find(id)), [true, true, true, true]);
  // An object larger than one segment is refused.
  assert.equal(cache.insert(7, 2), false);
  assert.throws(() => makeEvictionCache('slru', 10, { segments: 0 }), /segments=0 must be a whole number from 1 to 16/);
  // One segment is LRU.
  const one = makeEvictionCache('slru', 2, { segments: 1 });
  const lru = makeEvictionCache('lru', 2);
  const ids = seq('1 2 1 3 2 1 4 1 2 3 3 1');
  assert.deepEqual(play(one, ids), play(lru, ids));
});

test('GDSF evicts the lowest L + frequency/size, the least recently requested first among equals; L rises to each victim\'s priority', () => {
  const cache = makeEvictionCache('gdsf', 10);
  const evicted: number[] = [];
  cache.onEvict = (id) => evicted.push(id);
  cache.access(1, 5); // priority 0 + 1e6/5 = 200,000
  cache.access(2, 2); // 500,000
  cache.access(3, 2); // 500,000, requested after 2
  assert.equal(cache.access(1, 5), true); // frequency 2: 400,000
  cache.access(4, 4); // 1 goes (400,000, the lowest; LRU would take 2); L = 400,000; 4 at 650,000
  cache.access(5, 3); // 2 and 3 tie at 500,000: 2, requested first, goes; L = 500,000; 5 at 833,333
  assert.equal(cache.access(3, 2), true); // 500,000 + 2e6/2 = 1,500,000
  cache.access(6, 4); // the lowest is 4 (650,000)
  assert.deepEqual(evicted, [1, 2, 4]);
  assert.deepEqual([3, 5, 6].map((id) => cache.find(id)), [true, true, true]);
});

test('lirs: a resident HIR object larger than the LIR set stays HIR on a hit (the cache keeps to its size)', () => {
  // Capacity 1: the HIR part is 1 byte, the LIR part 0. Object 1 (0 bytes) is LIR; 2
  // (1 byte) enters as resident HIR, and a hit must not make it LIR (1 byte over a
  // 0-byte LIR set), so 3 evicts it from the HIR queue.
  const cache = makeEvictionCache('lirs', 1);
  const evicted: number[] = [];
  cache.onEvict = (id) => evicted.push(id);
  cache.access(1, 0);
  cache.access(2, 1);
  assert.equal(cache.find(2), true);
  cache.access(3, 1);
  assert.deepEqual(evicted, [2]);
  assert.equal(cache.usedBytes, 1);
  assert.deepEqual([1, 2, 3].map((id) => cache.find(id)), [true, false, true]);
});

test('Belady evicts the object needed farthest in the future', () => {
  // cap 2: at 3, 1 is needed at t=3 and 2 at t=4: evict 2; at 2, 1 is never needed again.
  const r = play(makeEvictionCache('belady', 2), seq('1 2 3 1 2 3'));
  assert.equal(r.pattern, 'MMMHMH');
  assert.deepEqual(r.evicted, [2, 1]);
});

for (const name of NAMES) {
  test(`${name}: an object larger than the cache is not admitted and nothing changes`, () => {
    // 40 bytes is within every algorithm's smallest admitting share of 10,000 (W-TinyLFU's window: 1%).
    const cache = makeEvictionCache(name, 10_000);
    const evicted: number[] = [];
    cache.onEvict = (id) => evicted.push(id);
    if (isOracle(cache)) cache.setNextAccess(5);
    assert.equal(cache.access(1, 40), false);
    assert.equal(cache.access(2, 40), false);
    const used = cache.usedBytes;
    const count = cache.objectCount;
    assert.equal(cache.insert(3, 10_001), false);
    assert.equal(cache.access(3, 10_001), false);
    assert.equal(cache.usedBytes, used);
    assert.equal(cache.objectCount, count);
    assert.deepEqual(evicted, []);
    assert.equal(cache.find(1), true);
    assert.equal(cache.find(2), true);
    assert.equal(cache.find(3), false);
  });

  test(`${name}: remove() drops an object without onEvict; ids may be block ids beyond 2^32`, () => {
    const cache = makeEvictionCache(name, 1 << 20);
    const evicted: number[] = [];
    cache.onEvict = (id) => evicted.push(id);
    const block = (file: number, n: number) => file * 2 ** 21 + n;
    for (let i = 0; i < 10; i++) assert.equal(cache.insert(block(123456789, i), 4096), true);
    assert.equal(cache.objectCount, 10);
    assert.equal(cache.remove(block(123456789, 3)), true);
    assert.equal(cache.remove(block(123456789, 3)), false);
    assert.equal(cache.find(block(123456789, 3)), false);
    assert.equal(cache.find(block(123456789, 4)), true);
    assert.equal(cache.usedBytes, 9 * 4096);
    assert.deepEqual(evicted, []);
  });

  test(`${name}: properties over random operations (fast-check)`, () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('access' as const), id: fc.integer({ min: 0, max: 40 }) }),
      fc.record({ kind: fc.constant('insert' as const), id: fc.integer({ min: 0, max: 40 }) }),
      fc.record({ kind: fc.constant('find' as const), id: fc.integer({ min: 0, max: 40 }) }),
      fc.record({ kind: fc.constant('remove' as const), id: fc.integer({ min: 0, max: 40 }) }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 300 }), fc.array(op, { maxLength: 300 }), fc.integer(), (capacity, ops, salt) => {
        // Each id has one size, some larger than the cache, some 0.
        const sizeOf = (id: number) => ((id * 2654435761 + salt) >>> 0) % Math.ceil(capacity * 0.6 + 10);
        const cache = makeEvictionCache(name, capacity);
        const held = new Map<number, number>(); // the model: what the cache holds
        cache.onEvict = (id, size) => {
          assert.ok(held.has(id), `evicted ${id} that is not cached`);
          assert.equal(held.get(id), size);
          held.delete(id);
        };
        let t = 0;
        for (const o of ops) {
          if (isOracle(cache)) cache.setNextAccess(t + 1 + ((o.id * 7 + t) % 13));
          t++;
          const size = sizeOf(o.id);
          if (o.kind === 'access') {
            const before = held.has(o.id);
            assert.equal(cache.access(o.id, size), before, 'access hits exactly the cached objects');
            // After a miss, find() tells whether it was admitted (a hit only updates state).
            if (!before && cache.find(o.id)) held.set(o.id, size);
            if (size > capacity) assert.equal(held.has(o.id), false, 'larger than the cache: not admitted');
          } else if (o.kind === 'insert') {
            const before = held.has(o.id);
            const admitted = cache.insert(o.id, size);
            if (before) assert.equal(admitted, true, 'insert of a cached object leaves it cached');
            if (size > capacity) assert.equal(admitted, false, 'larger than the cache: not admitted');
            if (admitted) {
              held.set(o.id, size);
              assert.equal(cache.find(o.id), true, 'find after an admitted insert hits');
            }
          } else if (o.kind === 'find') {
            assert.equal(cache.find(o.id), held.has(o.id));
          } else {
            assert.equal(cache.remove(o.id), held.has(o.id));
            held.delete(o.id);
          }
          let sum = 0;
          for (const s of held.values()) sum += s;
          assert.ok(cache.usedBytes <= capacity, 'usedBytes never exceeds the capacity');
          assert.equal(cache.usedBytes, sum, 'usedBytes is the sum of the cached sizes');
          assert.equal(cache.objectCount, held.size);
        }
      }),
      { numRuns: Number(process.env.FC_RUNS ?? 60) }, // FC_RUNS=5000 for a longer hunt
    );
  });
}

test('unknown algorithm names and options are input errors that list the known ones', () => {
  assert.throws(() => makeEvictionCache('lruu', 10), (e: unknown) =>
    e instanceof InputError && e.message.includes("'lruu'") && NAMES.every((n) => e.message.includes(n)));
  assert.throws(() => makeEvictionCache('s3fifo', 10, { small: 0.2 } as EvictionOptions), /unknown option 'small'/);
  assert.throws(() => makeEvictionCache('s3fifo', 10, { smallRatio: 1.5 }), InputError);
  assert.equal(makeEvictionCache('S3FIFO', 10).name, 's3fifo');
});

// ../shared/traces/README.md: miss ratio / byte miss ratio at 16, 64, 256, 1024 MiB.
const TABLE: Record<string, [number, number][]> = {
  lru: [[0.8351, 0.9803], [0.8273, 0.9747], [0.7885, 0.9298], [0.6297, 0.7009]],
  fifo: [[0.8384, 0.9807], [0.8285, 0.9747], [0.7850, 0.9278], [0.6335, 0.7046]],
  clock: [[0.8340, 0.9802], [0.8266, 0.9746], [0.7884, 0.9305], [0.5660, 0.6175]],
  sieve: [[0.8236, 0.9778], [0.8164, 0.9696], [0.7616, 0.8968], [0.5653, 0.6173]],
  arc: [[0.8233, 0.9773], [0.8129, 0.9638], [0.7540, 0.8748], [0.5688, 0.6211]],
  s3fifo: [[0.8236, 0.9774], [0.8126, 0.9614], [0.7235, 0.8479], [0.6178, 0.6821]],
  twoq: [[0.8286, 0.9793], [0.8207, 0.9672], [0.7339, 0.8602], [0.6329, 0.7045]],
  lirs: [[0.8246, 0.9786], [0.8086, 0.9632], [0.6958, 0.8072], [0.4735, 0.5239]],
  belady: [[0.8044, 0.9457], [0.7531, 0.8676], [0.6211, 0.6857], [0.4301, 0.4647]],
};
const EXACT = ['lru', 'fifo', 'clock', 'sieve'];
const TOLERANCE: Record<string, number> = { arc: 0.01, s3fifo: 0.01, twoq: 0.01, lirs: 0.01, belady: 0.005 };
const MIB = [16, 64, 256, 1024];
const TRACE = '../shared/traces/cloudPhysicsIO.oracleGeneral.bin';

function replayShared(caches: EvictionCache[]) {
  const reader = new OracleGeneralReader(TRACE);
  const batch = newBatch();
  const misses = caches.map(() => 0);
  const byteMisses = caches.map(() => 0);
  let requests = 0;
  let bytes = 0;
  while (reader.read(batch) > 0) {
    for (let i = 0; i < batch.n; i++) {
      const id = batch.id[i]!;
      const size = batch.size[i]!;
      requests++;
      bytes += size;
      caches.forEach((c, k) => {
        if (isOracle(c)) c.setNextAccess(batch.nextAccess[i]!);
        if (!c.access(id, size)) {
          misses[k]!++;
          byteMisses[k]! += size;
        }
      });
    }
  }
  reader.close();
  return caches.map((_, k) => ({ missRatio: misses[k]! / requests, byteMissRatio: byteMisses[k]! / bytes }));
}

/** Miss ratio and byte miss ratio to four places, at the four MIB sizes, for each option set of an algorithm. */
function roundedTables(name: string, optionSets: (EvictionOptions | undefined)[]): number[][][] {
  const results = replayShared(optionSets.flatMap((o) => MIB.map((m) => makeEvictionCache(name, m * 2 ** 20, o))));
  return optionSets.map((_o, a) => MIB.map((_, s) => {
    const r = results[a * MIB.length + s]!;
    return [Number(r.missRatio.toFixed(4)), Number(r.byteMissRatio.toFixed(4))];
  }));
}

test('cloudPhysicsIO: miss ratios match libCacheSim (README table)', () => {
  const names = Object.keys(TABLE);
  const caches = names.flatMap((n) => MIB.map((m) => makeEvictionCache(n, m * 2 ** 20)));
  const results = replayShared(caches);
  const failures: string[] = [];
  names.forEach((name, a) => {
    MIB.forEach((mib, s) => {
      const got = results[a * MIB.length + s]!;
      const [mr, bmr] = TABLE[name]![s]!;
      const ok = EXACT.includes(name)
        ? got.missRatio.toFixed(4) === mr.toFixed(4) && got.byteMissRatio.toFixed(4) === bmr.toFixed(4)
        : Math.abs(got.missRatio - mr) <= TOLERANCE[name]! && Math.abs(got.byteMissRatio - bmr) <= TOLERANCE[name]!;
      if (!ok) failures.push(`${name} ${mib}MiB: ${got.missRatio.toFixed(4)} / ${got.byteMissRatio.toFixed(4)}, table ${mr} / ${bmr}`);
    });
  });
  assert.deepEqual(failures, []);
});

// libCacheSim's cachesim (commit aa0fc40), `cachesim cloudPhysicsIO.oracleGeneral.bin oracleGeneral slru
// 16mb,64mb,256mb,1gb -e n-seg=N`: miss ratio / byte miss ratio, for N = 2, 4 (its default) and 8.
const SLRU_TABLE: Record<number, [number, number][]> = {
  2: [[0.8248, 0.9788], [0.8159, 0.9707], [0.7735, 0.9029], [0.5573, 0.6103]],
  4: [[0.8212, 0.9777], [0.8073, 0.9677], [0.7648, 0.8988], [0.5060, 0.5793]],
  8: [[0.8211, 0.9777], [0.8047, 0.9652], [0.7486, 0.8878], [0.4883, 0.5471]],
};

test('cloudPhysicsIO: SLRU with 2, 4 and 8 segments matches libCacheSim exactly', () => {
  const segments = [2, 4, 8];
  assert.deepEqual(roundedTables('slru', segments.map((n) => (n === 4 ? undefined : { segments: n }))), segments.map((n) => SLRU_TABLE[n]));
});

test('cloudPhysicsIO: GDSF matches libCacheSim exactly', () => {
  // cachesim (aa0fc40) `cloudPhysicsIO.oracleGeneral.bin oracleGeneral gdsf 16mb,64mb,256mb,1gb`.
  const table = [[0.8214, 0.9797], [0.8085, 0.9748], [0.7443, 0.9288], [0.5157, 0.6130]];
  assert.deepEqual(roundedTables('gdsf', [undefined]), [table]);
});

test('W-TinyLFU: the window drains into the main cache, then the more frequent of the two victims stays', () => {
  // 10 bytes of 1-byte objects, window 10% (1 byte), main 9 bytes in segments of 1 and 7.
  const cache = makeEvictionCache('wtinylfu', 10, { windowRatio: 0.1 });
  const evicted: number[] = [];
  cache.onEvict = (id) => evicted.push(id);
  // 1..10 fill the window (it may run over its share while the cache has room); 1 is a
  // window hit, so the window's order from its back is 2..10, 1. Counts: one each.
  for (let id = 1; id <= 10; id++) cache.access(id, 1);
  assert.equal(cache.access(1, 1), true);
  // 11: the window drains into main (2 to segment 0, 3..9 to segment 1, 10 to segment
  // 0 over its share: none has room, the main cache as a whole has), each counted once
  // more; then 1 (count 1) against main's victim 2 (count 2): 1 goes.
  cache.access(11, 1);
  assert.deepEqual(evicted, [1]);
  // 12: 11 (1) against 2 (2): 11 goes (now 2). 11 again: 12 (1) goes; 11 comes back at 3.
  cache.access(12, 1);
  cache.access(11, 1);
  assert.deepEqual(evicted, [1, 11, 12]);
  // 13: 11 (3) beats 2 (2): 2 goes and 11 enters main, whose segments are full, so
  // segment 0 takes it in front of 10; the window is then empty and main evicts its
  // victim, 10.
  cache.access(13, 1);
  assert.deepEqual(evicted, [1, 11, 12, 2, 10]);
  assert.deepEqual([...Array(13).keys()].map((i) => i + 1).filter((id) => cache.find(id)), [3, 4, 5, 6, 7, 8, 9, 11, 13]);
});

test('cloudPhysicsIO: W-TinyLFU matches libCacheSim exactly, with its window at 1%, 10% and 0.1%', () => {
  // cachesim (aa0fc40) `cloudPhysicsIO.oracleGeneral.bin oracleGeneral wtinylfu 16mb,64mb,256mb,1gb
  // [-e window-size=W]`: miss ratio / byte miss ratio.
  const table: Record<number, number[][]> = {
    0.01: [[0.8283, 0.9766], [0.8126, 0.9648], [0.7424, 0.8571], [0.4704, 0.5211]],
    0.1: [[0.8273, 0.9770], [0.8132, 0.9650], [0.7501, 0.8638], [0.4762, 0.5272]],
    0.001: [[0.8134, 0.9805], [0.8159, 0.9696], [0.7430, 0.8566], [0.4704, 0.5196]],
  };
  const windows = [0.01, 0.1, 0.001];
  assert.deepEqual(roundedTables('wtinylfu', windows.map((w) => (w === 0.01 ? undefined : { windowRatio: w }))), windows.map((w) => table[w]));
});

test('QD-LP-FIFO: the small FIFO fills the cache, a requested object moves to main, a ghost hit goes there directly', () => {
  // 10 bytes of 1-byte objects; the small FIFO admits objects up to 2 bytes (20%) but
  // holds everything until the cache is full; main is a 2-bit CLOCK of 8 bytes.
  const cache = makeEvictionCache('qdlp', 10, { smallRatio: 0.2 });
  const evicted: number[] = [];
  cache.onEvict = (id) => evicted.push(id);
  for (let id = 1; id <= 10; id++) cache.access(id, 1);
  assert.equal(cache.access(1, 1), true); // counted in the small FIFO
  // 11: the small FIFO's oldest, 1, was requested: it moves to main (room there), and
  // the cache is still full; the next, 2, was not: it leaves, its id to the ghost.
  cache.access(11, 1);
  assert.deepEqual(evicted, [2]);
  // 2 again: a ghost hit. Room is made as before (3 leaves) and 2 enters main.
  assert.equal(cache.access(2, 1), false);
  assert.deepEqual(evicted, [2, 3]);
  cache.access(12, 1);
  assert.deepEqual(evicted, [2, 3, 4]);
  assert.deepEqual([1, 2, 3, 4, 5].map((id) => cache.find(id)), [true, true, false, false, true]);
  // An object exactly the small FIFO's size: room is made for it (5, found just now,
  // moves to main; 6 and 7 leave), then it is refused, as libCacheSim's QDLP does.
  assert.equal(cache.insert(20, 2), false);
  assert.deepEqual(evicted, [2, 3, 4, 6, 7]);
  assert.equal(cache.find(20), false);
});

test('QD-LP-FIFO: a ghost hit holds when other lookups come between the miss and its insert (a block cache\'s reads)', () => {
  const play = (interleave: boolean) => {
    const cache = makeEvictionCache('qdlp', 10, { smallRatio: 0.2 });
    const evicted: number[] = [];
    cache.onEvict = (id) => evicted.push(id);
    for (const id of [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 1, 11]) cache.access(id, 1); // 2 is now a ghost
    assert.equal(cache.find(2), false);
    if (interleave) assert.equal(cache.find(99), false);
    cache.insert(2, 1);
    for (let i = 0; i < 40; i++) cache.access(12 + ((i * 7) % 15), 1);
    return evicted;
  };
  assert.deepEqual(play(true), play(false));
});

test('cloudPhysicsIO: QD-LP-FIFO matches libCacheSim exactly, by default and with options', () => {
  // cachesim (aa0fc40) `cloudPhysicsIO.oracleGeneral.bin oracleGeneral qdlp 16mb,64mb,256mb,1gb [-e ...]`.
  const runs: [EvictionOptions | undefined, number[][]][] = [
    [undefined, [[0.8226, 0.9772], [0.8097, 0.9585], [0.7081, 0.8301], [0.5657, 0.6176]]],
    [{ moveToMainThreshold: 2 }, [[0.8236, 0.9774], [0.8126, 0.9614], [0.7235, 0.8479], [0.6178, 0.6821]]], // move-to-main-threshold=2
    [{ ghostRatio: 0.5, mainBits: 3 }, [[0.8231, 0.9777], [0.8130, 0.9640], [0.7174, 0.8410], [0.5652, 0.6172]]], // ghost-size-ratio=0.5,main-cache=clock3
  ];
  assert.deepEqual(roundedTables('qdlp', runs.map(([o]) => o)), runs.map(([, t]) => t));
});

test('cloudPhysicsIO: ARC with libCacheSim\'s adaptation step (a bare ratio, in bytes) matches its table exactly', () => {
  const caches = MIB.map((m) => makeEvictionCache('arc', m * 2 ** 20, { stepBySize: 0 }));
  const results = replayShared(caches);
  MIB.forEach((mib, s) => {
    const [mr, bmr] = TABLE.arc![s]!;
    assert.equal(results[s]!.missRatio.toFixed(4), mr.toFixed(4), `${mib} MiB`);
    assert.equal(results[s]!.byteMissRatio.toFixed(4), bmr.toFixed(4), `${mib} MiB`);
  });
});
