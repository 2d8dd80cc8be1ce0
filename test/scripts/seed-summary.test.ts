/** `tiersim run --seed 1,2,3`: each setup over its seeds, and its ratio over the first policy, paired by seed. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatSeedLines, summarizeSeeds, type SeedSample } from '../../scripts/lib/seed-summary.ts';

const sample = (group: string, baseline: string | undefined, seed: number, opsPerSecond: number): SeedSample => ({ group, baseline, seed, opsPerSecond });

test('a policy that is 10% faster on every seed: the pairs say 1.1 exactly, however far the seeds spread', () => {
  const lines = summarizeSeeds([
    sample('file', undefined, 1, 100), sample('file', undefined, 2, 300), sample('file', undefined, 3, 200),
    sample('adaptive', 'file', 1, 110), sample('adaptive', 'file', 2, 330), sample('adaptive', 'file', 3, 220),
  ]);
  assert.deepEqual(lines.map((l) => l.group), ['file', 'adaptive']);
  const [file, adaptive] = lines as [typeof lines[0], typeof lines[0]];
  assert.equal(file.versus, undefined);
  assert.ok(Math.abs(file.opsPerSecond.geomean - Math.cbrt(100 * 300 * 200)) < 1e-9);
  // Unpaired, the seeds' spread makes the interval wide; paired, it is gone.
  assert.ok(file.opsPerSecond.low < 60 && file.opsPerSecond.high > 500, JSON.stringify(file.opsPerSecond));
  const r = adaptive.versus!.ratio;
  assert.equal(adaptive.versus!.baseline, 'file');
  assert.ok(Math.abs(r.geomean - 1.1) < 1e-12 && Math.abs(r.low - 1.1) < 1e-12 && Math.abs(r.high - 1.1) < 1e-12, JSON.stringify(r));
  assert.deepEqual(formatSeedLines(lines, [1, 2, 3]), [
    'over seeds 1, 2, 3 (geometric mean, 95% interval):',
    `${'file'.padEnd(12)} ${Math.cbrt(6e6).toFixed(0).padStart(7)} ops/s (${file.opsPerSecond.low.toFixed(0)}–${file.opsPerSecond.high.toFixed(0)})`,
    `${'adaptive'.padEnd(12)} ${(1.1 * Math.cbrt(6e6)).toFixed(0).padStart(7)} ops/s (${adaptive.opsPerSecond.low.toFixed(0)}–${adaptive.opsPerSecond.high.toFixed(0)})  1.100× file (1.100–1.100)`,
  ]);
});

test('one seed makes no line; a baseline missing a seed gives no ratio', () => {
  const lines = summarizeSeeds([
    sample('file 1MiB', undefined, 1, 100), sample('file 2MiB', undefined, 1, 100), sample('file 2MiB', undefined, 2, 120),
    sample('block 1MiB', 'file 1MiB', 1, 90), sample('block 1MiB', 'file 1MiB', 2, 95),
  ]);
  assert.deepEqual(lines.map((l) => [l.group, l.versus === undefined]), [['file 2MiB', true], ['block 1MiB', true]]);
  assert.deepEqual(formatSeedLines([], [1, 2]), []);
});
