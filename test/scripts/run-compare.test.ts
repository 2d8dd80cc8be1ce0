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
