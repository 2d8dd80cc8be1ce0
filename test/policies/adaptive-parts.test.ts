/**
 * The parts of the `adaptive` policy on their own: the block region (an LRU of blocks
 * with per-file chains and access times) and the two ghosts (a file ghost bounded by
 * bytes, a spatially sampled block ghost), against hand-worked sequences and, for the
 * sample, the binomial spread of a hash sample; and how the policy hands blocks
 * between its regions and when it downloads a file, on a hand-sized cache.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BlockRegion } from '../../policies/adaptive-blocks.ts';
import { BlockGhost, FileGhost } from '../../policies/adaptive-ghosts.ts';
import { LostBlocks } from '../../policies/adaptive-lost.ts';
import { AdaptiveCache, parseAdaptiveCacheOptions } from '../../policies/adaptive.ts';
import { KiB, MiB, file, foreground, makeWorld, read } from './context.ts';
import { Process, type Sim } from '../../sim/process.ts';

/** The policy here is handed blocks on their misses (afterRemoteRead); there is no memory block cache to evict them. */
const ON_MISS = { blockAdmission: 'miss' } as const;

test('block region: least recently used first out, a hit refreshes, sizes add up', () => {
  const r = new BlockRegion();
  const chain = r.newChain();
  r.insert(10, 100, chain, 1);
  r.insert(11, 200, chain, 2);
  r.insert(12, 300, chain, 3);
  assert.equal(r.usedBytes, 600);
  assert.equal(r.blockCount, 3);
  assert.equal(r.lruId(), 10);
  assert.equal(r.oldestAccess(), 1);
  assert.equal(r.find(10, 4), true);
  assert.equal(r.find(99, 4), false);
  // Order now (most recent first): 10, 12, 11.
  assert.equal(r.lruId(), 11);
  assert.equal(r.lruSize(), 200);
  assert.equal(r.oldestAccess(), 2);
  r.evictLru();
  assert.equal(r.lruId(), 12);
  r.evictLru();
  assert.equal(r.lruId(), 10);
  assert.equal(r.usedBytes, 100);
  assert.equal(r.has(11), false);
  assert.equal(r.has(10), true);
});

test('block region: a chain drops exactly its own file\'s blocks, wherever they sit in the LRU order', () => {
  const r = new BlockRegion();
  const a = r.newChain();
  const b = r.newChain();
  for (let i = 0; i < 5; i++) {
    r.insert(100 + i, 10, a, i);
    r.insert(200 + i, 20, b, i);
  }
  assert.equal(r.dropChain(a), 5);
  assert.equal(r.blockCount, 5);
  assert.equal(r.usedBytes, 100);
  for (let i = 0; i < 5; i++) {
    assert.equal(r.has(100 + i), false);
    assert.equal(r.has(200 + i), true);
  }
  assert.equal(r.lruChain(), b);
  assert.equal(r.dropChain(a), 0, 'an emptied chain stays usable');
  r.insert(105, 10, a, 9);
  assert.equal(r.dropChain(b), 5);
  assert.equal(r.lruId(), 105);
  assert.equal(r.oldestAccess(), 9);
  r.evictLru();
  assert.equal(r.oldestAccess(), -Infinity, 'empty');
});

test('block region: grows past its initial slot arrays without losing entries', () => {
  const r = new BlockRegion();
  const c = r.newChain();
  const n = 5000;
  for (let i = 0; i < n; i++) r.insert(i * 7, 1, c, i);
  assert.equal(r.blockCount, n);
  for (let i = 0; i < n; i += 97) assert.equal(r.find(i * 7, n + i), true);
  assert.equal(r.lruId(), 7, 'block 0 was refreshed; block 1 is the oldest');
  assert.equal(r.dropChain(c), n);
  assert.equal(r.usedBytes, 0);
});

test('file ghost: distance is the bytes lost since a file, itself included; the budget forgets the oldest', () => {
  const g = new FileGhost(100);
  g.add(1, 30);
  g.add(2, 40);
  assert.equal(g.distance(1), 70);
  assert.equal(g.distance(2), 40);
  assert.equal(g.distance(3), Infinity);
  g.add(3, 50); // 120 > 100: file 1 goes
  assert.equal(g.has(1), false);
  assert.equal(g.bytes, 90);
  assert.equal(g.distance(2), 90);
  g.add(2, 40); // re-added: newest again
  assert.equal(g.distance(2), 40);
  assert.equal(g.distance(3), 90);
  g.delete(3);
  assert.equal(g.bytes, 40);
  assert.equal(g.size, 1);
});

test('block ghost, unsampled: a hit happens once and reports the ids lost since; a full ring forgets the oldest', () => {
  const g = new BlockGhost(1, 4);
  // Rate 1 with 4 entries: the ring holds 16 (its minimum), so use ids 0..19.
  for (let i = 0; i < 20; i++) g.add(i);
  assert.equal(g.take(3), -1, 'ids 0..3 were forgotten (16 remembered)');
  assert.equal(g.take(4), 16, 'the oldest remembered: 16 ids lost since, itself included');
  assert.equal(g.take(19), 1);
  assert.equal(g.take(19), -1, 'once');
  g.add(5); // re-added: its old place is emptied
  assert.equal(g.take(5), 1);
  assert.equal(g.size, 13);
});

test('block ghost, sampled: about rate of the ids are tracked, and distances are scaled back up', () => {
  const rate = 0.25;
  const g = new BlockGhost(rate, 40_000);
  const n = 40_000;
  let sampled = 0;
  for (let i = 0; i < n; i++) {
    const id = 2 ** 21 * (1 + (i % 50)) + Math.floor(i / 50); // block ids of 50 files
    if (g.sampled(id)) {
      sampled++;
      g.add(id);
    }
  }
  // Binomial(n, 0.25): sd ≈ 87; allow 5 sd.
  assert.ok(Math.abs(sampled - n * rate) < 5 * Math.sqrt(n * rate * (1 - rate)), `sampled ${sampled}`);
  // The first id added has `sampled` ids lost since it; scaled, about n.
  let first = -1;
  for (let i = 0; i < n && first < 0; i++) {
    const id = 2 ** 21 * (1 + (i % 50)) + Math.floor(i / 50);
    if (g.sampled(id)) first = id;
  }
  assert.equal(g.take(first), sampled / rate);
});

test('a downloaded file takes over its blocks: one read before the promotion survives the demotion as a block', () => {
  // 3 MiB cache, file region pinned at 1 MiB. D is restored (cold, two misses from a
  // download); its block 5 is read twice (a miss that admits it, then a block hit),
  // block 6's miss downloads D. Three new files then push D out of the file region.
  const kept = (inheritBlocks: boolean) => {
    const w = makeWorld();
    const c = w.attach(new AdaptiveCache(w.ctx, parseAdaptiveCacheOptions({
      ...ON_MISS,
      sizeLimit: '3MiB', reserve: 0, initialFileShare: 1 / 3, adapt: false, inheritBlocks,
    })));
    const d = file(4);
    const id = (b: number) => d.fileNumber * 2 ** 21 + b;
    c.onFileRestored(d);
    assert.equal(read(c, d, foreground(), 5), false);
    c.afterRemoteRead(d, id(5), 5 * 4 * KiB, 4 * KiB, foreground());
    assert.equal(read(c, d, foreground(), 5), true, 'block 5 from the block region');
    assert.equal(read(c, d, foreground(), 6), false, 'the second miss promotes D');
    assert.equal(c.fileState(4)!.status, 'loading');
    w.scheduler.run();
    assert.equal(c.fileState(4)!.status, 'loaded');
    assert.equal(c.hasBlock(id(5)), false, 'the copy replaces the single blocks');
    assert.equal(read(c, d, foreground(), 7), true, 'block 7 from the copy');
    for (const n of [5, 6, 7]) c.onFileCreated(file(n));
    assert.equal(c.fileState(4)!.inFileRegion, false, 'D was demoted');
    return [5, 6, 7].filter((b) => c.hasBlock(id(b)));
  };
  assert.deepEqual(kept(true), [5, 7], 'the block read before the download and the one read from the copy stay');
  assert.deepEqual(kept(false), [7], 'without inheritBlocks only the copy\'s own reads count');
});

test('readWhileLoading: a download serves the blocks it has already written: a read halfway through a 1 MiB file is local before the middle, remote after it', () => {
  // The world's DFS streams 1 MiB in 1 s after 1 ms. D is promoted at time 0 (as in the
  // test above); at 0.5 s about half of it is on local disk.
  const w = makeWorld();
  const c = w.attach(new AdaptiveCache(w.ctx, parseAdaptiveCacheOptions({
    ...ON_MISS,
    sizeLimit: '3MiB', reserve: 0, initialFileShare: 1 / 3, adapt: false, readWhileLoading: true,
  })));
  const d = file(4);
  c.onFileRestored(d);
  assert.equal(read(c, d, foreground(), 5), false);
  c.afterRemoteRead(d, d.fileNumber * 2 ** 21 + 5, 5 * 4 * KiB, 4 * KiB, foreground());
  assert.equal(read(c, d, foreground(), 5), true);
  assert.equal(read(c, d, foreground(), 6), false, 'the second miss promotes D');
  const seen: Record<string, boolean | string> = {};
  new Process(w.scheduler, (function* probe(): Sim<void> {
    yield 500_000;
    seen.early = read(c, d, foreground(), 25); // bytes 100–104 KiB: arrived at about 0.1 s
    seen.late = read(c, d, foreground(), 225); // bytes 900–904 KiB: arrive at about 0.88 s
    seen.status = c.fileState(4)!.status;
  })()).start();
  const dfsReads = w.dfs.stats.reads;
  w.scheduler.run();
  assert.deepEqual(seen, { early: true, late: false, status: 'loading' });
  assert.equal(w.dfs.stats.reads, dfsReads + 1, 'one DFS read: the download');
  assert.equal(c.fileState(4)!.status, 'loaded');
  assert.equal(c.metrics().fileHit, 1, 'the early read counted as a hit on the file region');
});

test('without readWhileLoading (the default) a file being downloaded serves nothing until its last byte', () => {
  const w = makeWorld();
  const c = w.attach(new AdaptiveCache(w.ctx, parseAdaptiveCacheOptions({
    ...ON_MISS,
    sizeLimit: '3MiB', reserve: 0, initialFileShare: 1 / 3, adapt: false,
  })));
  const d = file(4);
  c.onFileRestored(d);
  assert.equal(read(c, d, foreground(), 5), false);
  c.afterRemoteRead(d, d.fileNumber * 2 ** 21 + 5, 5 * 4 * KiB, 4 * KiB, foreground());
  read(c, d, foreground(), 5);
  assert.equal(read(c, d, foreground(), 6), false, 'the second miss promotes D');
  let early: boolean | undefined;
  new Process(w.scheduler, (function* probe(): Sim<void> {
    yield 900_000;
    early = read(c, d, foreground(), 1);
  })()).start();
  w.scheduler.run();
  assert.equal(early, false);
  assert.equal(read(c, d, foreground(), 1), true, 'from the loaded copy');
});

test('a file ghost hit counts for the boundary only if the file region, grown to hold the file, still fits the cache', () => {
  // 3 MiB cache of 1 MiB files: four new files, the fourth demotes the first.
  const ghostHits = (reachable: boolean) => {
    const w = makeWorld();
    const c = w.attach(new AdaptiveCache(w.ctx, parseAdaptiveCacheOptions({
      ...ON_MISS,
      sizeLimit: '3MiB', reserve: 0, initialFileShare: 1, adapt: false, reachable,
    })));
    for (const n of [1, 2, 3, 4]) c.onFileCreated(file(n));
    assert.equal(c.fileState(1)!.inFileRegion, false, 'file 1 was demoted');
    const missOnFile1 = (b: number) => {
      assert.equal(read(c, file(1), foreground(), b), false);
      c.afterRemoteRead(file(1), 2 ** 21 + b, b * 4 * KiB, 4 * KiB, foreground());
    };
    missOnFile1(0); // the file region holds 3 MiB: no region in a 3 MiB cache keeps a fourth file
    c.onFileDeleted(file(2));
    missOnFile1(1); // 2 MiB held: a region one file larger fits
    const m = c.metrics();
    return [m.fileGhostHit, m.fileGhostHitCredited];
  };
  assert.deepEqual(ghostHits(true), [2, 1]);
  assert.deepEqual(ghostHits(false), [2, 2], 'without the rule both count');
});

/**
 * A 4 MiB cache of 256 KiB files (margin 512 KiB, a step 256 KiB), the boundary at 0
 * and the cache full of blocks (of file 1), so a new file (2) is refused and the file
 * ghost remembers it: each miss on one of its blocks is a file ghost hit.
 */
function refusedFile(options: Record<string, unknown>) {
  const w = makeWorld({ targetFileSize: 256 * KiB });
  const c = w.attach(new AdaptiveCache(w.ctx, parseAdaptiveCacheOptions({
    ...ON_MISS,
    sizeLimit: '4MiB', reserve: 0, initialFileShare: 0, promoteLimit: 0, adaptStep: 0.5,
    decisionMinLookups: 0, // windows of a few hits close at once (the rule has its own test)
    ...options,
  })));
  const missOn = (f: ReturnType<typeof file>, b: number) => {
    assert.equal(read(c, f, foreground(), b), false);
    c.afterRemoteRead(f, f.fileNumber * 2 ** 21 + b, b * 4 * KiB, 4 * KiB, foreground());
  };
  const old = file(1, 4 * MiB);
  c.onFileRestored(old);
  for (let b = 0; b < 1024; b++) missOn(old, b);
  assert.equal(c.blockRegionBytes, 4 * MiB, 'the cache is full of blocks');
  const f = file(2, 256 * KiB);
  assert.equal(c.onFileCreated(f), false, 'the new file is refused');
  let block = 0;
  return {
    /** n misses on the refused file (n file ghost hits), then a lookup without evidence, which decides. */
    window(n: number): number {
      for (let i = 0; i < n; i++) missOn(f, block++);
      assert.equal(read(c, old, foreground(), 0), false);
      return c.metrics().fileTargetBytes / KiB;
    },
    /** n misses on the refused file (n file ghost hits), nothing else. */
    burst(n: number): void {
      for (let i = 0; i < n; i++) missOn(f, block++);
    },
    quiet(lookups: number): void {
      for (let i = 0; i < lookups; i++) read(c, old, foreground(), 0);
    },
    /**
     * n misses on a third file push file 1's n least recent blocks out of the block
     * region; then `again` of them, the newest lost first, miss again: block ghost hits.
     */
    rereadLost(n: number, again: number): void {
      const other = file(3, 4 * MiB);
      c.onFileRestored(other);
      for (let b = 0; b < n; b++) missOn(other, b);
      for (let b = n - 1; b >= n - again; b--) missOn(old, b);
    },
    cache: c,
  };
}

test('growth of the file region on one-sided evidence, window after window, speeds up; a quiet window starts it over', () => {
  // 4 file ghost hits make a window.
  const targets = (accelerate: number) => {
    const r = refusedFile({ decisionEvidence: 4, decisionLookups: 8, minEvidence: 1, significance: 0, accelerate });
    const seen: number[] = [];
    for (let i = 0; i < 3; i++) seen.push(r.window(4));
    r.quiet(8); // a window of lookups without evidence
    for (let i = 0; i < 2; i++) seen.push(r.window(4));
    return seen;
  };
  assert.deepEqual(targets(1), [256, 512, 768, 1024, 1280], 'one step per window');
  assert.deepEqual(targets(2), [256, 768, 1792, 2048, 2560], 'doubling, and after the quiet window one step again');
});

test('a decision for blocks with the boundary already at 0 is not a move', () => {
  // The boundary starts at 0; 8 block ghost hits make two windows that each argue for
  // blocks (4 hits, nothing against), and there is nowhere to go.
  const r = refusedFile({ decisionEvidence: 4, decisionLookups: 1e6, minEvidence: 1, hysteresis: 0, significance: 0, ghostSample: 1 });
  r.rereadLost(64, 8);
  const m = r.cache.metrics();
  assert.equal(m.blockGhostHitCredited, 8, 'two windows of evidence for blocks');
  assert.equal(m.fileTargetBytes, 0);
  assert.equal(m.boundaryMoves, 0);
  // A window of file ghost hits moves it (on the last three windows summed: a reversal
  // of the two decisions for blocks): one move.
  assert.equal(r.window(12), 256);
  assert.equal(r.cache.metrics().boundaryMoves, 1);
});

test('a burst of file ghost hits is weighed with the block region\'s hits over at least decisionMinLookups lookups', () => {
  // After a first window of lookups has measured the tails, 32 misses in a row on the
  // refused file (32 file ghost hits), then 96 hits in the block region (its tail: the
  // cache is full). Alone, the burst passes the bar (32 > 2·√32); over 128 lookups it
  // is 32 gains against 96 losses.
  const target = (decisionMinLookups: number) => {
    const r = refusedFile({ decisionEvidence: 32, decisionLookups: 256, decisionMinLookups });
    r.quiet(256);
    r.burst(32);
    for (let b = 600; b < 696; b++) assert.equal(read(r.cache, file(1, 4 * MiB), foreground(), b), true);
    r.quiet(1);
    return r.cache.metrics().fileTargetBytes / KiB;
  };
  assert.equal(target(0), 256, 'the burst alone moves the boundary');
  assert.equal(target(64), 0, 'weighed over 64 lookups or more, it does not');
  assert.equal(target(128), 0);
});

test('a move needs evidence beyond chance: n one-sided hits move the boundary only when n > significance²', () => {
  // Every window is n file ghost hits and nothing else. By a sign test, n hits all on
  // one side are significant at z standard deviations when n > z·√n, that is n > z².
  const firstTarget = (n: number, significance: number) =>
    refusedFile({ decisionEvidence: n, decisionLookups: 4 * n, minEvidence: 0, hysteresis: 0, significance }).window(n);
  assert.equal(firstTarget(4, 0), 256, 'without the rule, 4 hits move it');
  assert.equal(firstTarget(4, 2), 0, '4 = 2²: not enough');
  assert.equal(firstTarget(5, 2), 256);
  assert.equal(firstTarget(9, 3), 0, '9 = 3²: not enough');
  assert.equal(firstTarget(10, 3), 256);
});

test('the boundary starts where the cache stands when first full, capped at maxInitialFileShare, but not below the margin', () => {
  // A 3 MiB cache; the margin is two target-size files (at most the cache).
  const startTarget = (targetFileSize: number, fileBytes: number, maxInitialFileShare: number) => {
    const w = makeWorld({ targetFileSize });
    const c = w.attach(new AdaptiveCache(w.ctx, parseAdaptiveCacheOptions({ sizeLimit: '3MiB', reserve: 0, maxInitialFileShare })));
    // New files are written through until one more would not fit: that one places the boundary.
    for (let n = 1; n <= Math.floor((3 * MiB) / fileBytes) + 1; n++) c.onFileCreated(file(n, fileBytes));
    return c.metrics().fileTargetBytes / MiB;
  };
  assert.equal(startTarget(256 * KiB, MiB, 1), 3, 'three 1 MiB files fill the cache: the file region starts with all of it');
  assert.equal(startTarget(256 * KiB, MiB, 0.6), Math.round(0.6 * 3 * MiB) / MiB, 'capped at 0.6 of 3 MiB (whole bytes)');
  assert.equal(startTarget(MiB, MiB, 0.6), 2, 'a margin of two 1 MiB files is more than 0.6 of the cache');
  assert.equal(startTarget(2 * MiB, 2 * MiB, 0.6), 3, 'two target-size files are more than the cache: as it stands');
});

test('lost blocks: the newest first, each id once, only those wanted, up to the bytes asked; what was taken or passed over is gone', () => {
  const fill = () => {
    const lost = new LostBlocks(16);
    for (let id = 1; id <= 20; id++) lost.add(id, 10, 100 + id); // 1..4 are overwritten
    lost.add(18, 10, 200); // lost again: its newest loss counts
    return lost;
  };
  const all = fill();
  assert.equal(all.size, 16);
  const every = all.take(Infinity, () => true);
  assert.deepEqual(every.ids, [18, 20, 19, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6]);
  assert.deepEqual(every.at.slice(0, 3), [200, 120, 119]);
  assert.deepEqual(all.take(Infinity, () => true).ids, [], 'nothing is taken twice');
  const some = fill();
  const odd = some.take(35, (id) => id % 2 === 1);
  assert.deepEqual(odd.ids, [19, 17, 15], 'odd ids only, three of 10 bytes within 35');
  assert.deepEqual(odd.sizes, [10, 10, 10]);
  // 18, 20, 16 were passed over: forgotten; 14 did not fit and stays, with all below it.
  assert.deepEqual(some.take(Infinity, () => true).ids, [14, 13, 12, 11, 10, 9, 8, 7, 6]);
  const big = new LostBlocks(16);
  big.add(1, 10, 0);
  big.add(2, 30, 0);
  assert.deepEqual(big.take(15, () => true).ids, [], 'the newest block is larger than the room: it stays');
  assert.deepEqual(big.take(40, () => true).ids, [2, 1]);
});

test('block region: a block inserted as least recent is the next to go, and a hit makes it the most recent', () => {
  const r = new BlockRegion();
  const chain = r.newChain();
  r.insert(1, 10, chain, 5);
  r.insert(2, 10, chain, 6);
  r.insert(3, 10, chain, 1, true);
  r.insert(4, 10, chain, 0, true);
  assert.equal(r.lruId(), 4);
  assert.equal(r.oldestAccess(), 0);
  r.evictLru();
  assert.equal(r.lruId(), 3);
  assert.equal(r.find(3, 7), true);
  assert.equal(r.lruId(), 1);
});

test('refill: a move toward blocks fetches the blocks lost most recently into the free space it leaves, in the background', () => {
  // A 2 MiB cache of four written-through 512 KiB files (margin 1 MiB). A cold file's
  // 200 blocks miss and are refused (the block region has no share), then its newest
  // eight miss again: block ghost hits, a window that moves the boundary to 1 MiB. The
  // next miss demotes one file to make room for its block: 508 KiB are free.
  const run = (refill: boolean) => {
    const w = makeWorld({ targetFileSize: 512 * KiB });
    const c = w.attach(new AdaptiveCache(w.ctx, parseAdaptiveCacheOptions({
      ...ON_MISS,
      sizeLimit: '2MiB', reserve: 0, initialFileShare: 1, promoteLimit: 0, ghostSample: 1,
      decisionEvidence: 8, decisionLookups: 1e6, decisionMinLookups: 0, minEvidence: 1, hysteresis: 0, significance: 0,
      refill, refillStreams: 4,
    })));
    for (const n of [1, 2, 3, 4]) c.onFileCreated(file(n, 512 * KiB));
    const cold = file(10, 8 * MiB);
    c.onFileRestored(cold);
    const id = (b: number) => cold.fileNumber * 2 ** 21 + b;
    const missOn = (b: number) => {
      assert.equal(read(c, cold, foreground(), b), false);
      c.afterRemoteRead(cold, id(b), b * 4 * KiB, 4 * KiB, foreground());
    };
    for (let b = 0; b < 200; b++) missOn(b);
    assert.equal(c.blockRegionBytes, 0, 'every block refused');
    for (let b = 190; b < 199; b++) missOn(b); // eight ghost hits, then the ninth read decides
    assert.equal(c.metrics().fileTargetBytes, MiB, 'the boundary moved down one margin');
    assert.equal(c.metrics().filesInFileRegion, 3, 'one file demoted for block 198');
    const dfsBefore = w.dfs.stats.backgroundRequests;
    w.scheduler.run();
    return { c, id, fetched: w.dfs.stats.backgroundRequests - dfsBefore };
  };
  const off = run(false);
  assert.equal(off.c.blockRegionBytes, 4 * KiB, 'without refill: the one block admitted');
  assert.equal(off.fetched, 0);
  const on = run(true);
  // Newest lost first: 197..190 (refused again), 199, then 189 down; 198 is cached.
  // 127 blocks fill the 508 KiB.
  assert.equal(on.fetched, 127, 'one background DFS read per block');
  assert.equal(on.c.metrics().refilledBlocks, 127);
  assert.equal(on.c.blockRegionBytes, 512 * KiB);
  for (let b = 72; b < 200; b++) assert.equal(on.c.hasBlock(on.id(b)), true, `block ${b}`);
  assert.equal(on.c.hasBlock(on.id(71)), false);
  assert.equal(on.c.metrics().filesInFileRegion, 3, 'a refill demotes no file');
});

test('each move is weighed on its own evidence: rare block ghost hits among many block-region hits still add up to a move', () => {
  // A 2 MiB cache, the boundary at 1 MiB (margin 1 MiB): two written-through 512 KiB
  // files, never read, and a block region of 256 4 KiB blocks of a cold file. Each
  // round reads 7 of 8 hot blocks (hits in the block region's tail: evidence against
  // growing the file region) and misses once on a cold loop of 300 blocks cycling
  // through the other 248 slots (after its first pass, a block ghost hit: evidence for
  // shrinking it). `fileReads` first reads of the file region's blocks per round weigh
  // against shrinking. By a sign test at 2 standard deviations 8 one-sided hits pass
  // (8 > 2·√8) and 8 against 8 do not, however many hits of the other move surround them.
  const targetAfter = (rounds: number, fileReads: number) => {
    const w = makeWorld({ targetFileSize: 512 * KiB });
    const c = w.attach(new AdaptiveCache(w.ctx, parseAdaptiveCacheOptions({
      ...ON_MISS,
      sizeLimit: '2MiB', reserve: 0, initialFileShare: 0.5, promoteLimit: 0, ghostSample: 1,
      decisionEvidence: 8, decisionLookups: 500, decisionMinLookups: 0, refill: false, // a decision in the first pass measures the tails
    })));
    const resident = [file(1, 512 * KiB), file(2, 512 * KiB)];
    for (const f of resident) assert.equal(c.onFileCreated(f), true);
    const cold = file(10, 8 * MiB);
    c.onFileRestored(cold);
    const access = (b: number) => {
      if (read(c, cold, foreground(), b)) return;
      c.afterRemoteRead(cold, cold.fileNumber * 2 ** 21 + b, b * 4 * KiB, 4 * KiB, foreground());
    };
    for (let b = 0; b < 300; b++) {
      access(b % 8);
      access(8 + b); // the first pass of the cold loop
    }
    assert.equal(c.blockRegionBytes, MiB);
    let hot = 0, loop = 0, fileBlock = 0;
    for (let r = 0; r < rounds; r++) {
      for (let i = 0; i < 7; i++) assert.equal(read(c, cold, foreground(), hot++ % 8), true);
      access(8 + (loop++ % 300));
      for (let i = 0; i < fileReads; i++) read(c, resident[fileBlock % 2]!, foreground(), fileBlock++ >> 1);
    }
    return c.metrics().fileTargetBytes / KiB;
  };
  assert.equal(targetAfter(8, 0), 1024, 'seven ghost hits: not yet');
  assert.equal(targetAfter(9, 0), 0, 'the eighth passes: the file region shrinks by a margin');
  assert.equal(targetAfter(64, 1), 1024, 'as many first reads of the file region as ghost hits: no move');
});

test('promotion guard: a cold file is downloaded only if the files it would push out were last read before its misses began counting', () => {
  // A cache of one 1 MiB file, pinned at files. A is in it (written through after B,
  // which it pushed out); B is cold and needs two misses (accessBeforePromote 2).
  // Reads happen at 1 ms steps.
  const w = makeWorld();
  const c = w.attach(new AdaptiveCache(w.ctx, parseAdaptiveCacheOptions({
    sizeLimit: '1MiB', reserve: 0, initialFileShare: 1, adapt: false, accessBeforePromote: 2,
  })));
  const a = file(1);
  const b = file(2);
  c.onFileCreated(b);
  assert.equal(c.onFileCreated(a), true, 'A is written through, pushing B out');
  assert.equal(c.fileState(2)!.inFileRegion, false);
  const steps: [string, () => void][] = [
    ['B misses: its count begins', () => assert.equal(read(c, b), false)],
    ['A is read after B\'s count began', () => assert.equal(read(c, a), true)],
    ['B\'s second miss: promoting it would push out A, read since; refused', () => assert.equal(read(c, b), false)],
    ['B misses again: a new count', () => assert.equal(read(c, b), false)],
    ['B\'s second miss of the new count: A idle since it began, so B is downloaded', () => assert.equal(read(c, b), false)],
  ];
  const seen: string[] = [];
  new Process(w.scheduler, (function* reads(): Sim<void> {
    for (const [what, step] of steps) {
      yield w.scheduler.now + 1000;
      step();
      seen.push(`${what}: A ${c.fileState(1)!.inFileRegion ? 'in' : 'out'}, B ${c.fileState(2)!.status}`);
    }
  })()).start();
  w.scheduler.run();
  assert.deepEqual(seen, [
    'B misses: its count begins: A in, B none',
    'A is read after B\'s count began: A in, B none',
    'B\'s second miss: promoting it would push out A, read since; refused: A in, B none',
    'B misses again: a new count: A in, B none',
    'B\'s second miss of the new count: A idle since it began, so B is downloaded: A out, B loading',
  ]);
  assert.equal(c.metrics().promote, 1);
  assert.equal(c.metrics().demote, 2, 'B by A\'s write, then A by B\'s download');
});

test('two cold files read in turn both reach their downloads (a count restarts only after two other files\' restarts, not one as in ForSt)', () => {
  // 3 MiB, pinned at files, A in it; B and C restored (cold, counting from
  // accessBeforePromote - 2 = 1), then missed in turn: B, C, B, C.
  const w = makeWorld();
  const c = w.attach(new AdaptiveCache(w.ctx, parseAdaptiveCacheOptions({
    sizeLimit: '3MiB', reserve: 0, initialFileShare: 1, adapt: false, accessBeforePromote: 3,
  })));
  const [a, b, d] = [file(1), file(2), file(3)];
  assert.equal(c.onFileCreated(a), true);
  c.onFileRestored(b);
  c.onFileRestored(d);
  for (const f of [b, d, b, d]) assert.equal(read(c, f), false);
  assert.deepEqual([c.fileState(2)!.status, c.fileState(3)!.status], ['loading', 'loading']);
  assert.equal(c.metrics().promote, 2);
});

test('promoteLimit: a file demoted that many times is never downloaded again', () => {
  // One 1 MiB file of cache, pinned at files: B is written through, then A's write
  // pushes it out (its first demotion). B is then missed ten times, 1 ms apart, A idle.
  const downloads = (promoteLimit: number) => {
    const w = makeWorld();
    const c = w.attach(new AdaptiveCache(w.ctx, parseAdaptiveCacheOptions({
      sizeLimit: '1MiB', reserve: 0, initialFileShare: 1, adapt: false, accessBeforePromote: 2, promoteLimit,
    })));
    const [a, b] = [file(1), file(2)];
    c.onFileCreated(b);
    c.onFileCreated(a);
    new Process(w.scheduler, (function* misses(): Sim<void> {
      for (let i = 0; i < 10; i++) {
        yield w.scheduler.now + 1000;
        read(c, b);
      }
    })()).start();
    w.scheduler.run();
    return c.metrics().promote;
  };
  assert.equal(downloads(1), 0, 'demoted once with promoteLimit 1: never again');
  assert.equal(downloads(2), 1, 'with promoteLimit 2 its second miss downloads it');
});
