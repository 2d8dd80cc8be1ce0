import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ZipfianKeys } from '../../sim/key-choosers.ts';
import { newBatch } from '../../workloads/traces/batch.ts';
import { openTrace } from '../../workloads/traces/formats.ts';
import { writeZipfTrace } from '../../scripts/bench/zipf-trace.ts';

test('the bench trace reads back as oracleGeneral with zipfian shares of the top objects', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tiersim-zipf-'));
  try {
    const path = join(dir, 'z.oracleGeneral.bin');
    writeZipfTrace(path, 200_000, 1000, 4096, 3);
    const reader = openTrace(path);
    const counts = new Map<number, number>();
    const batch = newBatch(4096);
    let n = 0;
    while (reader.read(batch) > 0) {
      for (let i = 0; i < batch.n; i++) {
        assert.equal(batch.size[i], 4096);
        counts.set(batch.id[i]!, (counts.get(batch.id[i]!) ?? 0) + 1);
      }
      n += batch.n;
    }
    reader.close();
    assert.equal(n, 200_000);
    const z = new ZipfianKeys(1000, 0.99);
    for (const rank of [0, 1, 9]) {
      const share = (counts.get(rank + 1) ?? 0) / n;
      assert.ok(Math.abs(share - z.probability(rank)) < 0.05 * z.probability(rank) + 0.001, `rank ${rank}: ${share} vs ${z.probability(rank)}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
