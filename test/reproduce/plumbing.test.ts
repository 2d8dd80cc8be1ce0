import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { reproduce, selectRows, writeReproduction, CSV_COLUMNS } from '../../scripts/reproduce/run.ts';
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
