/**
 * `tiersim bench --only hot-paths-replay`: the vscsi, csv, txt and RocksDB copies of
 * the bench trace read back, through tiersim's own readers, as the requests the
 * oracleGeneral reader finds in the original; and the section times every online
 * eviction algorithm of the registry and every format it writes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EVICTION_ALGORITHMS } from '../../policies/eviction/registry.ts';
import { newBatch } from '../../workloads/traces/batch.ts';
import { openTrace } from '../../workloads/traces/formats.ts';
import { csvText, hotPathsReplaySection, rocksDbBlockCsvText, txtText, vscsiBytes } from '../../scripts/bench/hot-paths-replay.ts';
import { zipfTraceBytes } from '../../scripts/bench/zipf-trace.ts';

function readAll(path: string, format: string, csv?: string): { ids: number[]; sizes: number[]; times: number[] } {
  const reader = openTrace(path, format, csv === undefined ? {} : { csv });
  const batch = newBatch(1000);
  const ids: number[] = [];
  const sizes: number[] = [];
  const times: number[] = [];
  while (reader.read(batch) > 0) {
    for (let i = 0; i < batch.n; i++) {
      ids.push(batch.id[i]!);
      sizes.push(batch.size[i]!);
      times.push(batch.time[i]!);
    }
  }
  reader.close();
  return { ids, sizes, times };
}

test('the vscsi, csv, txt and RocksDB copies hold the oracleGeneral trace\'s requests', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tiersim-hot-replay-'));
  try {
    const og = join(dir, 't.oracleGeneral.bin');
    writeFileSync(og, zipfTraceBytes(5000, 700, 4096, 2));
    const want = readAll(og, 'oracleGeneral');
    const ids = Float64Array.from(want.ids);
    const sizes = Float64Array.from(want.sizes);
    const vscsi = join(dir, 't.vscsi');
    writeFileSync(vscsi, vscsiBytes(ids, sizes));
    const csv = join(dir, 't.csv');
    writeFileSync(csv, csvText(ids, sizes));
    for (const got of [readAll(vscsi, 'vscsi'), readAll(csv, 'csv', 'time-col=1,obj-id-col=2,obj-size-col=3,has-header=false,delimiter=,')]) {
      assert.deepEqual(got.ids, want.ids);
      assert.deepEqual(got.sizes, want.sizes);
      assert.deepEqual(got.times, want.times); // a thousand requests per second of trace time
    }
    const txt = join(dir, 't.txt');
    writeFileSync(txt, txtText(ids, sizes));
    const fromTxt = readAll(txt, 'txt');
    assert.deepEqual(fromTxt.ids, want.ids);
    assert.deepEqual(fromTxt.sizes, want.sizes);
    const rocksdb = join(dir, 't.rocksdb.csv');
    writeFileSync(rocksdb, rocksDbBlockCsvText(ids, sizes));
    const fromRocksDb = readAll(rocksdb, 'rocksdb-block-csv');
    assert.deepEqual(fromRocksDb.ids, want.ids);
    assert.deepEqual(fromRocksDb.sizes, want.sizes);
    assert.deepEqual(fromRocksDb.times.map((t) => Math.floor((t - 1_600_000_000_000_000) / 1e6)), want.times); // µs
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the section times each online eviction algorithm and each format', async () => {
  const figures = await hotPathsReplaySection.run({ quick: true });
  const online = Object.keys(EVICTION_ALGORITHMS).filter((name) => name !== 'belady');
  for (const name of online) {
    const f = figures.find((x) => x.name.startsWith(`eviction ${name}: `));
    assert.ok(f, `no figure for ${name}`);
    assert.ok(f.value > 0 && f.value < 1e5, `${name}: ${f.value} ns`);
  }
  assert.ok(!figures.some((x) => x.name.startsWith('eviction belady')), 'belady needs next-access times; it has no online access');
  for (const format of ['oracleGeneral', 'oracleGeneral.gz', 'vscsi', 'csv', 'txt', 'rocksdb-block-csv']) {
    const f = figures.find((x) => x.name.startsWith(`trace parsing, ${format} `));
    assert.ok(f && f.value > 0 && f.value < 1e5, `${format}: ${f?.value}`);
  }
});
