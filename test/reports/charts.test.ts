/** Vega-Lite spec builders: marks, encodings, units, and one colour per policy in every chart. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  MAX_ADAPTIVE_RUNS, MIB, POLICY_COLORS, adaptiveOverTimeSpec, cdfFromSummary, colorEncoding, dfsBarsSpec, hitRatioOverTimeSpec, latencyCdfSpec, latencyOverTimeSpec,
  lifecycleBarsSpec, missRatioCurveSpec, policyColor, reportCharts, throughputVsCacheSizeSpec, wrapLines,
} from '../../reports/charts.ts';
import { compileSpec } from '../../reports/render.ts';
import { checked, replayRows, run, timeline } from './fixtures.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/** Every object in a spec that has `key`. */
function findAll(spec: Json, key: string, out: Json[] = []): Json[] {
  if (Array.isArray(spec)) spec.forEach((v) => findAll(v, key, out));
  else if (spec && typeof spec === 'object') {
    if (key in spec) out.push(spec[key]);
    Object.values(spec).forEach((v) => findAll(v, key, out));
  }
  return out;
}

/** policy → colour from every colour channel of a spec. */
function colours(spec: Json): Map<string, string> {
  const map = new Map<string, string>();
  for (const c of findAll(spec, 'color')) {
    if (!c || typeof c !== 'object' || c.field !== 'policy') continue;
    c.scale.domain.forEach((p: string, i: number) => {
      const prev = map.get(p);
      assert.ok(prev === undefined || prev === c.scale.range[i], `${p} has two colours in one chart`);
      map.set(p, c.scale.range[i]);
    });
  }
  return map;
}

const marks = (spec: Json) => findAll(spec, 'mark').map((m) => (typeof m === 'string' ? m : m.type));

test('palette: fixed colours for known policies (any case), distinct, stable hashed colours for others', () => {
  assert.equal(policyColor('file'), POLICY_COLORS.file);
  assert.equal(policyColor('LRU'), POLICY_COLORS.lru);
  const fixed = Object.values(POLICY_COLORS);
  assert.equal(new Set(fixed).size, fixed.length, 'two policies share a colour');
  const unknown = policyColor('my-policy');
  assert.equal(policyColor('my-policy'), unknown);
  assert.ok(!fixed.includes(unknown));
  const enc = colorEncoding(['zeta', 'block', 'none', 'local', 'file', 'block']);
  assert.deepEqual(enc.scale.domain, ['local', 'none', 'file', 'block', 'zeta']);
  assert.deepEqual(enc.scale.range, enc.scale.domain.map(policyColor));
});

test('one colour per policy: the same policy has the same colour in different charts', () => {
  const a = latencyCdfSpec([
    { policy: 'block', points: [{ latencyUs: 5, fraction: 0.5 }] },
    { policy: 'none', points: [{ latencyUs: 9, fraction: 0.5 }] },
  ]);
  const b = dfsBarsSpec([
    { run: 'x', policy: 'file', reads: 1, costUsd: 0 },
    { run: 'y', policy: 'block', reads: 2, costUsd: 0 },
    { run: 'z', policy: 'local', reads: 0, costUsd: 0 },
  ]);
  const ca = colours(a);
  const cb = colours(b);
  assert.equal(ca.get('block'), cb.get('block'));
  assert.equal(ca.get('block'), POLICY_COLORS.block);
  assert.notEqual(cb.get('file'), cb.get('block'));
  // Across every chart of one report as well.
  const runs = [run('a', { policy: 'file' }), run('b', { policy: 'block', cacheSizeBytes: 2 ** 27 }), run('c', { policy: 'block', cacheSizeBytes: 2 ** 28 }), run('d', { placement: 'local', policy: 'none' })].map(checked);
  const all = reportCharts(runs).map((c) => colours(c.spec));
  for (const m of all) for (const [p, col] of m) assert.equal(col, policyColor(p), `${p} in one chart`);
});

test('latency CDF: lines on a log x in µs, the tail panel on a log y; points from percentiles or latencyCdf', () => {
  const s = checked(run('a')).s;
  const pts = cdfFromSummary(s, 'get');
  assert.deepEqual(pts.map((p) => p.fraction), [0.5, 0.9, 0.99, 0.999, 1]);
  assert.equal(pts[2]!.latencyUs, 180);
  const measured = checked(run('b', { latencyCdf: { get: [{ latencyUs: 1, fraction: 0.1 }, { latencyUs: 3, fraction: 1 }] } })).s;
  assert.deepEqual(cdfFromSummary(measured, 'get'), [{ latencyUs: 1, fraction: 0.1 }, { latencyUs: 3, fraction: 1 }]);

  const spec: Json = latencyCdfSpec([{ policy: 'file', run: 'a', points: pts }], 'get');
  assert.equal(spec.hconcat.length, 2);
  for (const panel of spec.hconcat) {
    assert.equal(panel.mark.type, 'line');
    assert.equal(panel.encoding.x.field, 'latencyUs');
    assert.equal(panel.encoding.x.scale.type, 'log');
    assert.match(panel.encoding.x.title, /µs/);
    assert.equal(panel.encoding.color.field, 'policy');
    assert.equal(panel.encoding.detail.field, 'run');
  }
  assert.equal(spec.hconcat[1].encoding.y.scale.type, 'log');
  assert.equal(spec.data.values.length, 5);
});

test('latency and hits over time: lines per second, restores and checkpoints as rules', () => {
  const runs = [{ name: 'a', policy: 'file', timeline: timeline(5, 2), seconds: 5 }];
  const lat: Json = latencyOverTimeSpec(runs);
  assert.equal(lat.layer[0].mark.type, 'line');
  assert.equal(lat.layer[0].encoding.x.field, 'second');
  assert.match(lat.layer[0].encoding.x.title, /\(s\)/);
  assert.equal(lat.layer[0].encoding.y.scale.type, 'log');
  assert.match(lat.layer[0].encoding.y.title, /µs/);
  assert.equal(lat.layer[0].encoding.strokeDash.field, 'percentile');
  assert.equal(lat.layer[0].data.values.length, 10); // p50 and p99 for 5 seconds
  const rules = findAll(lat, 'mark').filter((m) => m.type === 'rule');
  assert.equal(rules.length, 2, 'a checkpoint rule layer and a restore rule layer');
  const events = lat.layer[1].data.values;
  assert.deepEqual(events.filter((e: Json) => e.event === 'restore').map((e: Json) => e.second), [2]);
  assert.equal(events.filter((e: Json) => e.event === 'checkpoint').length, 4);

  const hits: Json = hitRatioOverTimeSpec(runs);
  const values = hits.layer[0].data.values;
  assert.deepEqual(values.filter((v: Json) => v.second === 2).map((v: Json) => [v.tier, v.share]), [['memory', 0.5], ['local disk', 0.08]]);
  assert.equal(hits.layer[0].encoding.y.axis.format, '%');
  assert.match(hits.layer[0].encoding.y.title, /%/);
  assert.ok(marks(hits).includes('text'), 'the restore is labelled');

  // A last bucket shorter than half a second is left out; seconds without block reads have no ratio.
  const short = latencyOverTimeSpec([{ name: 'a', policy: 'file', timeline: timeline(5), seconds: 4.2 }]) as Json;
  assert.equal(short.layer[0].data.values.length, 8);
  const idle = timeline(3).map((r) => (r.second === 1 ? { ...r, blockReads: 0 } : r));
  assert.equal((hitRatioOverTimeSpec([{ name: 'a', policy: 'file', timeline: idle }]) as Json).layer[0].data.values.length, 4);
});

test('the adaptive cache over time: a row per run, its split in MiB, its signals and its operations', () => {
  const adaptiveTimeline = () => timeline(4).map((row, s) => ({
    ...row, adaptiveFileTargetBytes: 2 * s * MIB, adaptiveFileBytes: s * MIB, adaptiveBlockBytes: (8 - s) * MIB,
    adaptiveFileGhostHits: 10 * s, adaptiveBlockGhostHits: 40 - 10 * s, adaptivePromotions: s === 1 ? 3 : 0, adaptiveDemotions: s === 3 ? 1 : 0,
  }));
  const spec: Json = adaptiveOverTimeSpec([
    { name: 'a', policy: 'adaptive', timeline: adaptiveTimeline(), seconds: 4 },
    { name: 'b', policy: 'adaptive', timeline: adaptiveTimeline(), seconds: 3.2 },
  ]);
  assert.deepEqual(spec.vconcat.map((row: Json) => row.title.text), ['a', 'b']);
  const [split, signals, ops] = spec.vconcat[0].hconcat;
  const at = (values: Json[], second: number) => Object.fromEntries(values.filter((v) => v.second === second).map((v) => [v.series, v.mib ?? v.count]));
  assert.deepEqual(at(split.data.values, 2), { 'file region target': 4, 'file region': 2, 'block region': 6 });
  assert.deepEqual(at(signals.data.values, 3), { 'file ghost hits': 30, 'block ghost hits': 10, promotions: 0, demotions: 1 });
  assert.deepEqual(at(signals.data.values, 1), { 'file ghost hits': 10, 'block ghost hits': 30, promotions: 3, demotions: 0 });
  assert.deepEqual(ops.data.values.map((v: Json) => v.ops), [30_000, 30_000, 30_000, 30_000]);
  assert.equal(spec.vconcat[1].hconcat[2].data.values.length, 3, 'a last bucket under half a second is left out');
  // The panels of a row must not share colours: the split's and the signals' series differ.
  assert.equal(spec.vconcat[0].resolve.scale.color, 'independent');
  assert.equal(split.encoding.color.scale.range[1], POLICY_COLORS.file);
  assert.equal(split.encoding.color.scale.range[2], POLICY_COLORS.block);
  assert.equal(signals.encoding.y.scale.type, 'symlog');
  assert.equal(compileSpec(spec).warnings.length, 0);

  // In a report: only runs whose timeline has the adaptive columns, and only up to MAX_ADAPTIVE_RUNS of them.
  const adaptiveRun = (name: string) => checked(run(name, { policy: 'adaptive' }, adaptiveTimeline()));
  const names = (runs: ReturnType<typeof checked>[]) => reportCharts(runs).map((c) => c.name);
  assert.ok(names([adaptiveRun('x'), checked(run('f', { policy: 'file' }))]).includes('adaptive-over-time'));
  assert.ok(!names([checked(run('f', { policy: 'file' }))]).includes('adaptive-over-time'));
  assert.ok(!names(Array.from({ length: MAX_ADAPTIVE_RUNS + 1 }, (_, i) => adaptiveRun(`x${i}`))).includes('adaptive-over-time'));
  const chart = reportCharts([adaptiveRun('x'), checked(run('f', { policy: 'file' }))]).find((c) => c.name === 'adaptive-over-time')!;
  assert.deepEqual((chart.spec as Json).vconcat.map((row: Json) => row.title.text), ['x']);
});

test('throughput by cache size and the miss-ratio curve: log x in binary units, one line per policy', () => {
  const t: Json = throughputVsCacheSizeSpec(
    [{ run: 'a', policy: 'file', cacheSizeBytes: 2 ** 25, opsPerSecond: 1000 }, { run: 'b', policy: 'file', cacheSizeBytes: 2 ** 27, opsPerSecond: 2000 }],
    [{ run: 'c', policy: 'none', cacheSizeBytes: 0, opsPerSecond: 900 }],
  );
  const line = t.layer[0];
  assert.equal(line.mark.type, 'line');
  assert.equal(line.encoding.x.scale.type, 'log');
  assert.match(line.encoding.x.axis.labelExpr, /MiB/);
  assert.equal(line.encoding.y.aggregate, 'mean');
  assert.match(line.encoding.y.title, /ops\/s/);
  assert.deepEqual(t.data.values.filter((v: Json) => !v.baseline).map((v: Json) => v.cacheSizeMiB), [32, 128]);
  assert.equal(t.layer[1].mark.type, 'rule');
  assert.equal(t.facet, undefined, 'one experiment, one panel');

  // Several experiments: a panel each (in the order given), each with its own baseline and y scale.
  const exp = (group: string, base: number) => [
    { run: `${group}-f1`, policy: 'file', cacheSizeBytes: 2 ** 25, opsPerSecond: base, group },
    { run: `${group}-f2`, policy: 'file', cacheSizeBytes: 2 ** 27, opsPerSecond: 2 * base, group },
  ];
  const many: Json = throughputVsCacheSizeSpec([...exp('ycsb-a hdfs', 1000), ...exp('q20 s3', 50), ...exp('q7 s3', 10)],
    [{ run: 'n', policy: 'none', cacheSizeBytes: 0, opsPerSecond: 40, group: 'q20 s3' }]);
  assert.equal(many.facet.field, 'group');
  assert.deepEqual(many.facet.sort, ['ycsb-a hdfs', 'q20 s3', 'q7 s3']);
  assert.equal(many.columns, 3);
  assert.equal(many.resolve.scale.y, 'independent');
  assert.deepEqual(many.spec.layer.map((l: Json) => [l.mark.type, l.transform[0].filter]), [['line', '!datum.baseline'], ['rule', 'datum.baseline']]);
  assert.equal(many.spec.layer[0].encoding.y.scale.type, undefined, 'no experiment spans 10x: linear');
  assert.match(many.title.subtitle.join(' '), /3 experiments, a panel each/);
  assert.deepEqual(compileSpec(many).warnings, []);
  const spans: Json = throughputVsCacheSizeSpec([...exp('a', 10), { run: 'x', policy: 'block', cacheSizeBytes: 2 ** 25, opsPerSecond: 500, group: 'a' }, ...exp('b', 10)]);
  assert.equal(spans.spec.layer[0].encoding.y.scale.type, 'log');

  const m: Json = missRatioCurveSpec(replayRows('t1').concat(replayRows('t2', ['fifo'])), 't1');
  assert.equal(m.facet.column.field, 'metric');
  assert.equal(m.spec.mark.type, 'line');
  assert.equal(m.spec.encoding.x.scale.type, 'log');
  assert.equal(m.spec.encoding.y.axis.format, '%');
  assert.deepEqual(m.spec.encoding.color.scale.domain, ['lru', 's3fifo', 'belady'], 'only this trace\'s policies');
  assert.equal(m.data.values.length, 18);
});

test('bars: DFS requests (cost only when the DFS has a price), checkpoint and restore in ms or s', () => {
  const free: Json = dfsBarsSpec([{ run: 'a', policy: 'file', reads: 10, costUsd: 0 }]);
  assert.equal(free.hconcat.length, 1);
  assert.equal(free.hconcat[0].mark.type, 'bar');
  assert.equal(free.hconcat[0].encoding.y.field, 'reads');
  const paid: Json = dfsBarsSpec([{ run: 'a', policy: 'file', reads: 10, costUsd: 0.5 }]);
  assert.equal(paid.hconcat.length, 2);
  assert.match(paid.hconcat[1].encoding.y.title, /USD/);

  const lc: Json = lifecycleBarsSpec([
    { run: 'local', policy: 'local', placement: 'local', checkpointP50: 0.2, checkpointMax: 0.4, restore: 0.5 },
    { run: 'file', policy: 'file', placement: 'disaggregated', checkpointP50: 0.02, checkpointMax: 0.05 },
  ]);
  assert.equal(lc.hconcat.length, 2);
  assert.deepEqual(marks(lc.hconcat[0]), ['bar', 'tick']);
  assert.match(lc.hconcat[0].layer[0].encoding.y.title, /\(ms\)/);
  assert.deepEqual(lc.hconcat[0].data.values.map((v: Json) => v.checkpointP50), [200, 20]);
  assert.equal(lc.hconcat[1].data.values.length, 1, 'only runs that restored');
  const slow: Json = lifecycleBarsSpec([{ run: 'x', policy: 'file', restore: 12 }]);
  assert.equal(slow.hconcat.length, 1);
  assert.deepEqual(marks(slow.hconcat[0]), ['bar', 'text']);
  assert.match(slow.hconcat[0].layer[0].encoding.y.title, /\(s\)/);
});

test('reportCharts: the charts the data supports; every spec compiles without Vega-Lite warnings', () => {
  const single = reportCharts([checked(run('a', { checkpoint: { durationSeconds: { p50: 0.02, max: 0.05 } }, restore: { durationSeconds: 0.003 } }))]);
  assert.deepEqual(single.map((c) => c.name), ['latency-cdf', 'latency-over-time', 'hit-ratio-over-time', 'dfs-requests-cost', 'checkpoint-restore']);
  const sweep = [2 ** 25, 2 ** 27].flatMap((size) => ['file', 'block'].map((p) => checked(run(`${p}-${size}`, { policy: p, cacheSizeBytes: size }))));
  const charts = reportCharts([...sweep, checked(run('none', { policy: 'none', cacheSizeBytes: 0 }))], [...replayRows('t1'), ...replayRows('t2')]);
  assert.deepEqual(charts.map((c) => c.name), ['latency-cdf', 'latency-over-time', 'hit-ratio-over-time', 'throughput-vs-cache-size', 'miss-ratio-curve-1', 'miss-ratio-curve-2', 'dfs-requests-cost']);
  assert.deepEqual(reportCharts([], replayRows()).map((c) => c.name), ['miss-ratio-curve']);
  for (const c of [...single, ...charts]) {
    const { warnings } = compileSpec(c.spec);
    assert.deepEqual(warnings, [], c.name);
    assert.ok(c.title && c.description, c.name);
  }
});

test('subtitles wrap into lines so a long one does not widen the chart', () => {
  assert.deepEqual(wrapLines('aaa bbb ccc', 7), ['aaa bbb', 'ccc']);
  assert.deepEqual(wrapLines('short'), ['short']);
});

test('latency against load: drawn when a policy ran at two offered rates; a rate it fell behind is hollow', () => {
  // file keeps up with 1,000 records/s and falls behind at 4,000 (runs 2,400); adaptive keeps up with both.
  const rated = (name: string, policy: string, rate: number, achieved: number, p99: number) =>
    checked(run(name, { policy, recordsPerSecond: achieved, sourceRate: { recordsPerSecond: rate, lateShare: achieved < rate ? 0.6 : 0 },
      latencyUs: { get: { count: 100, p50: 2, p99 }, record: { count: 100, p50: 6, p99 } } }));
  const runs = [rated('f1', 'file', 1000, 1000, 900), rated('f4', 'file', 4000, 2400, 2e6), rated('a1', 'adaptive', 1000, 1000, 800), rated('a4', 'adaptive', 4000, 3990, 1500)];
  const chart = reportCharts(runs).find((c) => c.name === 'latency-vs-load');
  assert.ok(chart, 'the chart is drawn');
  assert.deepEqual(compileSpec(chart.spec).warnings, []);
  const spec: Json = chart.spec;
  const behind = spec.data.values.filter((v: Json) => v.behind).map((v: Json) => v.run);
  assert.deepEqual(behind, ['f4']);
  assert.deepEqual(spec.data.values.map((v: Json) => v.getP99Us), [900, 2e6, 800, 1500]);
  assert.deepEqual(spec.layer[0].encoding.x.axis.values, [1000, 4000]);
  // One rate per policy, or no rate at all: no curve.
  assert.ok(!reportCharts([runs[0]!, runs[2]!]).some((c) => c.name === 'latency-vs-load'));
  assert.ok(!reportCharts([checked(run('x')), checked(run('y', { policy: 'block' }))]).some((c) => c.name === 'latency-vs-load'));
});
