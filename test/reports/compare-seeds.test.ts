/** `report --compare` across seeds: setups that differ only in the seed, a confidence interval of their ratio. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { comparePolicies } from '../../reports/compare.ts';
import { compareAcrossSeeds, seedlessName, seedsCsv, seedsVerdict, t975 } from '../../reports/compare-seeds.ts';
import { buildReport } from '../../reports/run-report.ts';
import type { TableRow } from '../../reports/table.ts';
import { Rng } from '../../sim/random.ts';
import { run } from './fixtures.ts';

function row(run: string, workload: string, policy: string, seed: number, opsPerSecond: number, getP99Us = 10): TableRow {
  return {
    run, workload, policy, placement: 'disaggregated', dfs: 's3', cacheSizeBytes: 2 ** 20, cacheShare: undefined, seed, opsPerSecond,
    getP50Us: undefined, getP99Us, memoryHitRatio: undefined, localDiskHitRatio: undefined, overallHitRatio: undefined,
    dfsReads: undefined, dfsCostUsd: undefined, cpuUsPerOp: undefined, checkpointP50Seconds: undefined,
    checkpointMaxSeconds: undefined, restoreSeconds: undefined, offeredRecordsPerSecond: undefined, lateShare: undefined, source: undefined,
  };
}

/** One setup of workload `w` on seeds 1..n: file at `file[i]`, block at 1, adaptive at `mine[i]` (get p99 `myP99[i]`, file's 10). */
function setup(w: string, file: number[], mine: number[], myP99: number[] = []): TableRow[] {
  return file.flatMap((f, i) => [
    row(`${w}-file-1MiB-s3-s${i + 1}`, w, 'file', i + 1, f),
    row(`${w}-block-1MiB-s3-s${i + 1}`, w, 'block', i + 1, 1),
    row(`${w}-adaptive-1MiB-s3-s${i + 1}`, w, 'adaptive', i + 1, mine[i]!, myP99[i] ?? 10),
  ]);
}

test('Student t quantiles: the printed table, and the large-sample limit', () => {
  // Values from any table of Student's t (two-sided 95%).
  assert.equal(t975(1), 12.706);
  assert.equal(t975(2), 4.303);
  assert.equal(t975(10), 2.228);
  assert.ok(Math.abs(t975(40) - 2.021) < 0.001 && Math.abs(t975(60) - 2.0) < 0.001 && Math.abs(t975(120) - 1.98) < 0.001, String(t975(40)));
  assert.ok(Math.abs(t975(1e6) - 1.96) < 0.001);
  assert.throws(() => t975(0), RangeError);
});

test('the seed token goes, the DFS named s3 and later axes stay', () => {
  assert.equal(seedlessName({ setup: 'nexmark-q18-10MiB-s3-s1', seed: 1 }), 'nexmark-q18-10MiB-s3');
  assert.equal(seedlessName({ setup: 'nexmark-q18-10MiB-s3-s3', seed: 3 }), 'nexmark-q18-10MiB-s3');
  assert.equal(seedlessName({ setup: 'phase-grow-19MiB-hdfs-s1-async', seed: 1 }), 'phase-grow-19MiB-hdfs-async');
  assert.equal(seedlessName({ setup: 'kv-1MiB-hdfs', seed: 1 }), undefined); // no seed in the name: not grouped
  assert.equal(seedlessName({ setup: 'kv-1MiB-s1', seed: undefined }), undefined);
});

test('a steady loss is below the bar, one unlucky seed is not, a steady win is above', () => {
  const rows = [
    ...setup('steady', [100, 100, 100], [88.6, 90.2, 90.0]),
    ...setup('unlucky', [100, 100, 100], [100, 88.0, 100]),
    ...setup('wins', [100, 100, 100], [120, 131, 125]),
    // One seed only: not a group.
    ...setup('single', [100], [50]),
  ];
  const c = comparePolicies(rows, { policy: 'adaptive', against: ['file', 'block'] });
  const groups = compareAcrossSeeds(c);
  assert.deepEqual(groups.map((g) => [g.setup, g.verdict]), [['steady-1MiB-s3', 'below'], ['unlucky-1MiB-s3', 'undecided'], ['wins-1MiB-s3', 'above']]);
  const steady = groups[0]!;
  assert.deepEqual(steady.seeds, [1, 2, 3]);
  assert.equal(steady.meets, 0);
  // By hand: logs of 0.886, 0.902, 0.900; mean −0.10985, sample sd 0.009756; ± 4.303 × sd / √3.
  assert.ok(Math.abs(steady.geomeanRatio - Math.cbrt(0.886 * 0.902 * 0.9)) < 1e-12);
  assert.ok(Math.abs(steady.ciLow - 0.8745) < 1e-4 && Math.abs(steady.ciHigh - 0.9180) < 1e-4, `${steady.ciLow} ${steady.ciHigh}`);
  assert.equal(groups[1]!.meets, 2);
  assert.match(seedsVerdict(c, groups), /3 setups: .* meets the bar in 2 \(least throughput ratio 0\.896\); .* below 0\.95 in 1, across it in 1, at or above it in 1$/);
  assert.equal(seedsCsv(groups).split('\n')[1], `steady-1MiB-s3,steady,s3,1048576,1 2 3,0.8860 0.9020 0.9000,${steady.geomeanRatio},${88.6 / 100},${steady.ciLow},${steady.ciHigh},0,below,1,0`);
});

test('taken over its seeds, a setup meets the bar when both geometric means do', () => {
  const rows = [
    // One seed at 0.88, two at 1: the geometric mean is 0.958 (0.88^(1/3)).
    ...setup('unlucky', [100, 100, 100], [100, 88, 100]),
    // Throughput 0.94 on every seed.
    ...setup('steady', [100, 100, 100], [94, 94, 94]),
    // Throughput fine, p99 1.2 × file's on two seeds and 1.0 on one: geometric mean 1.129.
    ...setup('slow-tail', [100, 100, 100], [100, 100, 100], [12, 12, 10]),
    // p99 1.2 × on one seed only: geometric mean 1.063.
    ...setup('one-tail', [100, 100, 100], [100, 100, 100], [12, 10, 10]),
  ];
  const c = comparePolicies(rows, { policy: 'adaptive', against: ['file', 'block'] });
  const by = new Map(compareAcrossSeeds(c).map((g) => [g.setup, g]));
  const unlucky = by.get('unlucky-1MiB-s3')!;
  assert.ok(Math.abs(unlucky.geomeanRatio - Math.cbrt(0.88)) < 1e-12);
  assert.equal(unlucky.meets, 2);
  assert.equal(unlucky.geomeanMeets, true);
  assert.equal(by.get('steady-1MiB-s3')!.geomeanMeets, false);
  const slow = by.get('slow-tail-1MiB-s3')!;
  assert.ok(Math.abs(slow.geomeanP99Ratio - Math.cbrt(1.2 * 1.2)) < 1e-12);
  assert.equal(slow.geomeanMeets, false);
  assert.equal(by.get('one-tail-1MiB-s3')!.geomeanMeets, true);
  assert.equal(by.get('one-tail-1MiB-s3')!.meets, 2);
});

test('the interval covers the true ratio in about 95% of repeated 3-seed experiments', () => {
  // Ratios drawn lognormal around a known geometric mean: the interval's coverage is
  // Student's t's promise, whatever the spread.
  const rng = Rng.stream(7, 'coverage');
  const trials = 4000;
  for (const sigma of [0.01, 0.2]) {
    let covered = 0;
    for (let t = 0; t < trials; t++) {
      const mine = [0, 1, 2].map(() => 93 * Math.exp(sigma * rng.normal()));
      const [g] = compareAcrossSeeds(comparePolicies(setup('w', [100, 100, 100], mine), { policy: 'adaptive', against: ['file', 'block'] }));
      if (g!.ciLow <= 0.93 && 0.93 <= g!.ciHigh) covered++;
    }
    // 95% ± 3 standard errors of a proportion over 4000 trials (±1.0%).
    assert.ok(Math.abs(covered / trials - 0.95) < 0.011, `sigma ${sigma}: ${covered / trials}`);
  }
});

test('the report writes compare-seeds.csv and the table in compare.md when setups have several seeds', async () => {
  const runs = [1, 2].flatMap((seed) => ['file', 'block', 'adaptive'].map((policy) =>
    run(`kv-${policy}-1GiB-hdfs-s${seed}`, { policy, seed, opsPerSecond: policy === 'adaptive' ? 27_000 : 30_000 })));
  const { files, verdict } = await buildReport(runs, [], { compare: { policy: 'adaptive', against: ['file', 'block'] } });
  assert.match(verdict!, /across seeds, 1 setups: .* below 0\.95 in 1/);
  assert.match(String(files.get('compare.md')), /adaptive across seeds[^\n]*\n[\s\S]*\| kv-1GiB-hdfs \| hdfs \| 1 GiB \| 1, 2 \| 0\.900, 0\.900 \| 0\.900 \| [^|]+ \| 1\.00 \| NO \| 0 of 2 \|/);
  assert.match(String(files.get('compare-seeds.csv')), /^setup,workload,dfs,cacheSizeBytes,seeds,ratios,geomeanRatio,leastRatio,ciLow,ciHigh,meets,verdict,geomeanP99Ratio,geomeanMeets\nkv-1GiB-hdfs,/);
  // One seed per setup: no such table or file.
  const one = await buildReport(runs.slice(0, 3), [], { compare: { policy: 'adaptive', against: ['file', 'block'] } });
  assert.equal(one.files.has('compare-seeds.csv'), false);
  assert.doesNotMatch(one.verdict!, /across seeds/);
});

test('tiersim run\'s directories (file-s1, adaptive-s2, …) are compared setup by setup and across seeds', async () => {
  // `tiersim run --policy file,block,adaptive --seed 1,2,3` names its runs by the listed values only.
  const ops: Record<string, number[]> = { file: [30_000, 30_000, 30_000], block: [10_000, 10_000, 10_000], adaptive: [33_000, 26_400, 33_000] };
  const runs = [1, 2, 3].flatMap((seed) => Object.entries(ops).map(([policy, o]) =>
    run(`${policy}-s${seed}`, { policy, seed, opsPerSecond: o[seed - 1] })));
  const { files, verdict } = await buildReport(runs, [], { compare: { policy: 'adaptive', against: ['file', 'block'] } });
  assert.match(verdict!, /^adaptive meets the bar in 2 of 3 setups \(least throughput ratio 0\.880\); across seeds, 1 setups: .* meets the bar in 1 \(least throughput ratio 1\.021\)/);
  assert.match(String(files.get('compare-seeds.csv')), /\nkv,kv,hdfs,1073741824,1 2 3,1\.1000 0\.8800 1\.1000,/);
});
