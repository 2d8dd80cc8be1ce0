/**
 * The grids shipped in scripts/grids: each expands to valid, uniquely named cells, and
 * the Nexmark memory grid is what docs/adaptive.md says it is — the evaluation
 * matrix's Nexmark cells with less managed memory and nothing else changed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { runConfig } from '../../scripts/lib/config.ts';
import { loadGrid } from '../../scripts/lib/sweep.ts';

const DIR = 'scripts/grids';

test('every shipped grid expands to valid cells with unique ids', () => {
  const files = readdirSync(DIR).filter((f) => f.endsWith('.yaml'));
  assert.ok(files.length >= 4, files.join(', '));
  for (const f of files) {
    const { cells } = loadGrid(`${DIR}/${f}`);
    assert.ok(cells.length > 0, f);
    assert.equal(new Set(cells.map((c) => c.id)).size, cells.length, `${f}: ids repeat`);
    for (const c of cells) runConfig.parse(c.config);
  }
});

test('the Nexmark memory grid is the matrix\'s Nexmark cells with 4 MiB of managed memory instead of 16', () => {
  const MiB = 2 ** 20;
  const key = (c: { labels: Record<string, unknown> }) => JSON.stringify(c.labels);
  const matrix = loadGrid(`${DIR}/adaptive.yaml`).cells.filter((c) => String(c.labels.workload).startsWith('nexmark-'));
  const memory = loadGrid(`${DIR}/adaptive-nexmark-memory.yaml`).cells;
  assert.equal(memory.length, matrix.length);
  const byLabels = new Map(matrix.map((c) => [key(c), c]));
  for (const c of memory) {
    const m = byLabels.get(key(c));
    assert.ok(m, `no matrix cell for ${key(c)}`);
    const a = runConfig.parse(c.config) as Record<string, unknown>;
    const b = runConfig.parse(m.config) as Record<string, unknown>;
    assert.equal(a.managedMemory, 4 * MiB);
    assert.equal(b.managedMemory, 16 * MiB);
    assert.deepEqual({ ...a, managedMemory: 0 }, { ...b, managedMemory: 0 });
  }
});
