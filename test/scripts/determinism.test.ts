/**
 * Determinism: the same config run twice through the command line writes the same
 * summary.json byte for byte, once the wall-time fields are taken out; the timeline too.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const cli = join(import.meta.dirname, '..', '..', 'bin', 'tiersim.mjs');
const WALL = /^\s*"(wallSeconds|simulatedOpsPerWallSecond)": .*\n/gm;

test('tiersim run twice with one config: summary.json identical byte for byte but for wall time', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tiersim-det-'));
  try {
    const args = ['run', '--workload', 'ycsb-a', '--param', 'recordCount=30000', '--ops', '40000', '--exec', 'async',
      '--managed-memory', '8MiB', '--cache-size', '16MiB', '--checkpoint-every', '1', '--restore-at', '2', '--seed', '7'];
    const read = (name: string) => {
      const r = spawnSync(process.execPath, [cli, ...args, '--out', join(dir, name)], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      return {
        summary: readFileSync(join(dir, name, 'summary.json'), 'utf8'),
        timeline: readFileSync(join(dir, name, 'timeline.csv'), 'utf8'),
      };
    };
    const a = read('a');
    const b = read('b');
    assert.match(a.summary, /"wallSeconds"/);
    assert.equal(a.summary.replace(WALL, ''), b.summary.replace(WALL, ''));
    assert.equal(a.timeline, b.timeline);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
