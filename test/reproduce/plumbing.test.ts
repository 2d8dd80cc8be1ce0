import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { reproduce, reproduceMarkdown, selectRows, writeReproduction, CSV_COLUMNS, type ReproducedRow, type RunFigures } from '../../scripts/reproduce/run.ts';
import { ROWS } from '../../scripts/reproduce/rows.ts';

test('every row has a published value inside its own band, a source and a unique id', () => {
  assert.equal(new Set(ROWS.map((r) => r.id)).size, ROWS.length);
  for (const r of ROWS) {
    assert.ok(r.band[0] <= r.published && r.published <= r.band[1], r.id);
    assert.ok(r.source.length > 0 && r.claim.length > 0 && r.note.length > 0, r.id);
  }
  assert.throws(() => selectRows('latency-nvme,nope'), /unknown row nope/);
});

test('reproduce --only the per-read latency rows: PVLDB Table 1 within 10%, and the CSV has the published columns', async () => {
  const rows = await reproduce({ rows: selectRows('latency-nvme,latency-hdfs,latency-oss'), workers: 1 });
  const published = { 'latency-nvme': 68, 'latency-hdfs': 1500, 'latency-oss': 23000 } as Record<string, number>;
  for (const r of rows) {
    assert.ok(Math.abs(r.simulated - published[r.id]!) <= 0.1 * published[r.id]!, `${r.id}: ${r.simulated}`);
    assert.equal(r.within, true);
  }
  const out = mkdtempSync(join(tmpdir(), 'tiersim-reproduce-'));
  try {
    await writeReproduction(out, rows);
    const csv = readFileSync(join(out, 'reproduce.csv'), 'utf8');
    assert.equal(csv.split('\n')[0], CSV_COLUMNS.join(','));
    const parsed = parse(csv, { columns: true }) as Record<string, string>[];
    assert.deepEqual(parsed.map((p) => p.id), ['latency-nvme', 'latency-hdfs', 'latency-oss']);
    assert.ok(parsed.every((p) => p.within === 'yes'));
    assert.match(readFileSync(join(out, 'reproduce.md'), 'utf8'), /\| latency-hdfs \|/);
    assert.ok(readFileSync(join(out, 'charts', 'reproduce.svg'), 'utf8').includes('<svg'));
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test('reproduce.md lists every simulation behind the rows once, with its records/s, hit ratios and DFS reads', () => {
  const row = (id: string, runs: RunFigures[]): ReproducedRow => ({
    id, claim: 'c', source: 's', published: 1, simulated: 1, unit: 'x', ratio: 1, band: '0–2 x', bandLow: 0, bandHigh: 2, within: true, note: 'n', runs,
  });
  const a = { run: 'local/nexmark-q7', recordsPerSecond: 127857.4, memoryHit: 0.98, localHit: 1, dfsReads: 0 };
  const b = { run: 'asyncNoCache/nexmark-q7', recordsPerSecond: 73818, memoryHit: 0.97, localHit: 0, dfsReads: 12345 };
  const md = reproduceMarkdown([row('r1', [b, a]), row('r2', [a]), row('latency', [])]);
  const table = md.split('\n').filter((l) => l.startsWith('| local/') || l.startsWith('| asyncNoCache/'));
  assert.deepEqual(table, ['| asyncNoCache/nexmark-q7 | 73,818 | 0.970 | 0.000 | 12,345 |', '| local/nexmark-q7 | 127,857 | 0.980 | 1.000 | 0 |']);
  assert.equal(reproduceMarkdown([row('latency', [])]).includes('simulations behind'), false, 'no runs, no table');
});
