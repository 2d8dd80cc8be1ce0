/** `tiersim bench --repeat`: figures of several runs of a section, by name, on hand-made figures. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { atLeast, atMost, info, medianOfRuns, meetsTarget } from '../../scripts/bench/figure.ts';

test('a target is met at its bound and not past it; no target is always met', () => {
  assert.equal(meetsTarget('>= 1.8', 1.8), true);
  assert.equal(meetsTarget('>= 1.8', 1.79), false);
  assert.equal(meetsTarget('<= 40', 40), true);
  assert.equal(meetsTarget('<= 40', 40.5), false);
  assert.equal(meetsTarget('>= 1000000', 999_999), false);
  assert.equal(meetsTarget('', -1), true);
});

test('several runs: each figure is the median of its runs, held against its target, with every value kept', () => {
  const run = (speedUp: number, perKey: number, rate: number) => [
    atLeast('sweep speed-up', speedUp, 'x', 1.8, 3),
    atMost('bytes per key', perKey, 'bytes', 40),
    info('cells per second', rate, 'cells/s', 3),
  ];
  // Speed-ups 1.76, 2.06, 1.77: two runs miss the bar, the median (1.77) misses it.
  const three = medianOfRuns([run(1.76, 33.5, 0.86), run(2.06, 33.5, 0.91), run(1.77, 33.6, 0.84)]);
  assert.deepEqual(three.map((f) => f.name), ['sweep speed-up', 'bytes per key', 'cells per second']);
  assert.equal(three[0]!.value, 1.77);
  assert.equal(three[0]!.meets, false);
  assert.deepEqual(three[0]!.runs, [1.76, 2.06, 1.77]);
  assert.equal(three[1]!.value, 33.5);
  assert.equal(three[1]!.meets, true);
  assert.equal(three[2]!.target, '');
  // Two runs: the median is their mean, and 1.79 and 1.83 make 1.81, which meets 1.8.
  const two = medianOfRuns([run(1.79, 41, 1), run(1.83, 39, 1)]);
  assert.equal(two[0]!.value, 1.81);
  assert.ok(two[0]!.meets);
  assert.equal(two[1]!.value, 40, 'bytes per key: 40 is within <= 40');
  assert.ok(two[1]!.meets);
  // A mean keeps the figure's own decimals: 1.01 and 1.02 at two give 1.02, not 1.0150000000000001.
  const halves = medianOfRuns([[info('ratio', 1.01, 'x', 2)], [info('ratio', 1.02, 'x', 2)]]);
  assert.equal(halves[0]!.value, 1.02);
  assert.equal(String(medianOfRuns([[info('ops', 46708, 'ops/s', 0)], [info('ops', 52661, 'ops/s', 0)]])[0]!.value), '49685');
  // One run comes back as it is: no runs list.
  const one = run(1.9, 30, 1);
  assert.equal(medianOfRuns([one]), one);
  // A figure only some runs print is the median of those.
  const partial = medianOfRuns([[info('a', 1, 'x')], [info('a', 3, 'x'), info('b', 7, 'x')]]);
  assert.deepEqual(partial.map((f) => [f.name, f.value, f.runs]), [['a', 2, [1, 3]], ['b', 7, [7]]]);
});

test('several runs: a name printed more than once in a run pairs by occurrence, in the order first printed', () => {
  const run = (c: number, loadC: number, a: number, loadA: number) => [
    info('YCSB-C', c, 'ops/s', 0), info('  load', loadC, 'CPU s', 1), info('YCSB-A', a, 'ops/s', 0), info('  load', loadA, 'CPU s', 1),
  ];
  const merged = medianOfRuns([run(260, 8.4, 370, 9.6), run(290, 8.7, 440, 9.1), run(267, 9.6, 416, 8.5)]);
  assert.deepEqual(merged.map((f) => [f.name, f.value]), [['YCSB-C', 267], ['  load', 8.7], ['YCSB-A', 416], ['  load', 9.1]]);
  assert.deepEqual(merged[3]!.runs, [9.6, 9.1, 8.5]);
});
