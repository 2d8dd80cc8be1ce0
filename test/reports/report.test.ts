/** `tiersim report` and writeRunCharts: merging run, sweep and replay directories; bad input is one line, exit 2, nothing written. */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { InputError } from '../../sim/errors.ts';
import { writeRunDir } from '../../reports/run-dir.ts';
import { writeRunCharts } from '../../reports/run-report.ts';
import { readReportInputs, runReport } from '../../scripts/report.ts';
import { realRunDir, replayRows, summary, timeline, tiersim, tmp } from './fixtures.ts';

const root = tmp('report');
after(() => rmSync(root, { recursive: true, force: true }));
// Two real runs: disaggregated with checkpoints and a restore, and the local baseline.
const a = realRunDir(join(root, 'disagg'), { checkpointEverySeconds: 0.2, restoreAtSeconds: 0.3 });
const b = realRunDir(join(root, 'local'), { placement: 'local', policy: 'none' });

test('tiersim report merges two run directories into a 2-row table, charts and report.html', () => {
  const out = join(root, 'out');
  const r = tiersim('report', a, b, '--out', out);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /2 runs, 0 replay rows/);
  const rows = parse(readFileSync(join(out, 'table.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
  assert.equal(rows.length, 2);
  // In the order the directories were named.
  assert.deepEqual(rows.map((row) => [row.run, row.policy, row.placement]), [['disagg', 'file', 'disaggregated'], ['local', 'none', 'local']]);
  for (const col of ['workload', 'dfs', 'cacheSizeBytes', 'seed', 'opsPerSecond', 'getP50Us', 'getP99Us', 'memoryHitRatio', 'localDiskHitRatio', 'dfsReads', 'dfsCostUsd', 'cpuUsPerOp', 'checkpointP50Seconds', 'restoreSeconds']) {
    assert.ok(col in rows[0]!, `table.csv has no ${col}`);
  }
  assert.ok(Number(rows[0]!.restoreSeconds) > 0);
  const md = readFileSync(join(out, 'table.md'), 'utf8');
  assert.equal(md.split('\n').filter((l) => l.startsWith('| ')).length, 3); // header + 2 rows
  const charts = readdirSync(join(out, 'charts'));
  for (const name of ['latency-cdf', 'latency-over-time', 'hit-ratio-over-time', 'dfs-requests-cost', 'checkpoint-restore']) {
    for (const ext of ['vl.json', 'svg', 'png']) assert.ok(charts.includes(`${name}.${ext}`), `charts/${name}.${ext}`);
  }
  const html = readFileSync(join(out, 'report.html'), 'utf8');
  assert.equal((html.match(/<figure class="chart"/g) ?? []).length, 5);
  assert.match(html, /<td>disagg<\/td>/);
});

test('sweep cells, a default comparison and a replay merge; cell names lose their hash; colliding names get their directory', () => {
  const sweep = join(root, 'sweep');
  for (const [id, size] of [['kv-file-32MiB-hdfs-s1-0123456789ab', 2 ** 25], ['kv-file-128MiB-hdfs-s1-ba9876543210', 2 ** 27]] as const) {
    writeRunDir(join(sweep, 'cells', id), { summary: summary({ cacheSizeBytes: size }), timeline: timeline(), config: {} });
  }
  mkdirSync(join(sweep, 'cells', '.tmp-kv-x-1-abc'), { recursive: true }); // a killed cell's leftovers
  const comparison = join(root, 'comparison');
  for (const p of ['file', 'none']) writeRunDir(join(comparison, p), { summary: summary({ policy: p }), timeline: [], config: {} });
  writeRunDir(join(root, 'other', 'file'), { summary: summary(), timeline: [], config: {} });
  const replay = join(root, 'replay');
  mkdirSync(replay, { recursive: true });
  const rows = replayRows('t.bin');
  writeFileSync(join(replay, 'results.csv'), 'trace,policy,cacheSizeBytes,requests,misses,missRatio,byteMisses,byteMissRatio,wallSeconds\n'
    + rows.map((r) => [r.trace, r.policy, r.cacheSizeBytes, r.requests, r.misses, r.missRatio, r.byteMisses, r.byteMissRatio, r.wallSeconds].join(',')).join('\n') + '\n');

  const inputs = readReportInputs([sweep, comparison, join(root, 'other'), replay]);
  assert.deepEqual(inputs.runs.map((r) => r.name), ['kv-file-32MiB-hdfs-s1', 'kv-file-128MiB-hdfs-s1', 'none', 'comparison/file', 'other/file']);
  assert.equal(inputs.replays.length, 9);
  assert.equal(inputs.replays[0]!.source, replay);
});

test('report files: all charts of a sweep and a replay, replays.csv beside table.csv', async () => {
  const out = join(root, 'out2');
  const r = await runReport({ dirs: [join(root, 'sweep'), join(root, 'replay')], out, title: 'T <b>' });
  assert.deepEqual(r.charts, ['latency-cdf', 'latency-over-time', 'hit-ratio-over-time', 'throughput-vs-cache-size', 'miss-ratio-curve', 'dfs-requests-cost']);
  assert.ok(existsSync(join(out, 'replays.csv')));
  assert.match(readFileSync(join(out, 'report.html'), 'utf8'), /<title>T &lt;b&gt;<\/title>/);
});

test('--runs: only the runs whose name matches; none matching or a bad expression is an input error', async () => {
  const out = join(root, 'out-runs');
  const r = await runReport({ dirs: [join(root, 'sweep'), join(root, 'replay')], out, runs: '-128MiB-' });
  assert.equal(r.runs, 1);
  assert.equal(r.replayRows, 9, 'replay rows are not runs: all stay');
  const rows = parse(readFileSync(join(out, 'table.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
  assert.deepEqual(rows.map((row) => row.run), ['kv-file-128MiB-hdfs-s1']);
  assert.ok(!r.charts.includes('throughput-vs-cache-size'), 'one cache size left: no curve');
  await assert.rejects(runReport({ dirs: [join(root, 'sweep')], out: join(root, 'never-runs'), runs: 'q20' }), (err: Error) => err instanceof InputError && /no run's name matches \/q20\/ \(2 runs, such as kv-file-32MiB-hdfs-s1/.test(err.message));
  const bad = tiersim('report', join(root, 'sweep'), '--runs', '(', '--out', join(root, 'never-runs'));
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--runs: \( is not a regular expression/);
  assert.ok(!existsSync(join(root, 'never-runs')));
});

test('an adaptive run: the adaptive-over-time chart holds its timeline.csv columns', async () => {
  const dir = realRunDir(join(root, 'adaptive'), { policy: 'adaptive', cacheSize: 8 * 2 ** 20 });
  const out = join(root, 'out-adaptive');
  const r = await runReport({ dirs: [dir, b], out });
  assert.ok(r.charts.includes('adaptive-over-time'), r.charts.join(' '));
  const csv = parse(readFileSync(join(dir, 'timeline.csv'), 'utf8'), { columns: true, cast: true }) as Record<string, number>[];
  const spec = JSON.parse(readFileSync(join(out, 'charts', 'adaptive-over-time.vl.json'), 'utf8'));
  assert.equal(spec.vconcat.length, 1, 'one row: the local run has no adaptive columns');
  const [split, signals, ops] = spec.vconcat[0].hconcat;
  // A counter that never counted in this run (a ghost with no hits) is absent from timeline.csv, and 0 in the chart.
  const second = csv.find((row) => row.adaptiveBlockBytes > 0)!;
  assert.ok(second, 'the block region held something');
  const pick = (values: Record<string, number | string>[], series: string) => values.find((v) => v.second === second.second && v.series === series)!;
  assert.equal(pick(split.data.values, 'file region target').mib, (second.adaptiveFileTargetBytes ?? 0) / 2 ** 20);
  assert.equal(pick(split.data.values, 'file region').mib, (second.adaptiveFileBytes ?? 0) / 2 ** 20);
  assert.equal(pick(split.data.values, 'block region').mib, second.adaptiveBlockBytes / 2 ** 20);
  assert.equal(pick(signals.data.values, 'file ghost hits').count, second.adaptiveFileGhostHits ?? 0);
  assert.equal(pick(signals.data.values, 'block ghost hits').count, second.adaptiveBlockGhostHits ?? 0);
  assert.equal(ops.data.values.find((v: Record<string, number>) => v.second === second.second).ops, second.ops);
});

test('bad input: one line naming the file, exit 2, nothing written', () => {
  const empty = join(root, 'empty');
  mkdirSync(empty, { recursive: true });
  const bad = join(root, 'bad');
  mkdirSync(bad, { recursive: true });
  writeFileSync(join(bad, 'summary.json'), '{"workload": "kv", ');
  const out = join(root, 'never');

  const r = tiersim('report', a, empty, '--out', out);
  assert.equal(r.status, 2);
  assert.equal(r.stderr.trim().split('\n').length, 1);
  assert.match(r.stderr, new RegExp(`${empty}: nothing to report`));
  assert.ok(!existsSync(out), 'output written despite bad input');
  assert.throws(() => readReportInputs([a, bad]), new RegExp(`${join(bad, 'summary.json')}: not valid JSON`));

  // Without the command line: every case is an InputError naming the file (and line or field).
  const cases: [string, string, RegExp][] = [
    ['summary.json', JSON.stringify({ workload: 'kv', policy: 'file' }), /summary\.json: opsPerSecond: /],
    ['summary.json', JSON.stringify(summary({ latencyUs: { get: { p50: 'fast' } } })), /summary\.json: latencyUs\.get\.p50: /],
    ['results.csv', 'trace,policy,cacheSizeBytes,missRatio\nt,lru,1024,high\n', /results\.csv: line 2: field 'missRatio' is not a number/],
    ['results.csv', 'trace,policy,missRatio\nt,lru,0.5\n', /results\.csv: no 'cacheSizeBytes' column/],
  ];
  cases.forEach(([file, text, message], i) => {
    const dir = join(root, `case${i}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, file), text);
    assert.throws(() => readReportInputs([dir]), (e: Error) => e instanceof InputError && message.test(e.message) && e.message.includes(dir));
  });
  const tl = join(root, 'badtimeline');
  writeRunDir(tl, { summary: summary(), timeline: [], config: {} });
  writeFileSync(join(tl, 'timeline.csv'), 'second,ops\n0,10\n1,lots\n');
  assert.throws(() => readReportInputs([tl]), /timeline\.csv: line 3: field 'ops' is not a number/);
  assert.throws(() => readReportInputs([join(root, 'missing')]), /missing: no such directory/);
});

test('writeRunCharts(dir) charts the run directory itself; chart files a new report lacks are removed', async () => {
  const dir = realRunDir(join(root, 'single'));
  mkdirSync(join(dir, 'charts'), { recursive: true });
  writeFileSync(join(dir, 'charts', 'checkpoint-restore.svg'), '<svg/>');
  writeFileSync(join(dir, 'charts', 'notes.txt'), 'mine');
  const written = await writeRunCharts(dir);
  assert.ok(written.includes(join(dir, 'report.html')));
  const charts = readdirSync(join(dir, 'charts')).sort();
  assert.ok(!charts.includes('checkpoint-restore.svg'), 'a stale chart stayed');
  assert.ok(charts.includes('notes.txt'), 'a file that is not a chart was removed');
  assert.ok(charts.includes('latency-cdf.png'));
  assert.ok(!existsSync(join(dir, 'table.csv')), 'one run: summary.csv is its table');
});
