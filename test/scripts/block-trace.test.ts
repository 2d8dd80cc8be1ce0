/**
 * `tiersim run --block-trace`: the block reads of a store run as an oracleGeneral trace,
 * which the replay reads; on a read-only run the local tier's trace replayed through
 * the same algorithm at the same size gives the block cache's own hit count.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { replayTrace } from '../../scripts/replay.ts';
import { tempDir } from '../temp-dir.ts';

const dir = tempDir('btrace');

function tiersim(...args: string[]) {
  return spawnSync(process.execPath, ['bin/tiersim.mjs', ...args], { encoding: 'utf8' });
}

// YCSB-C (reads only, so no file is written or deleted during the run) on a small store
// with a 4 MiB local block cache (LRU) in front of HDFS.
const config = join(dir, 'c.json');
writeFileSync(config, JSON.stringify({
  workload: 'ycsb-c', workloadParams: { recordCount: 20_000 }, ops: 20_000, warmupOps: 0,
  policy: 'block', cacheSize: '4MiB', managedMemory: '2MiB', policyOptions: { eviction: 'lru' },
  store: { writeBufferSize: '1MiB', targetFileSize: '1MiB', levelBase: '4MiB' },
}));

test('run --block-trace: every block read (memory) or those that missed memory (local), as the summary counts them', () => {
  const memory = join(dir, 'memory.oracleGeneral.bin');
  const local = join(dir, 'local.oracleGeneral.bin');
  const a = tiersim('run', '--config', config, '--block-trace', memory, '--json');
  assert.equal(a.status, 0, a.stderr);
  const b = tiersim('run', '--config', config, '--block-trace', local, '--block-trace-tier', 'local', '--json');
  assert.equal(b.status, 0, b.stderr);
  const summary = JSON.parse(a.stdout);
  assert.deepEqual(JSON.parse(b.stdout).blockReads, summary.blockReads, 'recording does not change the run');
  const reads = summary.blockReads;
  assert.ok(reads.localHits > 100 && reads.dfs > 100, JSON.stringify(reads));
  assert.match(a.stderr, new RegExp(`wrote ${reads.total} block reads to `));

  const mem = replayTrace({ trace: memory, policies: ['lru'], sizes: ['1GiB'] });
  assert.equal(mem.requests, reads.total);
  const lru = replayTrace({ trace: local, policies: ['lru', 'belady'], sizes: ['4MiB'] });
  assert.equal(lru.requests, reads.localHits + reads.dfs);
  // The local block cache is this LRU, fed this stream (blocks admitted on every miss).
  assert.equal(lru.rows[0]!.misses, reads.dfs);
  assert.ok(lru.rows[1]!.misses < reads.dfs, 'Belady, reading the next-access times, misses less');
});

test('run --block-trace: bad uses are one error line and no run', () => {
  const cases: [string[], RegExp][] = [
    [['--block-trace', join(dir, 't.csv')], /plain oracleGeneral/],
    [['--block-trace-tier', 'local'], /--block-trace-tier: give --block-trace too/],
    [['--block-trace', join(dir, 's.oracleGeneral.bin'), '--slots', '2'], /--block-trace: records one slot's block reads; run with --slots 1/],
  ];
  for (const [args, re] of cases) {
    const r = tiersim('run', '--config', config, ...args);
    assert.equal(r.status, 2, r.stderr);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, re);
    assert.equal(r.stdout, '');
  }
});
