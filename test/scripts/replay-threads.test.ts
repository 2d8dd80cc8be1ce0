/** `tiersim replay --workers N`: the runs shared out over threads give the one-thread replay's rows. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../../sim/errors.ts';
import { replayTrace, splitList, type ReplayConfig } from '../../scripts/replay.ts';
import { replayOnThreads, shareRuns } from '../../scripts/lib/replay-threads.ts';
import { tempDir } from '../temp-dir.ts';

const TRACE = '../shared/traces/cloudPhysicsIO.oracleGeneral.bin';
const withoutTime = <T extends { wallSeconds: number }>(rows: T[]) => rows.map(({ wallSeconds: _, ...rest }) => rest);

test('shares: by algorithm when there are enough, else by size; every run in exactly one share', () => {
  const runs = (shares: ReplayConfig[]) => shares.flatMap((s) => splitList(s.policies).flatMap((p) => splitList(s.sizes).map((z) => `${p} ${z}`))).sort();
  const cases: [string[], string[], number, number][] = [
    // policies, sizes, threads, shares expected
    [['lru', 'arc', 's3fifo'], ['16MiB', '0.1'], 2, 2],
    [['lru'], ['16MiB', '0.1', '1GiB'], 2, 2],
    [['lru', 'arc'], ['16MiB'], 4, 2],
    [['lru'], ['16MiB'], 8, 1],
    [['lru,arc'], ['16MiB,0.1,0.2'], 3, 3],
  ];
  for (const [policies, sizes, threads, expected] of cases) {
    const config: ReplayConfig = { trace: TRACE, policies, sizes };
    const shares = shareRuns(config, threads);
    assert.equal(shares.length, expected, `${policies} × ${sizes} on ${threads}`);
    for (const s of shares) assert.ok(splitList(s.policies).length > 0 && splitList(s.sizes).length > 0);
    assert.deepEqual(runs(shares), runs([config]));
  }
});

test('two threads give the rows of one, in the same order (algorithms, fractions of the working set, Belady)', async () => {
  for (const [policies, sizes] of [[['lru', 'sieve', 'arc', 'belady'], ['16MiB', '0.1']], [['s3fifo'], ['16MiB', '0.05', '0.25']]] as const) {
    const config: ReplayConfig = { trace: TRACE, policies: [...policies], sizes: [...sizes] };
    const one = replayTrace(config);
    const two = await replayOnThreads(config, 2);
    assert.deepEqual(withoutTime(two.rows), withoutTime(one.rows));
    assert.equal(two.requests, one.requests);
    assert.deepEqual(two.workingSet, one.workingSet);
  }
});

test('input errors come before any thread starts, and a worker\'s input error stays one', async () => {
  await assert.rejects(replayOnThreads({ trace: TRACE, policies: ['lru'], sizes: ['1MiB'] }, 0), InputError);
  await assert.rejects(replayOnThreads({ trace: TRACE, policies: ['lru', 'nope'], sizes: ['1MiB'] }, 2), /unknown eviction algorithm 'nope'/);
  await assert.rejects(replayOnThreads({ trace: TRACE, policies: ['lru'], sizes: ['1MiB', '-3'] }, 2), InputError);
  // A trace that fails part-way: each thread meets the bad line; the error is the same InputError.
  const dir = tempDir('replay-threads');
  const lines = ['version,time,op,size,lbn'];
  for (let i = 0; i < 5000; i++) lines.push(`1,${100 + i},2a,${i === 4000 ? 'abc' : 512},${1000 + (i % 300)}`);
  const trace = join(dir, 'bad.csv');
  writeFileSync(trace, `${lines.join('\n')}\n`);
  const csv = 'time-col=2,obj-id-col=5,obj-size-col=4,has-header=true,delimiter=,';
  await assert.rejects(replayOnThreads({ trace, format: 'csv', csv, policies: ['lru', 'arc'], sizes: ['1MiB'] }, 2),
    (e: unknown) => e instanceof InputError && e.message === `${trace} line 4002: obj-size 'abc' is not a number`);
});

test('CLI: --workers 2 prints the same lines as one thread, mqps aside', () => {
  const run = (...extra: string[]) => spawnSync(process.execPath, ['bin/tiersim.mjs', 'replay', '--trace', TRACE, '--policy', 'lru,s3fifo,lirs', '--size', '16MiB,0.1', ...extra], { encoding: 'utf8' });
  const one = run();
  const two = run('--workers', '2');
  assert.equal(one.status, 0);
  assert.equal(two.status, 0);
  const strip = (s: string) => s.replace(/ mqps=\S+/g, '');
  assert.equal(strip(two.stdout), strip(one.stdout));
  assert.equal(strip(one.stdout).trim().split('\n').length, 6);
  const zero = run('--workers', '0');
  assert.equal(zero.status, 2);
  assert.match(zero.stderr, /--workers: 0 must be/);
});
