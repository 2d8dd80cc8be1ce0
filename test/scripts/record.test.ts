/** `tiersim run --record` writes a state-access trace that `--workload trace` replays to the same run. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../temp-dir.ts';

function tiersim(...args: string[]) {
  return spawnSync(process.execPath, ['bin/tiersim.mjs', ...args], { encoding: 'utf8' });
}

for (const ext of ['csv', 'jsonl']) {
  test(`record to .${ext}, replay: same state operations, same results`, () => {
    const dir = tempDir('rec');
    const trace = join(dir, `t.${ext}`);
    const a = tiersim('run', '--workload', 'kv', '--keys', '5000', '--ops', '20000', '--write-ratio', '0.3', '--record', trace, '--json');
    assert.equal(a.status, 0, a.stderr);
    const b = tiersim('run', '--workload', 'trace', '--param', `trace=${trace}`, '--ops', '20000', '--json');
    assert.equal(b.status, 0, b.stderr);
    const sa = JSON.parse(a.stdout);
    const sb = JSON.parse(b.stdout);
    for (const k of ['ops', 'records', 'simulatedSeconds', 'hitRatio', 'dfs', 'latencyUs', 'lsm']) assert.deepEqual(sb[k], sa[k], k);
  });
}

test('--record to an unwritable path fails before the run, exit 2', () => {
  // A path below a regular file cannot be created, even by root.
  const dir = tempDir('rec');
  const file = join(dir, 'plain');
  writeFileSync(file, 'x');
  const r = tiersim('run', '--workload', 'kv', '--keys', '1000', '--ops', '1000', '--record', join(file, 't.csv'));
  assert.equal(r.status, 2, r.stderr);
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  assert.match(r.stderr, /cannot write the trace/);
  assert.equal(r.stdout, '', 'no run happened');
});
