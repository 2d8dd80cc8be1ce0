import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LatencyHistogram } from '../../sim/metrics.ts';

// The CDF of known samples: 1..10000 µs once each, so the fraction at or below x is x/10000.
test('latency CDF points follow the empirical distribution of the samples', () => {
  const h = new LatencyHistogram();
  for (let us = 1; us <= 10_000; us++) h.record(us);
  const cdf = h.cdf();
  assert.ok(cdf.length >= 100, `only ${cdf.length} points`);
  for (const p of cdf) {
    const exact = p.fraction * 10_000; // the sample at this fraction
    // HdrHistogram with 3 significant digits: within 0.1% of the value (plus one step of 1 µs).
    assert.ok(Math.abs(p.latencyUs - exact) <= exact * 0.001 + 1, `fraction ${p.fraction}: ${p.latencyUs} vs ${exact}`);
  }
  for (let i = 1; i < cdf.length; i++) {
    assert.ok(cdf[i]!.fraction > cdf[i - 1]!.fraction && cdf[i]!.latencyUs > cdf[i - 1]!.latencyUs, 'strictly increasing');
  }
  assert.equal(cdf.at(-1)!.fraction, 1);
  assert.ok(Math.abs(cdf.at(-1)!.latencyUs - 10_000) <= 10);
  // The tail is resolved finer than percents.
  assert.ok(cdf.filter((p) => p.fraction > 0.99 && p.fraction < 1).length >= 8);
});

test('a point mass gives one CDF point at fraction 1', () => {
  const h = new LatencyHistogram();
  for (let i = 0; i < 1000; i++) h.record(42);
  const cdf = h.cdf();
  assert.equal(cdf.length, 1);
  assert.equal(cdf[0]!.fraction, 1);
  assert.ok(Math.abs(cdf[0]!.latencyUs - 42) < 0.05);
  assert.deepEqual(new LatencyHistogram().cdf(), []);
});

// hdr-histogram-js is the reference: the same layout must give the same answers.
test('the histogram answers as HdrHistogram does (hdr-histogram-js, 3 digits, 1 ns .. 10^13 ns)', async () => {
  const hdr = await import('hdr-histogram-js');
  const { Rng } = await import('../../sim/random.ts');
  const rng = Rng.stream(7, 'histogram-test');
  for (const spread of [1, 100, 1e4, 1e7]) {
    const ours = new LatencyHistogram();
    const other = new LatencyHistogram();
    const ref = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 1e13, numberOfSignificantValueDigits: 3, bitBucketSize: 32, useWebAssembly: false });
    for (let i = 0; i < 20_000; i++) {
      // Log-spread latencies with fractions of a ns, exact powers of two and bucket edges among them.
      // Every 97th an exact power of two (±1 ns), where bucket edges lie.
      const us = i % 97 === 0 ? (2 ** (i % 43) + ((i % 3) - 1)) / 1000 : Math.exp(rng.normal() * 2) * spread * rng.next();
      (i % 3 === 0 ? other : ours).record(us);
      const ns = Math.round(us * 1000);
      ref.recordValue(ns < 1 ? 1 : ns);
    }
    ours.add(other);
    assert.equal(ours.count, ref.totalCount);
    assert.equal(ours.max, ref.maxValue / 1000);
    for (const p of [0, 1, 10, 25, 50, 75, 90, 99, 99.5, 99.9, 99.99, 99.999, 100]) {
      assert.equal(ours.percentile(p), ref.getValueAtPercentile(p) / 1000, `spread ${spread}, p${p}`);
    }
  }
});

test('a histogram reset and reused (as a timeline does every second) answers as a fresh HdrHistogram', async () => {
  const hdr = await import('hdr-histogram-js');
  const { Rng } = await import('../../sim/random.ts');
  const rng = Rng.stream(11, 'histogram-reuse-test');
  const ours = new LatencyHistogram();
  const merged = new LatencyHistogram();
  // Each round's latencies lie in another range: below, above, around the last one's.
  for (const spread of [1e4, 1, 1e7, 100, 1e4]) {
    ours.reset();
    merged.reset();
    const ref = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 1e13, numberOfSignificantValueDigits: 3, bitBucketSize: 32, useWebAssembly: false });
    for (let i = 0; i < 3_000; i++) {
      const us = Math.exp(rng.normal()) * spread * rng.next();
      ours.record(us);
      const ns = Math.round(us * 1000);
      ref.recordValue(ns < 1 ? 1 : ns);
    }
    merged.add(ours);
    for (const h of [ours, merged]) {
      assert.equal(h.count, ref.totalCount);
      for (const p of [0, 1, 50, 90, 99, 99.9, 100]) {
        assert.equal(h.percentile(p), ref.getValueAtPercentile(p) / 1000, `spread ${spread}, p${p}`);
      }
    }
  }
});

test('latencies past the range are refused', () => {
  assert.throws(() => new LatencyHistogram().record(2e10), /outside the histogram's range/);
});
