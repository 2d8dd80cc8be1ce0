import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LatencyHistogram, Timeline } from '../../sim/metrics.ts';

// Per-second p50/p99 of two interleaved series against one histogram per second built apart.
test('timeline latency percentiles per second equal histograms built per second, closed seconds included', () => {
  const t = new Timeline();
  const ref = new Map<string, LatencyHistogram>();
  let x = 12345;
  for (let i = 0; i < 20_000; i++) {
    const time = i * 500; // 20,000 samples over 10 simulated seconds
    const series = i % 3 === 0 ? 'get' : 'op';
    x = (x * 1103515245 + 12345) % 2 ** 31;
    const us = 1 + (x % 5000) * (i % 7 === 0 ? 10 : 1);
    t.latency(series, time, us);
    const k = `${series}/${Math.floor(time / 1e6)}`;
    if (!ref.has(k)) ref.set(k, new LatencyHistogram());
    ref.get(k)!.record(us);
  }
  const rows = t.rows();
  assert.equal(rows.length, 10);
  for (const row of rows) {
    for (const series of ['get', 'op']) {
      const h = ref.get(`${series}/${row.second}`)!;
      assert.equal(row[`${series}P50Us`], h.percentile(50));
      assert.equal(row[`${series}P99Us`], h.percentile(99));
    }
  }
  assert.throws(() => t.latency('get', 0, 1), /after second/);
});

test('startAt drops sums and latencies of the load but a gauge keeps its level until set again', () => {
  const t = new Timeline();
  t.set('bytes', 0.5e6, 10);
  t.set('bytes', 3.2e6, 70); // the level when the measured run starts
  t.set('unset', 4e6, 5);
  t.add('reads', 3e6, 4);
  t.latency('get', 3e6, 100);
  t.startAt(5e6);
  t.add('reads', 5.1e6, 1);
  t.add('reads', 7.5e6, 2);
  t.set('unset', 6.4e6, 9);
  assert.deepEqual(t.rows(), [
    { second: 0, reads: 1, bytes: 70, unset: 5 },
    { second: 1, reads: 0, bytes: 70, unset: 9 },
    { second: 2, reads: 2, bytes: 70, unset: 9 },
  ]);
  // A gauge set in the first second replaces the carried level there.
  const u = new Timeline();
  u.set('bytes', 1e6, 3);
  u.startAt(2e6);
  u.set('bytes', 2.5e6, 8);
  assert.deepEqual(u.rows(), [{ second: 0, bytes: 8 }]);
});
