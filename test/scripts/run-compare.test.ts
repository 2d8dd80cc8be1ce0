/**
 * `tiersim run --policy a,b,...` (or `all`): the run the flags describe under each
 * policy, side by side. Each setup must be exactly the single run of the same flags.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { POLICY_NAMES } from '../../policies/registry.ts';
import { tempDir } from '../temp-dir.ts';

function tiersim(...args: string[]) {
  const r = spawnSync(process.execPath, ['bin/tiersim.mjs', ...args], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

// A store larger than its memory, with a quarter of the state as local cache.
const flags = (ops = 20_000, warmup = 10_000) => ['--workload', 'ycsb-b', '--param', 'recordCount=20000',
  '--ops', String(ops), '--warmup', String(warmup), '--managed-memory', '2MiB', '--cache-size', '25%', '--seed', '4'];
const FLAGS = flags();

/** A summary without what depends on the host (wall time). */
function simulated(s: Record<string, unknown>): Record<string, unknown> {
  const { wallSeconds: _w, simulatedOpsPerWallSecond: _r, ...rest } = s;
  return rest;
}

test('--policy file,block,adaptive: one row per policy in that order, each the single run of the same flags', () => {
  const out = join(tempDir('run-compare'), 'cmp');
  const r = tiersim('run', ...FLAGS, '--policy', 'adaptive,file,block', '--out', out);
  assert.equal(r.status, 0, r.stderr);
  const rows = r.stdout.split('\n').filter((l) => /^(file|block|adaptive|none) /.test(l)).map((l) => l.split(/\s+/)[0]);
  assert.deepEqual(rows, ['adaptive', 'file', 'block']);
  assert.match(r.stdout, /cache=\S+ \S+ \(25% of the state\)/);
  for (const policy of ['adaptive', 'file', 'block']) {
    const inComparison = JSON.parse(readFileSync(join(out, policy, 'summary.json'), 'utf8'));
    const single = tiersim('run', ...FLAGS, '--policy', policy, '--json');
    assert.equal(single.status, 0, single.stderr);
    assert.deepEqual(simulated(inComparison), simulated(JSON.parse(single.stdout)), policy);
    // The row prints that summary's throughput.
    const row = r.stdout.split('\n').find((l) => l.startsWith(`${policy} `))!;
    assert.equal(Number(row.split(/\s+/)[1]), Math.round(inComparison.opsPerSecond));
  }
  assert.ok(existsSync(join(out, 'report.html')));
  assert.ok(!existsSync(join(out, '.sweep')), 'the sweep behind it is removed');
});

test('--policy all --json: an array of every policy\'s summary, nothing else on stdout', () => {
  const r = tiersim('run', ...flags(5000, 0), '--policy', 'all', '--json');
  assert.equal(r.status, 0, r.stderr);
  const summaries = JSON.parse(r.stdout) as { policy: string; ops: number }[];
  assert.deepEqual(summaries.map((s) => s.policy), POLICY_NAMES);
  for (const s of summaries) assert.equal(s.ops, 5000);
});

test('--policy lists: unknown or repeated names, a trace to write, local placement, an option one policy lacks, a bad device or parameter: one line, exit 2', () => {
  const cases: [string[], RegExp][] = [
    [['--policy', 'file,lru'], /--policy: unknown local cache policy 'lru'/],
    [['--policy', 'file,file'], /--policy: 'file,file' names a policy twice/],
    [['--policy', 'file,block', '--record', join(tempDir('run-compare-bad'), 't.csv')], /give one --policy/],
    [['--policy', 'file,block', '--placement', 'local'], /--placement local/],
    [['--policy', 'file,adaptive', '--policy-option', 'refill=false'], /policy 'file': unknown option 'refill'/],
    // Worded as a single run's, without the grid's field paths.
    [['--policy', 'file,block', '--dfs', 'nope'], /^tiersim: dfs: unknown device 'nope'/],
    [['--policy', 'file,block', '--param', 'bogus=1'], /^tiersim: workload ycsb-b: unknown parameter\(s\) bogus/],
  ];
  for (const [args, re] of cases) {
    const r = tiersim('run', ...FLAGS, ...args);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, re);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  }
});

test('a config file\'s policy list compares as --policy does; a --policy flag runs that one policy', () => {
  const config = join(tempDir('run-compare-config'), 'c.yaml');
  writeFileSync(config, 'workload: kv\nworkloadParams: { keys: 5000 }\nops: 5000\npolicy: [block, file]\n');
  const listed = tiersim('run', '--config', config, '--json');
  assert.equal(listed.status, 0, listed.stderr);
  assert.deepEqual((JSON.parse(listed.stdout) as { policy: string }[]).map((s) => s.policy), ['block', 'file']);
  const one = tiersim('run', '--config', config, '--policy', 'file', '--json');
  assert.equal(one.status, 0, one.stderr);
  assert.equal(JSON.parse(one.stdout).policy, 'file');
});

test('lists of cache sizes, DFS presets and seeds: one row per combination in the order given, each the single run of its values', () => {
  const out = join(tempDir('run-compare-lists'), 'cmp');
  const base = flags(10_000, 5000).filter((_, i, a) => a[i] !== '--cache-size' && a[i - 1] !== '--cache-size' && a[i] !== '--seed' && a[i - 1] !== '--seed');
  const r = tiersim('run', ...base, '--policy', 'adaptive,file', '--cache-size', '40%,10%', '--seed', '5,4', '--out', out);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^comparing adaptive, file × cache 40%, 10% × seed 5, 4: workload=ycsb-b placement=disaggregated dfs=hdfs, /m);
  const rows = r.stdout.split('\n').filter((l) => /^(file|adaptive) \S+ s\d+ +\d/.test(l)).map((l) => l.split(/\s+/).slice(0, 3).join(' '));
  assert.deepEqual(rows, ['adaptive 40% s5', 'adaptive 40% s4', 'adaptive 10% s5', 'adaptive 10% s4', 'file 40% s5', 'file 40% s4', 'file 10% s5', 'file 10% s4']);
  // Under the table, each setup over its two seeds (the geometric mean of its runs'
  // ops/s), and against the first policy's setup of the same size.
  const ops = (dir: string) => JSON.parse(readFileSync(join(out, dir, 'summary.json'), 'utf8')).opsPerSecond as number;
  assert.match(r.stdout, /^over seeds 5, 4 \(geometric mean, 95% interval\):$/m);
  assert.match(r.stdout, /^adaptive 10% +\d+ ops\/s \(\d+–\d+\)$/m);
  const file40 = /^file 40% +(\d+) ops\/s \(\d+–\d+\)  (\d\.\d{3})× adaptive 40% \(/m.exec(r.stdout);
  assert.ok(file40, r.stdout);
  assert.equal(Number(file40[1]), Math.round(Math.sqrt(ops('file-40pct-s5') * ops('file-40pct-s4'))));
  const ratio = Math.sqrt((ops('file-40pct-s5') / ops('adaptive-40pct-s5')) * (ops('file-40pct-s4') / ops('adaptive-40pct-s4')));
  assert.equal(file40[2], ratio.toFixed(3));
  for (const [policy, size, seed] of [['adaptive', '10%', '4'], ['file', '40%', '5']] as const) {
    const dir = join(out, `${policy}-${size.replace('%', 'pct')}-s${seed}`);
    const inComparison = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
    const single = tiersim('run', ...base, '--policy', policy, '--cache-size', size, '--seed', seed, '--json');
    assert.equal(single.status, 0, single.stderr);
    assert.deepEqual(simulated(inComparison), simulated(JSON.parse(single.stdout)), `${policy} ${size} s${seed}`);
  }
  assert.ok(existsSync(join(out, 'report.html')));

  // A config file's lists, and DFS presets: the JSON array in the order given.
  const config = join(tempDir('run-compare-lists-config'), 'c.yaml');
  writeFileSync(config, 'workload: kv\nworkloadParams: { keys: 5000 }\nops: 3000\ncacheSize: [1MiB, 25%]\ndfs: [s3, hdfs]\n');
  const listed = tiersim('run', '--config', config, '--json');
  assert.equal(listed.status, 0, listed.stderr);
  const summaries = JSON.parse(listed.stdout) as { dfsDevice: string; cacheSizeBytes: number }[];
  assert.deepEqual(summaries.map((s) => s.dfsDevice), ['s3', 'hdfs', 's3', 'hdfs']);
  assert.equal(summaries[0]!.cacheSizeBytes, 2 ** 20);
  assert.ok(summaries[2]!.cacheSizeBytes !== 2 ** 20);
});

test('bad lists: a repeated or empty value, a seed that is no whole number, a bad size or device in the list: one line, exit 2', () => {
  const cases: [string[], RegExp][] = [
    [['--cache-size', '10%,10%'], /^tiersim: --cache-size: '10%,10%' names a value twice/],
    [['--cache-size', '10%,,20%'], /^tiersim: --cache-size: '10%,,20%' has an empty item/],
    [['--cache-size', '10%,4KB!'], /^tiersim: --cache-size: '4KB!' is not a size/],
    [['--seed', '1,x'], /^tiersim: --seed: 'x' is not a whole number/],
    [['--seed', 'x'], /^tiersim: --seed: 'x' is not a whole number/],
    [['--dfs', 'hdfs,nope'], /^tiersim: dfs: unknown device 'nope'/],
    [['--dfs', 'hdfs,s3', '--block-trace', join(tempDir('run-compare-bad-lists'), 't.oracleGeneral.bin')], /give one --dfs/],
    [['--cache-size', '1%,2%', '--placement', 'local'], /^tiersim: --cache-size: a list compares local-disk caches/],
  ];
  for (const [args, re] of cases) {
    const r = tiersim('run', ...FLAGS.filter((a, i) => !(args.includes(a) || args.includes(FLAGS[i - 1]!))), ...args);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, re);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  }
});

test('a comparison interrupted by Ctrl-C leaves its temporary directory, and the next comparison removes it', async () => {
  const tmp = tempDir('run-compare-tmp');
  const env = { ...process.env, TMPDIR: tmp };
  // Someone else's, still running (this test's process): left alone.
  const live = `tiersim-compare-${process.pid}-abc123`;
  mkdirSync(join(tmp, live));
  const child = spawn(process.execPath, ['bin/tiersim.mjs', 'run', ...flags(50_000_000, 0), '--policy', 'file,block'], { env, stdio: 'ignore' });
  const ended = new Promise((r) => child.on('exit', r));
  const comparisons = () => readdirSync(tmp).filter((n) => n.startsWith('tiersim-compare-')); // tsx keeps its cache there too
  const ours = () => comparisons().filter((n) => n !== live);
  const deadline = Date.now() + 30_000;
  while (!ours().some((n) => existsSync(join(tmp, n, 'grid.json'))) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  assert.equal(ours().length, 1, 'the comparison made one temporary directory');
  const [left] = ours();
  assert.match(left!, /^tiersim-compare-\d+-/);
  child.kill('SIGINT');
  await ended;
  assert.deepEqual(ours(), [left], 'an interrupted comparison cannot remove its directory');

  const r = spawnSync(process.execPath, ['bin/tiersim.mjs', 'run', ...flags(2000, 0), '--policy', 'file,block'], { encoding: 'utf8', env });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(comparisons(), [live]);
});

test('--rate with a policy list, and a list of rates: every row is the single run at its rate and prints its share of records taken late', () => {
  const out = join(tempDir('run-compare-rate'), 'cmp');
  const r = tiersim('run', ...flags(5000, 0), '--policy', 'file,block', '--rate', '200,400', '--out', out);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /CPU µs\/op {3}late\n/);
  const rows = r.stdout.split('\n').filter((l) => /^(file|block) rate\d+ +\d/.test(l)).map((l) => l.split(/\s+/));
  assert.deepEqual(rows.map((row) => `${row[0]} ${row[1]}`), ['file rate200', 'file rate400', 'block rate200', 'block rate400']);
  for (const row of rows) {
    const [policy, rate] = [row[0]!, row[1]!.slice('rate'.length)];
    const single = JSON.parse(tiersim('run', ...flags(5000, 0), '--policy', policy, '--rate', rate, '--json').stdout);
    assert.deepEqual(simulated(JSON.parse(readFileSync(join(out, `${policy}-rate${rate}`, 'summary.json'), 'utf8'))), simulated(single));
    assert.equal(Number(row[3]), Math.round(single.recordsPerSecond));
    assert.ok(Math.abs(single.recordsPerSecond / Number(rate) - 1) < 0.01, `${policy} at ${rate}: ${single.recordsPerSecond} records/s`);
    assert.equal(row.at(-1), `${(100 * single.sourceRate.lateShare).toFixed(1)}%`);
  }
  assert.ok(existsSync(join(out, 'charts', 'latency-vs-load.svg')), 'the report draws latency against load');
  for (const bad of ['200,200', '0', 'fast', '200,']) {
    const e = tiersim('run', ...flags(5000, 0), '--rate', bad);
    assert.equal(e.status, 2, bad);
    assert.match(e.stderr, /--rate: /, bad);
  }
});
