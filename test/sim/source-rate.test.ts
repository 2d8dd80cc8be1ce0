/**
 * A source rate (`exec.rate`, `--rate`) on whole runs: below the store's capacity the
 * job runs at the rate, second by second, with no record late; far above it the run is
 * the closed-loop run, event for event, with nearly every record late; slots split the
 * rate; a sampled run refuses it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runConfig, type RunConfigInput } from '../../scripts/lib/config.ts';
import { simulate } from '../../scripts/lib/simulate.ts';
import { InputError } from '../../sim/errors.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const run = (c: RunConfigInput) => simulate(runConfig.parse(c), () => 0) as { summary: Record<string, any>; timeline: Record<string, number>[] };

const base: RunConfigInput = {
  workload: 'kv', workloadParams: { keys: 50_000, writeRatio: 0.2 },
  managedMemory: 16 * 2 ** 20, policy: 'file', cacheSize: 8 * 2 ** 20, dfs: 'hdfs', ops: 20_000, warmupOps: 5_000,
};

for (const mode of ['sync', 'async'] as const) {
  test(`source rate (${mode}): below capacity the job runs at the rate, every full second, with no record late`, () => {
    // Sync: one record offered per four times the slowest record of the closed loop, so
    // none waits for the one before. Async: a tenth of its closed-loop rate, so that far
    // fewer than maxInFlight records are ever in flight and the task thread takes each at once.
    const closed = run({ ...base, exec: { mode } }).summary;
    const rate = Math.round(mode === 'sync' ? 1e6 / (4 * closed.latencyUs.record.max) : closed.recordsPerSecond / 10);
    assert.ok(rate < closed.recordsPerSecond / 4);
    const { summary, timeline } = run({ ...base, exec: { mode, rate } });
    // Record n is offered at n / rate: the last of N ends just after (N - 1) / rate.
    assert.ok(Math.abs(summary.recordsPerSecond / rate - 1) < 0.01, `${summary.recordsPerSecond} records/s at rate ${rate}`);
    assert.deepEqual(summary.sourceRate, { recordsPerSecond: rate, lateShare: 0 });
    const full = timeline.slice(0, -1); // the last second is partial
    assert.ok(full.length >= 3);
    for (const row of full) assert.ok(Math.abs(row.records! - rate) <= 1, `second ${row.second}: ${row.records} records at rate ${rate}`);
  });

  test(`source rate (${mode}): far above capacity the run is the closed-loop one, every record but the first late`, () => {
    const closed = run({ ...base, exec: { mode } });
    const fast = run({ ...base, exec: { mode, rate: 1e12 } });
    const { sourceRate, ...rest } = fast.summary;
    assert.deepEqual(rest, closed.summary);
    assert.deepEqual(fast.timeline, closed.timeline);
    assert.equal(sourceRate.lateShare, Number(((closed.summary.records - 1) / closed.summary.records).toFixed(6)));
  });
}

test('source rate: two slots share the job\'s rate', () => {
  const closed = run({ ...base, slots: 2 }).summary;
  const rate = Math.round(closed.recordsPerSecond / 4);
  const { summary } = run({ ...base, slots: 2, exec: { mode: 'sync', rate } });
  assert.ok(Math.abs(summary.recordsPerSecond / rate - 1) < 0.01, `${summary.recordsPerSecond} records/s at rate ${rate}`);
});

test('source rate: a sampled run refuses it', () => {
  assert.throws(() => run({ ...base, sample: 0.5, exec: { mode: 'sync', rate: 1000 } }), InputError);
});
