/**
 * `tiersim bench --baseline FILE`: each figure against an earlier run's, by hand-made
 * baselines whose verdicts are known: a figure with a target regresses only when all
 * its runs are worse than all the baseline's, in the direction its target calls worse.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { againstColumn, compareToBaseline, readBaseline } from '../../scripts/bench/baseline.ts';
import { atLeast, atMost, info, type Figure } from '../../scripts/bench/figure.ts';
import { InputError } from '../../sim/errors.ts';
import { tiersim } from '../reports/fixtures.ts';
import { tempDir } from '../temp-dir.ts';

const withRuns = (f: Figure, runs: number[]): Figure => ({ ...f, runs });

test('a figure regresses when all its runs lie beyond the baseline\'s the wrong way for its target, and only then', () => {
  const baseline = [
    withRuns(atLeast('speed', 100, 'ops/s', 90), [95, 100, 110]),
    withRuns(atMost('bytes', 30, 'B', 40), [29, 30, 31]),
    info('load', 5, 's'),
  ];
  const cases: [Figure[], ('below' | 'within' | 'above')[], boolean[]][] = [
    [[atLeast('speed', 94, 'ops/s', 90), atMost('bytes', 31.5, 'B', 40), info('load', 9, 's')], ['below', 'above', 'above'], [true, true, false]],
    [[atLeast('speed', 111, 'ops/s', 90), atMost('bytes', 28, 'B', 40), info('load', 1, 's')], ['above', 'below', 'below'], [false, false, false]],
    [[atLeast('speed', 95, 'ops/s', 90), atMost('bytes', 31, 'B', 40), info('load', 5, 's')], ['within', 'within', 'within'], [false, false, false]],
  ];
  for (const [now, places, regressed] of cases) {
    const against = compareToBaseline(now, baseline);
    assert.deepEqual(against.map((a) => a!.place), places);
    assert.deepEqual(against.map((a) => a!.regressed), regressed);
  }
  // A median out of the range whose runs still overlap it has not regressed.
  const overlapping = compareToBaseline([withRuns(atLeast('speed', 94, 'ops/s', 90), [90, 94, 96]), withRuns(atMost('bytes', 32, 'B', 40), [30.5, 32, 33])], baseline);
  assert.deepEqual(overlapping.map((x) => [x!.place, x!.regressed]), [['below', false], ['above', false]]);
  assert.equal(againstColumn(overlapping[0]), '  was 100 -6.0%  below its range');
  const a = compareToBaseline([atLeast('speed', 80, 'ops/s', 90)], baseline)[0]!;
  assert.ok(Math.abs(a.change + 0.2) < 1e-12);
  assert.equal(againstColumn(a), '  was 100 -20.0%  REGRESSED');
  assert.equal(againstColumn(compareToBaseline([info('load', 6, 's')], baseline)[0]), '  was 5 +20.0%  above its range');
  assert.equal(againstColumn(undefined), '  (not in the baseline)');
});

test('figures that share a name are matched in order, and one the baseline lacks has no comparison', () => {
  const baseline = [info('C', 10, 'ops/s'), info('  load', 1, 's'), info('A', 20, 'ops/s'), info('  load', 2, 's')];
  const now = [info('C', 10, 'ops/s'), info('  load', 1, 's'), info('A', 20, 'ops/s'), info('  load', 3, 's'), info('E', 1, 'ops/s')];
  const against = compareToBaseline(now, baseline);
  assert.deepEqual(against.slice(0, 4).map((a) => a!.was.value), [10, 1, 20, 2]);
  assert.equal(against[3]!.change, 0.5);
  assert.equal(against[4], undefined);
});

test('a baseline that is not a bench.json is an input error', () => {
  const dir = tempDir('bench-baseline');
  const bad = join(dir, 'bad.json');
  writeFileSync(bad, JSON.stringify({ rows: [] }));
  assert.throws(() => readBaseline(bad), (e: unknown) => e instanceof InputError && /not a bench.json/.test(e.message));
  assert.throws(() => readBaseline(join(dir, 'missing.json')), (e: unknown) => e instanceof InputError && /cannot read/.test(e.message));
});

test('bench --baseline prints the change and flags the regression, and bench.json lists it', () => {
  const dir = tempDir('bench-baseline');
  // The quick memory section's one figure (35.28 bytes a live entry), once under a
  // baseline that had it at 30 (29-31): above that range, the wrong way for '<= 40'.
  const name = 'SST metadata per live entry (2,000,000 keys, 31 files)';
  const baseline = join(dir, 'old.json');
  writeFileSync(baseline, JSON.stringify({ figures: [{ name, value: 30, unit: 'bytes', target: '<= 40', meets: true, runs: [29, 30, 31] }] }));
  const r = tiersim('bench', '--quick', '--only', 'memory', '--baseline', baseline, '--out', dir);
  assert.equal(r.status, 0, r.stderr);
  const line = r.stdout.split('\n').find((l) => l.startsWith(name))!;
  assert.match(line, /was 30 \+17\.6%  REGRESSED$/);
  assert.match(r.stdout, /against the baseline: 1 of 1 figures compared; regressed: SST metadata/);
  const written = JSON.parse(readFileSync(join(dir, 'bench.json'), 'utf8'));
  assert.deepEqual(written.baseline, { path: baseline, compared: 1, regressed: [name] });
  // That run's --out directory as the next one's baseline: the same figure, unchanged.
  const again = tiersim('bench', '--quick', '--only', 'memory', '--baseline', dir);
  assert.equal(again.status, 0, again.stderr);
  assert.match(again.stdout, new RegExp(`against ${join(dir, 'bench.json')}, measured on `));
  assert.match(again.stdout.split('\n').find((l) => l.startsWith(name))!, /was 35\.28 \+0\.0%$/);
});
