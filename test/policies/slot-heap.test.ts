/** The indexed heap behind Belady and GDSF, against a plain model: the top is always the model's first. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { SlotHeap } from '../../policies/eviction/slot-heap.ts';

test('SlotHeap: after any pushes, removals and key changes the top is the first slot by the order', () => {
  const op = fc.oneof(
    fc.record({ kind: fc.constant('push' as const), key: fc.integer({ min: 0, max: 20 }) }),
    fc.record({ kind: fc.constant('remove' as const), pick: fc.nat() }),
    fc.record({ kind: fc.constant('update' as const), pick: fc.nat(), key: fc.integer({ min: 0, max: 20 }) }),
  );
  fc.assert(fc.property(fc.array(op, { maxLength: 3000 }), (ops) => {
    const key = new Float64Array(5000);
    // Smallest key first, the lower slot among equals: a strict total order.
    const heap = new SlotHeap((a, b) => key[a]! < key[b]! || (key[a] === key[b] && a < b));
    const held: number[] = [];
    let next = 0;
    for (const o of ops) {
      if (o.kind === 'push') {
        key[next] = o.key;
        heap.push(next);
        held.push(next++);
      } else if (held.length > 0) {
        const s = held[o.pick % held.length]!;
        if (o.kind === 'remove') {
          heap.remove(s);
          held.splice(held.indexOf(s), 1);
        } else {
          key[s] = o.key;
          heap.update(s);
        }
      }
      assert.equal(heap.size, held.length);
      if (held.length > 0) {
        const first = held.reduce((a, b) => (key[b]! < key[a]! || (key[b] === key[a] && b < a) ? b : a));
        assert.equal(heap.top(), first);
      }
    }
  }), { numRuns: 200 });
});
