/**
 * The `file` policy against ForSt's FileBasedCache rules
 * (../shared/reference/forst-file-cache.md, flink-statebackend-forst fs/cache).
 * Each expectation is worked out from the rules in the comments, not from the code.
 *
 * Unless a test says otherwise: files are 1 MiB, the target file size 64 MiB, the DFS
 * streams 1 MiB/s after 1 ms, and the limits are set per test.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { InputError } from '../../sim/errors.ts';
import { FileBasedCache, fileCache, parseFileCacheOptions, type FileEntryView } from '../../policies/file.ts';
import { background, file, foreground, makeWorld, MiB, read, type World } from './context.ts';

function cache(world: World, options: Record<string, unknown>): FileBasedCache {
  return world.attach(new FileBasedCache(world.ctx, parseFileCacheOptions(options)));
}

const entry = (c: FileBasedCache, n: number): FileEntryView | undefined => c.view().find((e) => e.fileNumber === n);
const hotFiles = (c: FileBasedCache) => c.view().filter((e) => e.hot).map((e) => e.fileNumber);
const coldFiles = (c: FileBasedCache) => c.view().filter((e) => !e.hot).map((e) => e.fileNumber);

/** A cache whose limit refuses write-through (64 MiB target > 10 MiB), so new files go cold. */
function coldCache(world: World, extra: Record<string, unknown> = {}): FileBasedCache {
  return cache(world, { sizeLimit: '10MiB', reserve: 0, ...extra });
}

test('a cold file is promoted at exactly accessBeforePromote accesses (default 6)', () => {
  const w = makeWorld();
  const c = coldCache(w);
  assert.equal(c.onFileCreated(file(1)), false, '64 MiB target does not fit 10 MiB: no write-through');
  assert.equal(c.onFileCreated(file(2)), false);
  assert.deepEqual(coldFiles(c), [2, 1], 'new cold entries enter at the middle');
  // Two cold entries: half the cold list is 1 epoch; no insertion happens between the
  // accesses, so the count is never reset.
  for (let i = 1; i <= 5; i++) {
    assert.equal(read(c, file(2)), false, `access ${i}: cold, served by the DFS`);
    assert.equal(entry(c, 2)!.hot, false);
  }
  assert.equal(read(c, file(2)), false, 'access 6 promotes, but the copy is not there yet');
  assert.equal(entry(c, 2)!.hot, true);
  assert.equal(entry(c, 2)!.status, 'loading');
  assert.equal(c.metrics().usedBytes, MiB, 'promotion charges the space at once');
  assert.equal(c.metrics().miss, 6);
  w.scheduler.run();
  assert.equal(entry(c, 2)!.status, 'loaded');
  assert.equal(read(c, file(2)), true, 'after the download the local copy serves reads');
  assert.deepEqual([c.metrics().hit, c.metrics()['lru.loadback']], [1, 1]);
});

test('accessBeforePromote is configurable and never below 1', () => {
  for (const [abp, expected] of [[3, 3], [1, 1], [0, 1]] as const) {
    const w = makeWorld();
    const c = coldCache(w, { 'state.backend.forst.cache.lru.access-before-promote': abp });
    c.onFileCreated(file(1));
    c.onFileCreated(file(2));
    let n = 0;
    while (!entry(c, 2)!.hot && n < 10) { read(c, file(2)); n++; }
    assert.equal(n, expected, `access-before-promote=${abp}`);
  }
});

test('half-list reset: an entry that drifted into the back half of the cold list loses its count', () => {
  // Ten cold files; file 10 is the most recent. It gets 5 accesses (count 5). Then k new
  // cold files enter at the middle, each raising the epoch by one. At the next access
  // the cold list has 10 + k entries; the count resets if k >= floor((10 + k) / 2)
  // (Java's int division), i.e. once file 10 is no longer in the front half:
  // k = 9 resets (9 >= 9), k = 8 does not (8 < 9).
  for (const [k, promoted] of [[8, true], [9, false]] as const) {
    const w = makeWorld();
    const c = coldCache(w);
    for (let f = 1; f <= 10; f++) c.onFileCreated(file(f));
    for (let i = 0; i < 5; i++) read(c, file(10));
    assert.equal(entry(c, 10)!.coldAccesses, 5);
    for (let f = 0; f < k; f++) c.onFileCreated(file(100 + f));
    read(c, file(10));
    assert.equal(entry(c, 10)!.hot, promoted, `k=${k}`);
    if (!promoted) assert.equal(entry(c, 10)!.coldAccesses, 1, 'reset to 0, then this access counts');
  }
});

test('restored files get a head start: two accesses promote them', () => {
  const w = makeWorld();
  const c = coldCache(w);
  c.onFileRestored(file(1));
  c.onFileRestored(file(2));
  assert.equal(entry(c, 2)!.coldAccesses, 4, 'accessBeforePromote - 2');
  assert.equal(entry(c, 2)!.status, 'removed', 'nothing downloaded on restore');
  read(c, file(2));
  assert.equal(entry(c, 2)!.hot, false);
  read(c, file(2));
  assert.equal(entry(c, 2)!.hot, true, 'the second access promotes');
});

test('the half-list reset cancels the head start of a restored file in the back half', () => {
  const w = makeWorld();
  const c = coldCache(w);
  for (let f = 1; f <= 4; f++) c.onFileRestored(file(f));
  // File 1 was inserted 3 epochs ago, cold list of 4: 3 >= 2, so its count resets.
  read(c, file(1));
  assert.equal(entry(c, 1)!.coldAccesses, 1);
  read(c, file(1));
  assert.equal(entry(c, 1)!.hot, false, 'two accesses are not enough any more');
});

test('write-through only when a file of the target size would fit', () => {
  // Size limit below the 64 MiB target: no local copy, even for a 1 MiB file.
  let w = makeWorld({ targetFileSize: 64 * MiB });
  let c = cache(w, { sizeLimit: '32MiB', reserve: 0 });
  assert.equal(c.onFileCreated(file(1)), false);
  assert.deepEqual([entry(c, 1)!.hot, entry(c, 1)!.status], [false, 'removed'], 'registered cold');
  assert.equal(c.usedBytes(), 0);
  // A 64 MiB limit takes it: the entry goes to the head of the hot part.
  w = makeWorld({ targetFileSize: 64 * MiB });
  c = cache(w, { sizeLimit: '64MiB', reserve: 0 });
  assert.equal(c.onFileCreated(file(1)), true);
  assert.deepEqual([entry(c, 1)!.hot, entry(c, 1)!.status], [true, 'loaded']);
  assert.equal(c.metrics().usedBytes, MiB);
  // The reserve: the cache may use free space minus the reserve (plus what it holds).
  // 150 MiB free - 100 MiB reserve = 50 MiB < 64 MiB: refused; 200 MiB free: accepted.
  w = makeWorld({ diskBytes: 150 * MiB });
  c = cache(w, { reserve: '100MiB' });
  assert.equal(c.onFileCreated(file(1)), false);
  w = makeWorld({ diskBytes: 200 * MiB });
  c = cache(w, { reserve: '100MiB' });
  assert.equal(c.onFileCreated(file(1)), true);
});

test('a written-through file that cannot fit even alone goes cold and loses its copy', () => {
  // Target 1 MiB fits the 2 MiB limit, but the actual file is 3 MiB.
  const w = makeWorld({ targetFileSize: MiB });
  const c = cache(w, { sizeLimit: '2MiB', reserve: 0 });
  assert.equal(c.onFileCreated(file(1, 3 * MiB)), true, 'the copy was written');
  assert.deepEqual([entry(c, 1)!.hot, entry(c, 1)!.status], [false, 'removed']);
  assert.equal(c.usedBytes(), 0, 'and deleted');
  assert.equal(c.metrics()['lru.evict'], 1, 'ForSt counts the invalidation as an eviction');
});

test('eviction demotes only hot entries, least recent first; cold entries stay tracked', () => {
  const w = makeWorld({ targetFileSize: MiB });
  const c = cache(w, { sizeLimit: '2MiB', reserve: 0 });
  assert.ok(c.onFileCreated(file(1)));
  assert.ok(c.onFileCreated(file(2)));
  assert.deepEqual(hotFiles(c), [2, 1]);
  assert.ok(c.onFileCreated(file(3)), '3 overflows the limit: 1 (least recent hot) is demoted');
  assert.deepEqual([hotFiles(c), coldFiles(c)], [[3, 2], [1]]);
  assert.equal(entry(c, 1)!.status, 'removed', 'the demoted copy is deleted');
  assert.equal(read(c, file(2)), true, '2 becomes the most recent hot entry');
  c.onFileCreated(file(4)); // demotes 3, now the least recent hot entry
  assert.deepEqual([hotFiles(c), coldFiles(c)], [[4, 2], [3, 1]], 'demoted to the most recent cold position');
  for (let f = 5; f <= 30; f++) c.onFileCreated(file(f));
  assert.equal(c.view().length, 30, 'nothing bounds the cold part: every file stays tracked');
  assert.deepEqual(hotFiles(c), [30, 29]);
  const m = c.metrics();
  assert.deepEqual([m.usedBytes, c.usedBytes(), m['lru.evict']], [2 * MiB, 2 * MiB, 28]);
});

test('a file evicted promoteLimit times is never promoted again', () => {
  for (const [promoteLimit, promoted] of [[1, false], [2, true]] as const) {
    const w = makeWorld({ targetFileSize: MiB });
    const c = cache(w, { sizeLimit: '1MiB', reserve: 0, promoteLimit });
    c.onFileCreated(file(1));
    c.onFileCreated(file(2)); // demotes 1: its first eviction
    assert.equal(entry(c, 1)!.evictions, 1);
    c.onFileRestored(file(3)); // two more cold entries, so the list is long enough
    c.onFileRestored(file(4)); // for a count to survive
    let n = 0;
    while (!entry(c, 1)!.hot && n < 20) { read(c, file(1)); n++; }
    assert.equal(entry(c, 1)!.hot, promoted, `promote-limit=${promoteLimit}`);
    // 1 was demoted, so its epoch is older than the list: the first access resets and
    // counts 1, then 5 more reach 6.
    if (promoted) assert.equal(n, 6);
  }
});

test('reads stay remote while the file loads on 4 loader threads, local once loaded', () => {
  const w = makeWorld();
  const c = coldCache(w, { accessBeforePromote: 1 });
  for (let f = 1; f <= 6; f++) c.onFileCreated(file(f));
  // accessBeforePromote 1 (and 6 cold entries): each first access promotes.
  for (let f = 1; f <= 5; f++) assert.equal(read(c, file(f)), false);
  assert.deepEqual(hotFiles(c), [5, 4, 3, 2, 1]);
  // A download: one DFS stream of 1 MiB (1 ms + 1 s), copied in 64 KiB writes as it
  // arrives. Four loaders: files 1-4 finish just after 1.001 s, file 5 waits for a loader.
  w.scheduler.run(1_000_999);
  assert.ok(c.view().every((e) => e.status !== 'loaded'), 'nothing has finished yet');
  assert.equal(read(c, file(1)), false, 'while loading, reads go to the DFS');
  w.scheduler.run(1_002_000);
  assert.deepEqual([1, 2, 3, 4, 5].map((f) => entry(c, f)!.status), ['loaded', 'loaded', 'loaded', 'loaded', 'loading']);
  assert.equal(read(c, file(1)), true, 'switches to the local copy once loaded');
  w.scheduler.run();
  assert.equal(entry(c, 5)!.status, 'loaded');
  assert.ok(w.scheduler.now > 2_000_000, 'file 5 started after a loader was free');
  assert.equal(w.dfs.stats.bytesRead, 5 * MiB);
  assert.equal(w.disk.stats.writes, 5 * 16, '64 KiB chunks');
  assert.equal(c.usedBytes(), 5 * MiB);
  assert.equal(c.metrics()['lru.loadback'], 5);
});

test('a demotion during the download does not cancel it', () => {
  const w = makeWorld({ targetFileSize: MiB });
  const c = cache(w, { sizeLimit: '1MiB', reserve: 0, accessBeforePromote: 1 });
  c.onFileRestored(file(1));
  c.onFileRestored(file(2));
  read(c, file(2)); // promoted (head start 0 with accessBeforePromote 1)
  assert.equal(entry(c, 2)!.status, 'loading');
  c.onFileCreated(file(3)); // a new file takes the 1 MiB: 2 is demoted while loading
  assert.deepEqual([entry(c, 2)!.hot, entry(c, 2)!.status], [false, 'loading']);
  assert.equal(c.metrics()['lru.evict'], 0, 'nothing was invalidated: the copy was not loaded yet');
  w.scheduler.run();
  // ForSt: the download completes (LOADING -> LOADED) and the entry, now cold, keeps
  // its copy outside the limit's accounting.
  assert.deepEqual([entry(c, 2)!.hot, entry(c, 2)!.status], [false, 'loaded']);
  assert.equal(c.metrics()['lru.loadback'], 1);
  assert.equal(c.metrics().usedBytes, MiB, 'only file 3 is charged');
  assert.equal(c.usedBytes(), 2 * MiB, 'both copies are on disk');
  assert.equal(read(c, file(2), background()), true, 'its copy serves reads');
});

test('background reads change neither LRU order nor counts, and cost no lookup CPU', () => {
  const w = makeWorld();
  const c = coldCache(w);
  c.onFileCreated(file(1));
  c.onFileCreated(file(2));
  for (let i = 0; i < 5; i++) read(c, file(1));
  const before = c.metrics();
  const order = c.view().map((e) => e.fileNumber);
  const io = background();
  for (let i = 0; i < 20; i++) assert.equal(read(c, file(1), io), false);
  assert.equal(io.cpuPendingUs, 0);
  assert.deepEqual(c.metrics(), before);
  assert.deepEqual(c.view().map((e) => e.fileNumber), order);
  assert.equal(entry(c, 1)!.coldAccesses, 5);
  read(c, file(1));
  assert.equal(entry(c, 1)!.hot, true, 'the sixth foreground access promotes');

  // Hot entries: a background read does not refresh recency.
  const w2 = makeWorld({ targetFileSize: MiB });
  const c2 = cache(w2, { sizeLimit: '2MiB', reserve: 0 });
  c2.onFileCreated(file(1));
  c2.onFileCreated(file(2));
  assert.equal(read(c2, file(1), background()), true, 'a local copy serves compaction reads');
  c2.onFileCreated(file(3));
  assert.deepEqual(hotFiles(c2), [3, 2], '1 was still the least recent hot entry');
});

test('every foreground lookup charges the file-cache lookup CPU', () => {
  const w = makeWorld();
  const c = coldCache(w);
  c.onFileCreated(file(1));
  const io = foreground();
  read(c, file(1), io);
  read(c, file(1), io);
  assert.equal(io.cpuPendingUs, 2 * w.ctx.cpu.costs.fileCacheLookupUs);
});

test('size limit: used + new <= limit', () => {
  const w = makeWorld({ targetFileSize: MiB });
  const c = cache(w, { 'state.backend.forst.cache.size-based-limit': '3MiB', 'state.backend.forst.cache.reserve-size': 0 });
  for (let f = 1; f <= 5; f++) c.onFileCreated(file(f));
  assert.deepEqual(hotFiles(c), [5, 4, 3]);
  assert.equal(c.metrics().usedBytes, 3 * MiB);
  assert.equal(c.metrics().remainingBytes, undefined, 'only the space-based limit reports it');
});

test('reserve limit: free space minus the reserve, read live, checked only on additions', () => {
  // 10 MiB disk, 4 MiB reserve, 1 MiB files with a 1 MiB target.
  const w = makeWorld({ diskBytes: 10 * MiB, targetFileSize: MiB });
  const c = cache(w, { reserve: '4MiB' });
  // Each new copy is on disk when checked; a file overflows when free space < reserve.
  // Six files leave 4 MiB free; the seventh leaves 3, so the least recent goes.
  for (let f = 1; f <= 7; f++) assert.ok(c.onFileCreated(file(f)));
  assert.deepEqual(hotFiles(c), [7, 6, 5, 4, 3, 2]);
  assert.equal(c.metrics().remainingBytes, 0);
  // Other data takes 3 MiB: the cache does not shrink until something is added.
  w.other.bytes = 3 * MiB;
  assert.equal(hotFiles(c).length, 6);
  assert.equal(c.metrics().remainingBytes, -3 * MiB);
  // File 8: 1 MiB free before, 0 after its copy; demote until 4 MiB are free: 2, 3, 4, 5.
  assert.ok(c.onFileCreated(file(8)));
  assert.deepEqual(hotFiles(c), [8, 7, 6]);
  assert.equal(c.usedBytes(), 3 * MiB);
});

test('both limits: an addition must satisfy each', () => {
  const w = makeWorld({ diskBytes: 10 * MiB, targetFileSize: MiB });
  const c = cache(w, { sizeLimit: '5MiB', reserve: '4MiB' });
  for (let f = 1; f <= 8; f++) c.onFileCreated(file(f));
  assert.equal(hotFiles(c).length, 5, 'the size limit (5) is tighter than disk - reserve (6)');
  const w2 = makeWorld({ diskBytes: 10 * MiB, targetFileSize: MiB });
  const c2 = cache(w2, { sizeLimit: '8MiB', reserve: '4MiB' });
  for (let f = 1; f <= 8; f++) c2.onFileCreated(file(f));
  assert.equal(hotFiles(c2).length, 6, 'the reserve is tighter');
});

test('deletion removes the entry and its local copy', () => {
  const w = makeWorld({ targetFileSize: MiB });
  const c = cache(w, { sizeLimit: '2MiB', reserve: 0, accessBeforePromote: 1 });
  c.onFileCreated(file(1));
  c.onFileCreated(file(2));
  c.onFileCreated(file(3)); // 1 goes cold
  c.onFileDeleted(file(2)); // hot
  c.onFileDeleted(file(1)); // cold
  assert.deepEqual(c.view().map((e) => e.fileNumber), [3]);
  assert.deepEqual([c.metrics().usedBytes, c.usedBytes()], [MiB, MiB]);
  assert.equal(read(c, file(1)), false, 'a deleted file is not tracked');
  assert.equal(c.metrics().miss, 0, 'and an untracked file is not counted');

  // Deleted while loading: the download runs to its end, then drops its copy.
  c.onFileRestored(file(4));
  c.onFileRestored(file(5));
  read(c, file(5));
  assert.equal(entry(c, 5)!.status, 'loading');
  c.onFileDeleted(file(5));
  assert.equal(c.metrics().usedBytes, MiB, 'the charge is released');
  w.scheduler.run();
  assert.equal(c.usedBytes(), MiB, 'no copy is left behind');
  assert.equal(c.metrics()['lru.loadback'], 0);
});

test('usedBytes is recorded over time in the timeline', () => {
  const w = makeWorld({ targetFileSize: MiB });
  const c = cache(w, { sizeLimit: '2MiB', reserve: 0 });
  c.onFileCreated(file(1));
  c.onFileCreated(file(2));
  const rows = w.ctx.timeline.rows();
  assert.equal(rows.at(-1)!.localCacheBytes, 2 * MiB);
});

test('options: Flink keys or short names, sizes as text, clear errors naming the key', () => {
  const o = parseFileCacheOptions({
    'state.backend.forst.cache.size-based-limit': '1GiB',
    'state.backend.forst.cache.reserve-size': '0',
    'state.backend.forst.cache.lru.promote-limit': 5,
  });
  assert.deepEqual(o, { sizeLimit: 2 ** 30, reserve: 0, accessBeforePromote: 6, promoteLimit: 5 });
  assert.deepEqual(parseFileCacheOptions({}), { sizeLimit: 0, reserve: 256 * MiB, accessBeforePromote: 6, promoteLimit: 3 });
  const bad: [Record<string, unknown>, RegExp][] = [
    [{ 'state.backend.forst.cache.reserve-size': '12 parsecs' }, /state\.backend\.forst\.cache\.reserve-size/],
    [{ sizeLimit: -1 }, /sizeLimit/],
    [{ 'state.backend.forst.cache.lru.access-before-promote': 2.5 }, /access-before-promote/],
    [{ promoteLimit: 'three' }, /promoteLimit/],
    [{ sizeLimt: 1 }, /unknown option 'sizeLimt'.*size-based-limit/],
    [{ sizeLimit: 1, 'state.backend.forst.cache.size-based-limit': 2 }, /given twice/],
  ];
  for (const [options, message] of bad) {
    assert.throws(() => fileCache(options), (err: unknown) => err instanceof InputError && message.test(err.message));
  }
});

test('with neither limit set ForSt builds no cache', () => {
  const w = makeWorld();
  const c = cache(w, { sizeLimit: 0, reserve: 0 });
  assert.equal(c.onFileCreated(file(1)), false);
  const io = foreground();
  assert.equal(read(c, file(1), io), false);
  assert.deepEqual([c.view().length, io.cpuPendingUs], [0, 0]);
});

test('property: the charge stays within the size limit and equals the hot entries; copies belong to hot entries', () => {
  const KB64 = 64 * 1024;
  const op = fc.oneof(
    fc.record({ kind: fc.constant('create' as const), f: fc.nat(7), units: fc.integer({ min: 1, max: 6 }) }),
    fc.record({ kind: fc.constant('restore' as const), f: fc.nat(7), units: fc.integer({ min: 1, max: 6 }) }),
    fc.record({ kind: fc.constant('read' as const), f: fc.nat(7), bg: fc.boolean() }),
    fc.record({ kind: fc.constant('delete' as const), f: fc.nat(7) }),
    fc.record({ kind: fc.constant('wait' as const), us: fc.integer({ min: 1, max: 200_000 }) }),
  );
  fc.assert(fc.property(
    fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 4 }), fc.array(op, { maxLength: 120 }),
    (limitUnits, targetUnits, abp, ops) => {
      const limit = limitUnits * KB64;
      const w = makeWorld({ targetFileSize: targetUnits * KB64 });
      const c = cache(w, { sizeLimit: limit, reserve: 0, accessBeforePromote: abp });
      const sizes = new Map<number, number>();
      /** Files demoted while their download ran: the only cold entries allowed a copy. */
      const overtaken = new Set<number>();
      const check = (drained: boolean) => {
        const view = c.view();
        const m = c.metrics();
        assert.ok(m.usedBytes! <= limit, `charged ${m.usedBytes} > limit ${limit}`);
        const hotSum = view.filter((e) => e.hot).reduce((s, e) => s + sizes.get(e.fileNumber)!, 0);
        assert.equal(m.usedBytes, hotSum, 'the charge is the hot entries');
        for (const e of view) {
          if (e.hot) assert.ok(e.status === 'loaded' || (!drained && e.status === 'loading'), `hot ${e.fileNumber} is ${e.status}`);
          else if (e.status === 'loaded' || e.status === 'loading') assert.ok(overtaken.has(e.fileNumber), `cold ${e.fileNumber} is ${e.status}`);
        }
        if (drained) {
          const copies = view.filter((e) => e.status === 'loaded').reduce((s, e) => s + sizes.get(e.fileNumber)!, 0);
          assert.equal(c.usedBytes(), copies, 'bytes on disk are the loaded copies');
        }
      };
      for (const o of ops) {
        const loadingBefore = new Set(c.view().filter((e) => e.hot && e.status === 'loading').map((e) => e.fileNumber));
        switch (o.kind) {
          case 'create': sizes.set(o.f, o.units * KB64); overtaken.delete(o.f); c.onFileCreated(file(o.f, o.units * KB64)); break;
          case 'restore': sizes.set(o.f, o.units * KB64); overtaken.delete(o.f); c.onFileRestored(file(o.f, o.units * KB64)); break;
          case 'read': if (sizes.has(o.f)) read(c, file(o.f, sizes.get(o.f)!), o.bg ? background() : foreground()); break;
          case 'delete': c.onFileDeleted(file(o.f)); sizes.delete(o.f); overtaken.delete(o.f); break;
          case 'wait': w.scheduler.run(w.scheduler.now + o.us); break;
        }
        for (const e of c.view()) if (!e.hot && e.status === 'loading' && loadingBefore.has(e.fileNumber)) overtaken.add(e.fileNumber);
        check(false);
      }
      w.scheduler.run();
      check(true);
    },
  ), { numRuns: 300 });
});
