/**
 * Replay with spatial sampling (--sample): the miss ratio of a 10% hashed sample of
 * the objects, cache scaled by 10%, against the full replay (itself checked against
 * libCacheSim's table in replay.test.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { replayTrace } from '../../scripts/replay.ts';
import { writeZipfTrace } from '../../scripts/bench/zipf-trace.ts';

const CLOUD = join(import.meta.dirname, '..', '..', '..', 'shared', 'traces', 'cloudPhysicsIO.oracleGeneral.bin');

function compare(trace: string, sizes: string[], tolerance: number) {
  const policies = ['lru', 's3fifo'];
  const full = replayTrace({ trace, policies, sizes });
  const sampled = replayTrace({ trace, policies, sizes, sample: 0.1 });
  assert.ok(sampled.requests < full.requests * 0.2, `the sample replays ${sampled.requests} of ${full.requests} requests`);
  full.rows.forEach((f, i) => {
    const s = sampled.rows[i]!;
    assert.equal(s.cacheSizeBytes, Math.floor(f.cacheSizeBytes * 0.1));
    assert.ok(Math.abs(s.missRatio - f.missRatio) <= tolerance, `${f.policy} ${f.size}: sampled ${s.missRatio} vs full ${f.missRatio}`);
  });
}

test('a 10% sample of a zipfian trace: miss ratios within 0.01 of the full replay', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tiersim-sample-'));
  try {
    const trace = join(dir, 'z.oracleGeneral.bin');
    writeZipfTrace(trace, 2_000_000, 200_000, 4096, 1);
    compare(trace, [String(20_000 * 4096), String(2_000 * 4096)], 0.01);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a 10% sample of the cloudPhysics trace: miss ratios within 0.02 of the full replay', () => {
  compare(CLOUD, ['64MiB', '256MiB'], 0.02);
});

test('--sample outside (0, 1] is refused', () => {
  assert.throws(() => replayTrace({ trace: CLOUD, policies: ['lru'], sizes: ['1MiB'], sample: 0 }), /--sample: 0 must be in \(0, 1\]/);
});
