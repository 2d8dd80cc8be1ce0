/**
 * The `block` policy (DESIGN §1.4): single blocks on local disk, admitted on a miss or
 * on a second miss, evicted by a pluggable algorithm, dropped with their file, and
 * charged for per-block metadata and a dearer lookup. Blocks here are 4 KiB.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from '../../sim/errors.ts';
import type { FileRef, IoContext, LocalCachePolicy } from '../../sim/local-cache.ts';
import { BlockCache, blockCache, parseBlockCacheOptions } from '../../policies/block.ts';
import { FileBasedCache, parseFileCacheOptions } from '../../policies/file.ts';
import { makePolicy, POLICY_NAMES } from '../../policies/registry.ts';
import { background, file, foreground, KiB, makeWorld, MiB, read, type World } from './context.ts';

const BLOCK = 4 * KiB;

function cache(world: World, options: Record<string, unknown>): BlockCache {
  return world.attach(new BlockCache(world.ctx, parseBlockCacheOptions(options)));
}

/** A foreground read that misses memory: local if cached, else the DFS and then admission. */
function get(p: LocalCachePolicy, f: FileRef, blockNo: number, io: IoContext = foreground()): boolean {
  if (read(p, f, io, blockNo)) return true;
  p.afterRemoteRead(f, f.fileNumber * 2 ** 21 + blockNo, blockNo * BLOCK, BLOCK, io);
  return false;
}

test('admission on miss: the first DFS read admits the block, the next read hits', () => {
  const w = makeWorld();
  const c = cache(w, { sizeLimit: '1MiB' });
  assert.equal(get(c, file(1), 0), false);
  assert.equal(get(c, file(1), 0), true);
  const m = c.metrics();
  assert.deepEqual([m.hit, m.miss, m.admit, m.usedBytes, m.metadataBytes], [1, 1, 1, BLOCK, 64]);
  assert.equal(w.disk.stats.writes, 1, 'the admitted block is written to local disk');
  assert.equal(w.disk.stats.backgroundRequests, 1, 'in the background');
  assert.equal(w.scheduler.pending, 0, 'nobody waits for that write');
});

test('admission on second miss: a block is admitted only when it misses again while remembered', () => {
  const w = makeWorld();
  const c = cache(w, { sizeLimit: '1MiB', admission: 'second-miss' });
  assert.equal(get(c, file(1), 0), false, 'first miss: remembered, not admitted');
  assert.equal(c.metrics().admit, 0);
  assert.equal(w.disk.stats.writes, 0);
  assert.equal(get(c, file(1), 0), false, 'second miss: admitted');
  assert.equal(c.metrics().admit, 1);
  assert.equal(get(c, file(1), 0), true);
});

test('second-miss memory is bounded: the oldest missed id is forgotten', () => {
  const w = makeWorld();
  const c = cache(w, { sizeLimit: '1MiB', admission: 'second-miss', ghostEntries: 2 });
  get(c, file(1), 0);
  get(c, file(1), 1);
  get(c, file(1), 2); // forgets block 0
  get(c, file(1), 0); // a first miss again
  assert.equal(c.metrics().admit, 0);
  get(c, file(1), 2); // still remembered
  assert.deepEqual(c.blocksOf(1), [2]);
});

test('eviction frees bytes; the algorithm is pluggable', () => {
  // Room for two blocks. A, B admitted; A hit; C admitted: LRU evicts B (least recent),
  // FIFO evicts A (first in, hits do not matter).
  for (const [eviction, survivor, victim] of [['lru', 0, 1], ['fifo', 1, 0]] as const) {
    const w = makeWorld();
    const c = cache(w, { sizeLimit: 2 * BLOCK, eviction });
    get(c, file(1), 0);
    get(c, file(1), 1);
    assert.equal(get(c, file(1), 0), true);
    get(c, file(1), 2);
    const m = c.metrics();
    assert.deepEqual([m.evict, m.usedBytes, m.blocks, m.metadataBytes], [1, 2 * BLOCK, 2, 128], eviction);
    assert.deepEqual(c.blocksOf(1), [survivor, 2].sort(), eviction);
    assert.equal(read(c, file(1), foreground(), victim), false, `${eviction}: the evicted block misses`);
  }
});

test('every registered online algorithm runs the cache; Belady is refused', () => {
  for (const eviction of ['lru', 'fifo', 'clock', 'sieve', 's3fifo', 'arc', 'twoq', 'lfu', 'lirs']) {
    const w = makeWorld();
    const c = cache(w, { sizeLimit: 64 * BLOCK, eviction });
    for (let i = 0; i < 500; i++) get(c, file(1 + (i % 3)), (i * 7) % 100);
    assert.ok(c.usedBytes() <= 64 * BLOCK, eviction);
    assert.equal(c.metrics().hit! + c.metrics().miss!, 500, eviction);
  }
  assert.throws(() => blockCache({ eviction: 'belady' }), (e: unknown) => e instanceof InputError && /replay/.test(e.message));
});

test('deleting a file drops its blocks and only its blocks', () => {
  const w = makeWorld();
  const c = cache(w, { sizeLimit: '1MiB' });
  for (let b = 0; b < 5; b++) get(c, file(1), b);
  for (let b = 0; b < 3; b++) get(c, file(2), b);
  c.onFileDeleted(file(1));
  const m = c.metrics();
  assert.deepEqual([m.usedBytes, m.blocks, m.metadataBytes], [3 * BLOCK, 3, 3 * 64]);
  assert.equal(m.evict, 0, 'removal is not eviction');
  assert.deepEqual(c.blocksOf(1), []);
  assert.deepEqual(c.blocksOf(2), [0, 1, 2]);
  assert.equal(read(c, file(1), foreground(), 0), false);
  assert.equal(read(c, file(2), foreground(), 0), true);
});

test('a block lookup costs more CPU than a file lookup', () => {
  const w = makeWorld();
  const block = cache(w, { sizeLimit: '1MiB' });
  const fileCache = new FileBasedCache(w.ctx, parseFileCacheOptions({ sizeLimit: '1MiB', reserve: 0 }));
  const ioBlock = foreground();
  const ioFile = foreground();
  read(block, file(1), ioBlock);
  read(fileCache, file(1), ioFile);
  assert.equal(ioBlock.cpuPendingUs, w.ctx.cpu.costs.blockCacheLookupUs);
  assert.equal(ioFile.cpuPendingUs, w.ctx.cpu.costs.fileCacheLookupUs);
  assert.ok(ioBlock.cpuPendingUs > ioFile.cpuPendingUs);
});

test('background reads use cached blocks but neither count, reorder nor admit', () => {
  const w = makeWorld();
  const c = cache(w, { sizeLimit: 2 * BLOCK });
  get(c, file(1), 0);
  get(c, file(1), 1);
  const before = c.metrics();
  const io = background();
  assert.equal(get(c, file(1), 0, io), true, 'a cached block serves compaction');
  assert.equal(get(c, file(1), 5, io), false);
  assert.deepEqual(c.metrics(), before, 'no counts, no admission of block 5');
  assert.equal(io.cpuPendingUs, 0);
  get(c, file(1), 2); // LRU: block 0 is still the least recent
  assert.deepEqual(c.blocksOf(1), [1, 2]);
  assert.equal(read(c, file(1), background(), -1), false, 'a byte-range read is not a block');
});

test('new files are not written through; the default size is the disk less the reserve', () => {
  const w = makeWorld({ diskBytes: 10 * 1024 * MiB });
  const c = cache(w, {});
  assert.equal(c.onFileCreated(file(1)), false);
  assert.equal(c.capacityBytes, 10 * 1024 * MiB - 256 * MiB);
  const c2 = cache(w, { 'state.backend.forst.cache.reserve-size': '1GiB' });
  assert.equal(c2.capacityBytes, 9 * 1024 * MiB);
  assert.equal(cache(w, { sizeLimit: '2GiB' }).capacityBytes, 2 * 1024 * MiB);
});

test('options are validated with messages naming the key', () => {
  const bad: [Record<string, unknown>, RegExp][] = [
    [{ admission: 'third-miss' }, /admission/],
    [{ eviction: 'mru' }, /eviction.*unknown eviction algorithm 'mru'.*lru/],
    [{ eviction: 's3fifo', evictionOptions: { smallRatio: 2 } }, /smallRatio/],
    [{ sizeLimit: '1 furlong' }, /sizeLimit/],
    [{ ghostEntries: 0 }, /ghostEntries/],
    [{ writeThrough: true }, /unknown option 'writeThrough'/],
  ];
  for (const [options, message] of bad) {
    assert.throws(() => blockCache(options), (err: unknown) => err instanceof InputError && message.test(err.message), JSON.stringify(options));
  }
});

test('registry: none, file and block by name; unknown names are listed', () => {
  assert.deepEqual(POLICY_NAMES.slice(0, 3), ['none', 'file', 'block']);
  const w = makeWorld();
  for (const name of POLICY_NAMES) assert.equal(makePolicy(name)(w.ctx).name, name);
  assert.equal(makePolicy('FILE', { sizeLimit: '1GiB' })(w.ctx).name, 'file');
  assert.throws(() => makePolicy('mru'), (e: unknown) => e instanceof InputError && e.message.endsWith(`(known: ${POLICY_NAMES.join(', ')})`));
  assert.throws(() => makePolicy('none', { sizeLimit: 1 }), InputError);
});
