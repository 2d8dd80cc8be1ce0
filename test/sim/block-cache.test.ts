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

/**
 * RocksDB's LRU list with a high-priority pool, written as plainly as possible: an
 * array from most to least recent, the pool its front. The reference for the order.
 */
class ListModel {
  list: { id: number; size: number; high: boolean; hit: boolean; pool: boolean }[] = [];
  reserved = 0;
  constructor(readonly capacity: number, readonly ratio: number) {}
  used() { return this.list.reduce((a, e) => a + e.size, 0); }
  poolUsed() { return this.list.filter((e) => e.pool).reduce((a, e) => a + e.size, 0); }
  /** Front of the pool, or front of the low part (after the pool), then the pool overflows. */
  place(e: ListModel['list'][number]) {
    if (this.ratio > 0 && (e.high || e.hit)) {
      e.pool = true;
      this.list.unshift(e);
      while (this.poolUsed() > this.capacity * this.ratio) {
        const last = this.list.filter((x) => x.pool).pop()!;
        last.pool = false; // the pool's least recent becomes the low part's most recent
      }
    } else {
      e.pool = false;
      this.list.splice(this.list.filter((x) => x.pool).length, 0, e);
    }
  }
  makeRoom(bytes: number) {
    while (this.used() + this.reserved + bytes > this.capacity && this.list.length > 0) this.list.pop();
  }
  lookup(id: number) {
    const i = this.list.findIndex((e) => e.id === id);
    if (i < 0) return false;
    const [e] = this.list.splice(i, 1);
    e!.hit = true;
    this.place(e!);
    return true;
  }
  insert(id: number, size: number, high: boolean) {
    if (this.list.some((e) => e.id === id) || size > this.capacity) return;
    this.makeRoom(size);
    this.place({ id, size, high, hit: false, pool: false });
  }
}

test('property: the order (pool and low part) is RocksDB\'s LRU list, step by step', () => {
  fc.assert(fc.property(
    fc.constantFrom(0, 0.1, 0.25, 0.5),
    fc.array(fc.tuple(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 1, max: 250 }), fc.boolean(), fc.nat(9)), { maxLength: 600 }),
    (ratio, ops) => {
      const c = new BlockCache(1000, ratio);
      const model = new ListModel(1000, ratio);
      for (const [id, size, high, kind] of ops) {
        if (kind === 0) { c.setReserved(size); model.reserved = size; model.makeRoom(0); }
        else if (kind === 1) { c.erase(id); model.list = model.list.filter((e) => e.id !== id); }
        else if (kind <= 5) assert.equal(c.lookup(id), model.lookup(id));
        else { c.insert(id, size, high); model.insert(id, size, high); }
        assert.deepEqual(c.order(), model.list.map((e) => ({ id: e.id, pool: e.pool })));
        assert.equal(c.usedBytes, model.used());
      }
    }), { numRuns: 300 });
});

test('the order survives many compactions of the placement logs (hits, no evictions)', () => {
  const c = new BlockCache(1e9, 0.1);
  for (let i = 0; i < 100; i++) c.insert(i, 100, i % 2 === 0);
  for (let r = 0; r < 100_000; r++) c.lookup(r % 100);
  assert.deepEqual(c.order().map((e) => e.id), Array.from({ length: 100 }, (_, i) => 99 - i));
  assert.equal(c.entries, 100);
});
