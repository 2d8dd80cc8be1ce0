/** The replay's trace clock against cachesim's loop (bin/cachesim/sim.c), request by request. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ReplayClock } from '../../scripts/lib/replay-clock.ts';

/** cachesim's simulate(): for each request, warmed or counted, and whether a report follows it. */
function reference(times: number[], warmup: number, interval: number | undefined) {
  const start = times[0]!;
  let lastReport = warmup;
  return times.map((time) => {
    const t = time - start;
    if (t <= warmup) return { counted: false, report: false };
    const report = interval !== undefined && t - lastReport >= interval && t !== 0;
    if (report) lastReport = t;
    return { counted: true, report };
  });
}

test('segments reproduce cachesim\'s warm-up and reports, across any batching (property)', () => {
  fc.assert(fc.property(
    fc.array(fc.nat(5), { minLength: 1, maxLength: 200 }), // time steps (trace time never goes back here)
    fc.integer({ min: -1, max: 20 }), // -1: no warm-up, cachesim's default
    fc.option(fc.integer({ min: 1, max: 15 }), { nil: undefined }),
    fc.integer({ min: 1, max: 50 }),
    fc.nat(1000),
    (steps, warmup, interval, batchSize, t0) => {
      const times: number[] = [];
      steps.reduce((t, d) => { times.push(t + d); return t + d; }, t0);
      const want = reference(times, warmup, interval);
      const clock = new ReplayClock(warmup, interval);
      const got: { counted: boolean; report: boolean }[] = [];
      for (let b = 0; b < times.length; b += batchSize) {
        const batch = Float64Array.from(times.slice(b, b + batchSize));
        clock.cut(batch, batch.length);
        let covered = 0;
        for (let k = 0; k < clock.segments; k++) {
          assert.equal(clock.start[k], covered, 'segments tile the batch');
          for (let i = clock.start[k]!; i < clock.end[k]!; i++) {
            got.push({ counted: clock.counted[k] === 1, report: i === clock.end[k]! - 1 && clock.report[k] === 1 });
          }
          if (clock.report[k]) assert.equal(clock.reportTime[k], times[b + clock.end[k]! - 1]! - times[0]!);
          covered = clock.end[k]!;
        }
        assert.equal(covered, batch.length);
      }
      assert.deepEqual(got, want);
    },
  ), { numRuns: 300 });
});
