/**
 * Every case of the bad-input corpus (cases.ts) through the real command line: exit
 * status 2, exactly its one expected line on stderr, no stack trace, nothing written.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { CASES, type BadInput } from './cases.ts';

const cli = join(import.meta.dirname, '..', '..', 'bin', 'tiersim.mjs');

function runCase(c: BadInput, dir: string): Promise<{ status: number | null; stderr: string; stdout: string }> {
  for (const [name, data] of Object.entries(c.files ?? {})) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), data);
  }
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...c.args], { cwd: dir, env: { ...process.env, CI: 'true' } });
    let stderr = '';
    let stdout = '';
    child.stderr.on('data', (d) => { stderr += d; });
    child.stdout.on('data', (d) => { stdout += d; });
    child.on('close', (status) => resolve({ status, stderr, stdout }));
  });
}

test(`the corpus has at least 40 cases with unique names`, () => {
  assert.ok(CASES.length >= 40, `${CASES.length} cases`);
  assert.equal(new Set(CASES.map((c) => c.name)).size, CASES.length);
});

test('every bad input: exit 2, its one-line message, no stack trace, no output left', async () => {
  const root = mkdtempSync(join(tmpdir(), 'tiersim-bad-'));
  const failures: string[] = [];
  try {
    // Four at a time: each case is a node process start.
    for (let i = 0; i < CASES.length; i += 4) {
      await Promise.all(CASES.slice(i, i + 4).map(async (c, k) => {
        const dir = join(root, String(i + k));
        mkdirSync(dir);
        const r = await runCase(c, dir);
        const problems: string[] = [];
        if (r.status !== 2) problems.push(`exit ${r.status}`);
        if (r.stderr !== `tiersim: ${c.expected}\n`) problems.push(`stderr ${JSON.stringify(r.stderr)}`);
        if (/\n\s+at /.test(r.stderr + r.stdout)) problems.push('a stack trace');
        const out = join(dir, 'out');
        if (existsSync(out) && readdirSync(out).length > 0) problems.push(`left ${readdirSync(out).join(', ')}`);
        if (problems.length) failures.push(`${c.name}: ${problems.join('; ')}`);
      }));
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  assert.deepEqual(failures, []);
});
