import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fullGc, halfPeaks } from '../../scripts/bench/long-run.ts';

const series = (n: number, f: (x: number) => number) => {
  const x = Array.from({ length: n + 1 }, (_, i) => i / n);
  return [x, x.map(f)] as const;
};

test('a resident set that settles early and levels off shows no growth between the halves', () => {
  // Rises from 250 to 360 over the first fifth (collector and allocator settling), then flat with noise.
  const [x, rss] = series(200, (t) => (t < 0.2 ? 250 + 550 * t : 360) + (Math.round(t * 200) % 7));
  const [first, second] = halfPeaks(x, rss);
  assert.equal(first, 366);
  assert.equal(second, 366);
});

test('a leak shows as the second half peaking above the first', () => {
  // 300 MiB plus 60 MiB over the run: the first half peaks at 330, the second at 360.
  const [x, rss] = series(100, (t) => 300 + 60 * t);
  const [first, second] = halfPeaks(x, rss);
  assert.equal(first, 330);
  assert.equal(second, 360);
  assert.ok(second / first - 1 > 0.09);
});

test('the sample at exactly half the run belongs to the first half', () => {
  assert.deepEqual(halfPeaks([0, 0.5, 1], [1, 9, 2]), [9, 2]);
});

test('the full collection the live samples take frees a buffer nothing holds', () => {
  const gc = fullGc();
  gc();
  const before = process.memoryUsage().arrayBuffers;
  let buffer: Float64Array | undefined = new Float64Array(8 * 2 ** 20); // 64 MiB
  buffer[1] = 1;
  assert.ok(process.memoryUsage().arrayBuffers >= before + 60 * 2 ** 20, 'allocated');
  buffer = undefined;
  gc();
  assert.ok(process.memoryUsage().arrayBuffers < before + 4 * 2 ** 20, 'freed by the collection');
  assert.equal(buffer, undefined);
});
