/**
 * `tiersim bench --out DIR`: bench.json holds the figures and the host they were
 * measured on, and the table printed says the same host first. The host is checked
 * against the operating system's own account (/proc/cpuinfo on Linux).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism, totalmem } from 'node:os';
import { join } from 'node:path';
import { tiersim } from '../reports/fixtures.ts';
import { tempDir } from '../temp-dir.ts';

test('bench --out writes the figures with the host they ran on, and prints the host first', () => {
  const dir = tempDir('bench-out');
  const r = tiersim('bench', '--quick', '--only', 'memory', '--out', dir);
  assert.equal(r.status, 0, r.stderr);
  const written = JSON.parse(readFileSync(join(dir, 'bench.json'), 'utf8'));
  assert.deepEqual(Object.keys(written), ['host', 'figures']);
  const { host, figures } = written;
  assert.ok(figures.length > 0);
  for (const f of figures) for (const key of ['name', 'value', 'unit', 'target', 'meets']) assert.ok(key in f, `${f.name}: ${key}`);
  assert.equal(host.cores, availableParallelism());
  assert.equal(host.memoryBytes, totalmem());
  assert.equal(host.node, process.version);
  assert.ok(Math.abs(Date.now() - Date.parse(host.startedAt)) < 10 * 60_000, host.startedAt);
  if (existsSync('/proc/cpuinfo')) {
    const model = /^model name\s*:\s*(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (model) assert.equal(host.cpu, model[1]!.trim());
  }
  const first = r.stdout.split('\n')[0]!;
  assert.match(first, /^host: /);
  assert.ok(first.includes(host.cpu) && first.includes(`${host.cores} cores`) && first.includes(host.node), first);
});
