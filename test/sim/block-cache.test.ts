/**
 * The memory block cache against RocksDB's LRUCache rules (cache/lru_cache.cc):
 * high-priority and previously hit entries enter the pool at the front; others enter
 * at the front of the low part; the pool overflows into the low part; eviction
 * takes the least recent entry.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { BlockCache } from '../../sim/block-cache.ts';

const ids = (c: BlockCache) => c.order().map((e) => e.id);

test('without a pool it is a plain LRU', () => {
  const c = new BlockCache(300, 0);
  c.insert(1, 100, false);
  c.insert(2, 100, false);
  c.insert(3, 100, false);
  assert.ok(c.lookup(1)); // order now 1,3,2
  c.insert(4, 100, false); // evicts 2
  assert.deepEqual(ids(c), [4, 1, 3]);
  assert.equal(c.contains(2), false);
});

test('low-priority blocks enter below the pool; a scan cannot push out index blocks', () => {
  const c = new BlockCache(1000, 0.3);
  c.insert(100, 100, true); // index block, in the pool
  c.insert(101, 100, true);
  for (let i = 1; i <= 20; i++) c.insert(i, 100, false); // a scan of data blocks
  assert.ok(c.contains(100) && c.contains(101), 'pool entries survive the scan');
  // 1000 bytes: 2 pool entries + the 8 most recent scan blocks (13..20)
  assert.deepEqual(ids(c), [101, 100, 20, 19, 18, 17, 16, 15, 14, 13]);
});

test('a hit low-priority block moves into the pool; the pool overflows into the low part', () => {
  const c = new BlockCache(1000, 0.2); // pool holds 200 bytes
  c.insert(1, 100, false);
  c.insert(2, 100, false);
  c.insert(3, 100, false);
  c.lookup(1); // 1 enters the pool
  c.lookup(2); // 2 enters the pool
  c.lookup(3); // 3 enters the pool, 1 (least recent of the pool) slides to the low part
  const order = c.order();
  assert.deepEqual(order.map((e) => e.id), [3, 2, 1]);
  assert.deepEqual(order.map((e) => e.pool), [true, true, false]);
});

test('reserved memory (memtables) evicts blocks', () => {
  const c = new BlockCache(1000, 0);
  for (let i = 0; i < 10; i++) c.insert(i, 100, false);
  c.setReserved(450);
  assert.equal(c.entries, 5);
  assert.deepEqual(ids(c), [9, 8, 7, 6, 5]);
});

test('property: used bytes stay within capacity less reservations and equal the sum of entries', () => {
  fc.assert(fc.property(
    fc.array(fc.tuple(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 1, max: 300 }), fc.boolean(), fc.nat(3)), { maxLength: 400 }),
    (ops) => {
      const c = new BlockCache(1000, 0.25);
      const model = new Map<number, number>();
      for (const [id, size, high, kind] of ops) {
        if (kind === 0) c.setReserved(size);
        else if (kind === 1 && c.lookup(id)) assert.ok(model.has(id));
        else if (!c.contains(id)) { c.insert(id, size, high); model.set(id, size); }
        // drop what the cache evicted from the model
        for (const k of [...model.keys()]) if (!c.contains(k)) model.delete(k);
        let sum = 0;
        for (const v of model.values()) sum += v;
        assert.equal(c.usedBytes, sum);
        assert.ok(c.usedBytes + c.reservedBytes <= 1000 || c.entries === 0);
        assert.equal(c.order().length, c.entries);
      }
    }), { numRuns: 300 });
});

test('property: erasing whole files or any id range removes exactly those blocks and keeps the order of the rest', () => {
  const F = 2 ** 21; // ids of one file lie in [n·2^21, (n+1)·2^21)
  fc.assert(fc.property(
    fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 30 }), fc.boolean(), fc.boolean()), { maxLength: 200 }),
    fc.integer({ min: 0, max: 5 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 0, max: 40 }),
    (ops, file, files, cut) => {
      const c = new BlockCache(3000, 0.25);
      for (const [f, b, high, look] of ops) {
        const id = f * F + b;
        if (look) c.lookup(id);
        else c.insert(id, 100, high);
      }
      const before = c.order();
      c.eraseRange(file * F, (file + files) * F);
      const inFiles = (id: number) => id >= file * F && id < (file + files) * F;
      assert.deepEqual(c.order(), before.filter((e) => !inFiles(e.id)));
      assert.equal(c.usedBytes, c.entries * 100);
      const left = c.order();
      c.eraseRange(cut, cut + F + 7); // not aligned to files
      assert.deepEqual(c.order(), left.filter((e) => !(e.id >= cut && e.id < cut + F + 7)));
      for (const e of c.order()) assert.ok(c.contains(e.id));
    }), { numRuns: 300 });
});
