/** `report --compare`: a policy against the best of others, setup by setup, on hand-made rows. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from '../../sim/errors.ts';
import { compareByWorkload, compareCsv, compareDisplay, comparePolicies, compareRatioChart, compareVerdict, setupName } from '../../reports/compare.ts';
import { compileSpec } from '../../reports/render.ts';
import type { TableRow } from '../../reports/table.ts';

function row(run: string, workload: string, policy: string, opsPerSecond: number, getP99Us?: number, dfsReads?: number): TableRow {
  return {
    run, workload, policy, placement: 'disaggregated', dfs: 'hdfs', cacheSizeBytes: 2 ** 20, cacheShare: undefined, seed: 1, opsPerSecond,
    getP50Us: undefined, getP99Us, memoryHitRatio: undefined, localDiskHitRatio: undefined, overallHitRatio: undefined,
    dfsReads, dfsCostUsd: undefined, cpuUsPerOp: undefined, checkpointP50Seconds: undefined,
    checkpointMaxSeconds: undefined, restoreSeconds: undefined, offeredRecordsPerSecond: undefined, lateShare: undefined, source: undefined,
  };
}

test('setupName takes the policy out of a sweep cell name, not out of the workload', () => {
  assert.equal(setupName({ run: 'ycsb-a-file-10MiB-hdfs-s1', policy: 'file', workload: 'ycsb-a' }), 'ycsb-a-10MiB-hdfs-s1');
  // A workload whose name holds the policy's: only the token after the workload goes.
  assert.equal(setupName({ run: 'block-kv-block-1MiB-s3-s2', policy: 'block', workload: 'block-kv' }), 'block-kv-1MiB-s3-s2');
  assert.equal(setupName({ run: 'phase-grow-adaptive-19MiB-hdfs-s1-async', policy: 'adaptive', workload: 'phase-grow' }), 'phase-grow-19MiB-hdfs-s1-async');
  // Not a token (adaptive2 is another label): the name is kept whole.
  assert.equal(setupName({ run: 'kv-adaptive2-1MiB', policy: 'adaptive', workload: 'kv' }), 'kv-adaptive2-1MiB (adaptive)');
});

test('setupName on tiersim run\'s directories: the policy first, the workload not in the name', () => {
  assert.equal(setupName({ run: 'file-40pct-s3', policy: 'file', workload: 'ycsb-b' }), 'ycsb-b-40pct-s3');
  assert.equal(setupName({ run: 'adaptive-s1', policy: 'adaptive', workload: 'kv' }), 'kv-s1');
  assert.equal(setupName({ run: 'block', policy: 'block', workload: 'kv' }), 'kv');
  // The policy's name inside another token is not the policy.
  assert.equal(setupName({ run: 'blocky-s1', policy: 'block', workload: 'kv' }), 'blocky-s1 (block)');
});

test('each setup is held against its best baseline: throughput ratio, p99 ratio, the bar', () => {
  const rows = [
    row('a-file-1MiB-hdfs-s1', 'a', 'file', 1000, 100),
    row('a-block-1MiB-hdfs-s1', 'a', 'block', 800, 50),
    row('a-adaptive-1MiB-hdfs-s1', 'a', 'adaptive', 960, 105), // 0.96 of file, p99 1.05 of file's: meets
    row('b-file-1MiB-hdfs-s1', 'b', 'file', 500, 100),
    row('b-block-1MiB-hdfs-s1', 'b', 'block', 2000, 100, 1234),
    row('b-adaptive-1MiB-hdfs-s1', 'b', 'adaptive', 1800, 100, 56), // 0.9 of block: misses
    row('c-file-1MiB-hdfs-s1', 'c', 'file', 100, 10),
    row('c-block-1MiB-hdfs-s1', 'c', 'block', 90, 10),
    row('c-adaptive-1MiB-hdfs-s1', 'c', 'adaptive', 200, 12), // twice file's throughput, but p99 1.2: misses
    row('d-file-1MiB-hdfs-s1', 'd', 'file', 100, 10), // no adaptive run: incomplete
    row('a-none-hdfs-s1', 'a', 'none', 10, 1000), // not named: ignored
  ];
  const c = comparePolicies(rows, { policy: 'adaptive', against: ['file', 'block'] });
  assert.deepEqual(c.incomplete, ['d-1MiB-hdfs-s1']);
  const by = new Map(c.rows.map((r) => [r.setup, r]));
  const a = by.get('a-1MiB-hdfs-s1')!;
  assert.equal(a.best, 'file');
  assert.ok(Math.abs(a.throughputRatio - 0.96) < 1e-12 && Math.abs(a.p99Ratio - 1.05) < 1e-12 && a.meets);
  assert.equal(a.versus, 'file=0.960 block=1.200');
  const b = by.get('b-1MiB-hdfs-s1')!;
  assert.equal(b.best, 'block');
  assert.ok(Math.abs(b.throughputRatio - 0.9) < 1e-12 && !b.meets);
  // Beside the ratio, the DFS reads it turned on: the policy's, then the best baseline's.
  assert.equal(b.dfsReads, 56);
  assert.equal(b.bestDfsReads, 1234);
  const display = compareDisplay(c);
  const readsAt = display.columns.findIndex((col) => col.label === 'DFS reads');
  assert.equal(display.rows[0]![0], 'b-1MiB-hdfs-s1'); // setups that miss come first
  assert.equal(display.rows[0]![readsAt], '56 / 1,234');
  assert.equal(display.rows.find((r) => r[0] === 'a-1MiB-hdfs-s1')![readsAt], '— / —');
  const cc = by.get('c-1MiB-hdfs-s1')!;
  assert.ok(cc.throughputRatio === 2 && !cc.meets);
  assert.match(compareVerdict(c), /meets the bar in 1 of 3 setups \(least throughput ratio 0\.900\); 1 setups lack a policy/);
  // A looser bar lets b and c through.
  assert.equal(comparePolicies(rows, { policy: 'adaptive', against: ['file', 'block'], minRatio: 0.9, maxP99Ratio: 1.2 }).rows.filter((r) => r.meets).length, 3);
  const all = compareByWorkload(c).rows.at(-1)!;
  assert.deepEqual(all.slice(0, 4), ['all', '3', '1', '0.900']);
  assert.equal(all[4], Math.cbrt(0.96 * 0.9 * 2).toFixed(3));
  assert.equal(compareCsv(c).split('\n')[0], 'setup,workload,dfs,cacheSizeBytes,seed,opsPerSecond,getP99Us,best,bestOpsPerSecond,bestGetP99Us,dfsReads,bestDfsReads,throughputRatio,p99Ratio,versus,meets');
});

test('bad comparisons are InputErrors naming what is missing', () => {
  const rows = [row('a-file-1MiB', 'a', 'file', 1), row('a-block-1MiB', 'a', 'block', 1)];
  assert.throws(() => comparePolicies(rows, { policy: 'adaptive', against: ['file'] }), (e: Error) => e instanceof InputError && /no run of policy 'adaptive' \(the runs have: block, file\)/.test(e.message));
  assert.throws(() => comparePolicies(rows, { policy: 'file', against: [] }), InputError);
  assert.throws(() => comparePolicies(rows, { policy: 'file', against: ['file', 'block'] }), /with itself/);
});

test('sizes given as shares of the state: the chart lines workloads up by share, the table says so', () => {
  // Workload a's state is 100 MiB, b's 200 MiB: 10% is 10 MiB for one and 20 MiB for the other.
  const MiB = 2 ** 20;
  const sized = (r: TableRow, bytes: number, share: number): TableRow => ({ ...r, cacheSizeBytes: bytes, cacheShare: share });
  const rows = [
    sized(row('a-file-10MiB-hdfs-s1', 'a', 'file', 1000), 10 * MiB, 0.1),
    sized(row('a-block-10MiB-hdfs-s1', 'a', 'block', 800), 10 * MiB, 0.1),
    sized(row('a-adaptive-10MiB-hdfs-s1', 'a', 'adaptive', 1100), 10 * MiB, 0.1),
    sized(row('b-file-20MiB-hdfs-s1', 'b', 'file', 500), 20 * MiB, 0.1),
    sized(row('b-block-20MiB-hdfs-s1', 'b', 'block', 600), 20 * MiB, 0.1),
    sized(row('b-adaptive-20MiB-hdfs-s1', 'b', 'adaptive', 660), 20 * MiB, 0.1),
  ];
  const c = comparePolicies(rows, { policy: 'adaptive', against: ['file', 'block'] });
  const chart = compareRatioChart(c) as { spec: Record<string, any> };
  const values = chart.spec.data.values as Record<string, number | string>[];
  assert.deepEqual(values.map((v) => [v.workload, v.cacheSharePercent]), [['a', 10], ['b', 10]]);
  const x = chart.spec.spec.layer[0].encoding.x;
  assert.equal(x.field, 'cacheSharePercent');
  assert.match(x.title, /% of the state/);
  assert.deepEqual(compileSpec(chart.spec as never).warnings, []);
  // Sizes in bytes (no share) keep the MiB axis.
  const plain = compareRatioChart(comparePolicies(rows.map((r) => ({ ...r, cacheShare: undefined })), { policy: 'adaptive', against: ['file', 'block'] })) as { spec: Record<string, any> };
  assert.equal(plain.spec.spec.layer[0].encoding.x.field, 'cacheSizeMiB');
  const table = compareDisplay(c);
  assert.ok(table.rows.some((r) => r.includes('10 MiB (10% of state)')), JSON.stringify(table.rows));
});
