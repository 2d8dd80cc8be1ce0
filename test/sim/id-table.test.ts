import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { IdTable } from '../../sim/id-table.ts';

// A Map is the reference: any sequence of sets and deletes leaves the same contents.
test('IdTable holds what a Map holds after any sequence of sets and deletes', () => {
  const id = fc.oneof(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 2 ** 53 - 1 }),
    fc.integer({ min: 0, max: 30 }).map((k) => k * 2 ** 21 + 7));
  const op = fc.tuple(fc.boolean(), id, fc.integer({ min: 0, max: 1000 }));
  fc.assert(fc.property(fc.array(op, { maxLength: 400 }), (ops) => {
    const t = new IdTable(4);
    const m = new Map<number, number>();
    for (const [isSet, k, v] of ops) {
      if (isSet) { t.set(k, v); m.set(k, v); }
      else { assert.equal(t.delete(k), m.get(k) ?? -1); m.delete(k); }
      assert.equal(t.size, m.size);
    }
    for (const [k, v] of m) assert.equal(t.get(k), v);
    for (const [, k] of ops) if (!m.has(k)) assert.equal(t.get(k), -1);
    const seen = new Map<number, number>();
    t.forEach((k, v) => seen.set(k, v));
    assert.deepEqual([...seen].sort((a, b) => a[0] - b[0]), [...m].sort((a, b) => a[0] - b[0]));
  }), { numRuns: 300 });
});

test('IdTable keeps colliding runs findable when entries in the middle are deleted', () => {
  const t = new IdTable(8);
  const ids = Array.from({ length: 5000 }, (_, i) => i * 2 ** 21); // one block id per file
  ids.forEach((k, i) => t.set(k, i));
  for (let i = 0; i < ids.length; i += 2) t.delete(ids[i]!);
  for (let i = 0; i < ids.length; i++) assert.equal(t.get(ids[i]!), i % 2 === 0 ? -1 : i);
  assert.equal(t.size, 2500);
});

test('IdTable agrees with a Map across its narrow (int32 ids) and wide layouts', () => {
  const id = fc.oneof(
    fc.integer({ min: 0, max: 300 }),
    fc.integer({ min: -3, max: -1 }),
    fc.constantFrom(2 ** 31 - 1, -(2 ** 31), 2 ** 31, 2 ** 32 + 7, 2 ** 53 - 1),
    fc.integer({ min: 0, max: 50 }).map((k) => k * 2 ** 33 + 1),
  );
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.constantFrom('set', 'delete', 'get'), id), { maxLength: 400 }), (ops) => {
      const index = new IdTable(4);
      const model = new Map<number, number>();
      let wideSeen = false;
      ops.forEach(([op, key], i) => {
        if (op === 'set') {
          index.set(key, i);
          model.set(key, i);
          wideSeen ||= (key | 0) !== key;
        } else if (op === 'delete') {
          assert.equal(index.delete(key), model.get(key) ?? -1);
          model.delete(key);
        } else {
          assert.equal(index.get(key), model.get(key) ?? -1);
        }
        // Narrow until an id outside int32 is stored; a get or delete of one does not widen it.
        assert.equal(index.narrow, !wideSeen);
      });
      assert.equal(index.size, model.size);
      for (const [k, v] of model) assert.equal(index.get(k), v);
    }),
    { numRuns: 300 },
  );
});
