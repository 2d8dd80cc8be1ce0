import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { processTempDir } from '../../scripts/lib/temp-dir.ts';
import { tempDir } from '../temp-dir.ts';

test('a process temp dir is named by its process, and removes those of its prefix whose process ended', () => {
  const root = tempDir('process-temp-dir');
  const saved = process.env.TMPDIR;
  process.env.TMPDIR = root;
  try {
    const ended = spawnSync(process.execPath, ['-e', '']).pid!; // a process that has exited
    const stale = `tiersim-x-${ended}-abc123`;
    const live = `tiersim-x-${process.ppid}-abc123`; // the test runner: still running
    const otherPrefix = `tiersim-y-${ended}-abc123`;
    const notOurs = 'tiersim-x-abc123'; // no pid in its name
    for (const name of [stale, live, otherPrefix, notOurs]) {
      mkdirSync(join(root, name));
      writeFileSync(join(root, name, 'f'), 'x');
    }
    const made = processTempDir('tiersim-x-');
    assert.match(made, new RegExp(`/tiersim-x-${process.pid}-\\w+$`));
    assert.ok(existsSync(made));
    assert.deepEqual(readdirSync(root).sort(), [live, notOurs, otherPrefix, made.slice(root.length + 1)].sort());
  } finally {
    if (saved === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = saved;
  }
});
