/**
 * Atomic outputs: a run killed while it writes leaves no file under a final name —
 * only hidden temporaries, which are never read — and a run that finishes leaves
 * every file whole.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const cli = join(import.meta.dirname, '..', '..', 'bin', 'tiersim.mjs');

function run(args: string[], killWhen?: () => boolean): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { stdio: 'ignore' });
    const poll = killWhen && setInterval(() => { if (killWhen()) child.kill('SIGKILL'); }, 50);
    child.on('exit', (code) => { if (poll) clearInterval(poll); resolve(code); });
  });
}

test('SIGKILL while recording a trace and before the summary: no visible output file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tiersim-crash-'));
  try {
    const out = join(dir, 'run');
    const hidden = () => (existsSync(out) ? readdirSync(out).filter((n) => n.startsWith('.')) : []);
    // Killed as soon as the trace's temporary has data: mid-write, long before the end.
    const size = (n: string) => { try { return statSync(join(out, n)).size; } catch { return 0; } };
    const writing = () => hidden().some((n) => n.endsWith('trace.csv') && size(n) > 0);
    const code = await run(['run', '--workload', 'kv', '--keys', '100000', '--ops', '50000000', '--record', join(out, 'trace.csv'), '--out', out], writing);
    assert.equal(code, null, 'the run was killed, not finished');
    assert.ok(hidden().length > 0, 'the kill landed while a temporary was being written');
    assert.deepEqual(readdirSync(out).filter((n) => !n.startsWith('.')), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a finished run leaves its files whole', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tiersim-crash-'));
  try {
    const out = join(dir, 'run');
    assert.equal(await run(['run', '--workload', 'kv', '--keys', '20000', '--ops', '20000', '--out', out]), 0);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    assert.equal(summary.ops, 20000);
    assert.deepEqual(readdirSync(out).filter((n) => n.startsWith('.')), [], 'no temporaries left');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
