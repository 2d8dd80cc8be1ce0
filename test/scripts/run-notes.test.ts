/** The notes under a run's figures: why a local cache served no read; lifecycle events the run ended before. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { lifecycleNotes, localCacheNotes } from '../../scripts/lib/run-notes.ts';
import { runConfig } from '../../scripts/lib/config.ts';
import { simulate } from '../../scripts/lib/simulate.ts';

const MiB = 2 ** 20;

/** A summary with only the fields the notes read. */
function summary(over: { policy?: string; placement?: string; cache?: number; memory?: number; localHits?: number; dfs?: number; fileBytes?: number[] } = {}) {
  const files = over.fileBytes ?? [64 * MiB, 64 * MiB, 60 * MiB];
  return {
    placement: over.placement ?? 'disaggregated',
    policy: over.policy ?? 'block',
    cacheSizeBytes: over.cache ?? 16 * MiB,
    memoryCache: { capacityBytes: over.memory ?? 53 * MiB },
    blockReads: { localHits: over.localHits ?? 0, dfs: over.dfs ?? 1000 },
    lsm: { levels: [{ level: 0, files: 0, bytes: 0 }, { level: 1, files: files.length, bytes: files.reduce((a, b) => a + b, 0) }, { level: 2, files: 0, bytes: 0 }] },
  };
}

test('a local cache no larger than memory that served nothing: one note naming both sizes', () => {
  assert.deepEqual(localCacheNotes(summary()), [
    'note: the local cache (16 MiB) is no larger than the memory block cache (53 MiB), which keeps what a smaller cache would: give the local cache more than memory, or less --managed-memory',
  ]);
  // Equal sizes count as no larger.
  assert.equal(localCacheNotes(summary({ cache: 53 * MiB })).length, 1);
});

test('`file` below the mean SST size says so, from the levels\' files and bytes', () => {
  const notes = localCacheNotes(summary({ policy: 'file', cache: 30 * MiB, memory: 427 * MiB }));
  assert.equal(notes.length, 2);
  // (64 + 64 + 60) / 3 MiB = 62.67 MiB.
  assert.match(notes[0]!, /^note: the local cache \(30 MiB\) is smaller than the store's SST files \(62\.7 MiB on average\): `file` keeps whole files/);
  assert.match(notes[1]!, /memory block cache \(427 MiB\)/);
  // A cache that holds a mean file and more than memory: nothing to explain by size.
  assert.deepEqual(localCacheNotes(summary({ policy: 'file', cache: 512 * MiB, memory: 427 * MiB })), []);
  // Block-level policies keep blocks, whatever the files' size.
  assert.equal(localCacheNotes(summary({ policy: 'block', cache: 30 * MiB, memory: 16 * MiB })).length, 0);
});

test('no note where the local cache served a read, saw none, or is not there', () => {
  assert.deepEqual(localCacheNotes(summary({ localHits: 1 })), []);
  assert.deepEqual(localCacheNotes(summary({ dfs: 0 })), []);
  assert.deepEqual(localCacheNotes(summary({ policy: 'none' })), []);
  assert.deepEqual(localCacheNotes(summary({ placement: 'local' })), []);
});

test('run prints the note under a store whose memory keeps what its local cache would, and none with less memory', () => {
  const run = (memory: string) => spawnSync(process.execPath, ['bin/tiersim.mjs', 'run', '--workload', 'ycsb-b', '--param', 'recordCount=200000',
    '--ops', '50000', '--warmup', '20000', '--policy', 'block', '--cache-size', '16MiB', '--managed-memory', memory], { encoding: 'utf8' });
  const big = run('64MiB');
  assert.equal(big.status, 0, big.stderr);
  assert.match(big.stdout, /local 0\.000/);
  assert.match(big.stdout, /note: the local cache \(16 MiB\) is no larger than the memory block cache \(53\.3 MiB\)/);
  // With 8 MiB of managed memory the same 16 MiB cache serves reads, and no note is printed.
  const small = run('8MiB');
  assert.equal(small.status, 0, small.stderr);
  assert.doesNotMatch(small.stdout, /local 0\.000/);
  assert.doesNotMatch(small.stdout, /note:/);
});

test('checkpoints and a restore asked for past the run\'s end get a note each; those that happened get none', () => {
  // WordCount without a load: 100,000 operations take about a third of a simulated second.
  const base = { workload: 'wordcount', workloadParams: { uniqueWords: 200_000 }, ops: 100_000, cacheSize: '64MiB', seed: 2 };
  const late = runConfig.parse({ ...base, checkpointEverySeconds: 2, restoreAtSeconds: 5 });
  const s = simulate(late, () => 0).summary;
  const seconds = s.simulatedSeconds as number;
  assert.ok(seconds < 2, `the run lasts ${seconds} s`);
  assert.equal(s.checkpoint, undefined);
  assert.equal(s.restore, undefined);
  const notes = lifecycleNotes(s, late);
  assert.equal(notes.length, 2);
  assert.match(notes[0]!, new RegExp(`^note: no checkpoint was taken: the measured run lasted ${seconds.toFixed(2)} simulated s, less than --checkpoint-every 2`));
  assert.match(notes[1]!, /^note: no failure and restore: .* less than --restore-at 5/);

  // Inside the run: both happen, and nothing is said.
  const inside = runConfig.parse({ ...base, checkpointEverySeconds: seconds / 4, restoreAtSeconds: seconds / 2 });
  const t = simulate(inside, () => 0).summary;
  assert.ok((t.checkpoint as { count: number }).count >= 1);
  assert.notEqual(t.restore, undefined);
  assert.deepEqual(lifecycleNotes(t, inside), []);
  // Nothing asked, nothing said.
  assert.deepEqual(lifecycleNotes(s, runConfig.parse(base)), []);
});
