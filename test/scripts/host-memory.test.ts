import { test } from 'node:test';
import assert from 'node:assert/strict';
import { memoryLatencyNs, randomCycle } from '../../scripts/bench/host-memory.ts';

test('the chase visits every slot once before it returns to the start', () => {
  for (const n of [2, 3, 10, 1000, 65_536]) {
    const next = randomCycle(n, n);
    const seen = new Uint8Array(n);
    let j = 0;
    for (let k = 0; k < n; k++) {
      assert.equal(seen[j], 0, `n=${n}: slot ${j} visited twice`);
      seen[j] = 1;
      j = next[j]!;
    }
    assert.equal(j, 0, `n=${n}: back at the start after n reads`);
  }
});

test('different seeds give different cycles', () => {
  assert.notDeepEqual(randomCycle(1000, 1), randomCycle(1000, 2));
});

test('a dependent read takes a positive, finite time', () => {
  const ns = memoryLatencyNs(64 * 1024, 200_000, 1);
  assert.ok(ns > 0 && Number.isFinite(ns), `${ns} ns`);
});
