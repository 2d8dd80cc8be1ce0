/**
 * Blocks admitted to local disk as the memory block cache evicts them (a victim cache
 * of memory): the memory cache says which blocks it evicts and which it only erases,
 * the file system passes evictions to the policy, and `adaptive` (`blockAdmission:
 * memory-eviction`) and `block` (`admission: memory-eviction`) admit them without
 * reading the DFS.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BlockCache as MemoryCache } from '../../sim/block-cache.ts';
import { FileSystem } from '../../sim/fs.ts';
import { AdaptiveCache, parseAdaptiveCacheOptions } from '../../policies/adaptive.ts';
import { BlockCache, parseBlockCacheOptions } from '../../policies/block.ts';
import { KiB, MiB, file, foreground, makeWorld, read } from './context.ts';

const BLOCKS_PER_FILE = 2 ** 21;

test('the memory cache tells of the blocks it evicts for room, in LRU order, and not of those it erases', () => {
  const m = new MemoryCache(4 * KiB, 0);
  const told: [number, number][] = [];
  m.onEvict = (id, bytes) => told.push([id, bytes]);
  m.insert(1, KiB, false);
  m.insert(2, KiB, false);
  m.insert(3, 2 * KiB, false);
  m.lookup(1); // 2 is now the least recent
  m.insert(4, KiB, false);
  assert.deepEqual(told, [[2, KiB]]);
  m.erase(1);
  m.eraseRange(0, 10);
  assert.deepEqual(told, [[2, KiB]], 'erased blocks are not evictions');
  m.insert(5, KiB, false);
  m.setReserved(4 * KiB); // memtables take the room: everything goes
  assert.deepEqual(told, [[2, KiB], [5, KiB]]);
  m.insert(6, 8 * KiB, false); // larger than the cache: passes through, evicted at once
  assert.equal(m.lookup(6), false);
  assert.deepEqual(told, [[2, KiB], [5, KiB], [6, 8 * KiB]]);
});

test('the file system passes memory evictions to a policy that listens, on disaggregated placement only', () => {
  const w = makeWorld();
  const heard: number[][] = [];
  const policy = w.attach(new BlockCache(w.ctx, parseBlockCacheOptions({ sizeLimit: '1MiB', admission: 'memory-eviction' })));
  policy.onMemoryEvict = (fileNumber, blockId, bytes) => heard.push([fileNumber, blockId, bytes]);
  const memory = new MemoryCache(KiB, 0);
  new FileSystem(w.scheduler, w.ctx.cpu, w.dfs, w.disk, memory, policy, 'disaggregated', 1e9);
  memory.insert(7 * BLOCKS_PER_FILE + 3, KiB, false);
  memory.insert(8 * BLOCKS_PER_FILE, KiB, false);
  assert.deepEqual(heard, [[7, 7 * BLOCKS_PER_FILE + 3, KiB]]);
  new FileSystem(w.scheduler, w.ctx.cpu, w.dfs, w.disk, memory, policy, 'local', 1e9);
  assert.equal(memory.onEvict, undefined, 'local placement has no local-disk cache to fill');
});

test('adaptive admits what memory evicts into its block region, from memory, and not blocks of files it holds whole', () => {
  const w = makeWorld({ targetFileSize: 256 * KiB });
  const c = w.attach(new AdaptiveCache(w.ctx, parseAdaptiveCacheOptions({ sizeLimit: '3MiB', reserve: 0, initialFileShare: 1 / 3, adapt: false, blockAdmission: 'memory-eviction' })));
  const cold = file(1, MiB);
  c.onFileRestored(cold);
  const id = (f: { fileNumber: number }, b: number) => f.fileNumber * BLOCKS_PER_FILE + b;
  // A miss read from the DFS is not admitted: memory holds that block now.
  assert.equal(read(c, cold, foreground(), 0), false);
  c.afterRemoteRead(cold, id(cold, 0), 0, 4 * KiB, foreground());
  assert.equal(c.blockRegionBytes, 0);
  const dfsReads = w.dfs.stats.reads;
  c.onMemoryEvict(1, id(cold, 0), 4 * KiB);
  c.onMemoryEvict(1, id(cold, 5), 4 * KiB);
  assert.equal(c.blockRegionBytes, 8 * KiB);
  assert.equal(w.dfs.stats.reads, dfsReads, 'no DFS read');
  assert.equal(read(c, cold, foreground(), 5), true, 'the evicted block is served locally');
  // Evicted again after that read: no second copy.
  c.onMemoryEvict(1, id(cold, 5), 4 * KiB);
  assert.equal(c.blockRegionBytes, 8 * KiB);
  // A file written through into the file region: its blocks are local already.
  const whole = file(2, 256 * KiB);
  assert.equal(c.onFileCreated(whole), true);
  c.onMemoryEvict(2, id(whole, 0), 4 * KiB);
  assert.equal(c.blockRegionBytes, 8 * KiB);
  // An unknown (deleted) file's block is not admitted.
  c.onMemoryEvict(9, id({ fileNumber: 9 }, 0), 4 * KiB);
  assert.equal(c.blockRegionBytes, 8 * KiB);
});

test('block admits on misses by default and, with admission memory-eviction, on memory evictions only', () => {
  for (const admission of ['miss', 'memory-eviction'] as const) {
    const w = makeWorld();
    const c = w.attach(new BlockCache(w.ctx, parseBlockCacheOptions({ sizeLimit: '1MiB', admission })));
    const f = file(1, MiB);
    c.afterRemoteRead(f, BLOCKS_PER_FILE + 1, 4 * KiB, 4 * KiB, foreground());
    c.onMemoryEvict(1, BLOCKS_PER_FILE + 2, 4 * KiB);
    assert.deepEqual(c.blocksOf(1), admission === 'miss' ? [1] : [2], admission);
  }
});
