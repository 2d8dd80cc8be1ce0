/** The oracleGeneral writer: what it writes, the reader reads back, next-access times included. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { InputError } from '../../sim/errors.ts';
import { newBatch } from '../../workloads/traces/batch.ts';
import { OracleGeneralReader } from '../../workloads/traces/oracle-general.ts';
import { OracleGeneralWriter } from '../../workloads/traces/oracle-general-writer.ts';
import { tempDir } from '../temp-dir.ts';

const dir = tempDir('ogw');

function readBack(path: string) {
  const reader = new OracleGeneralReader(path);
  const batch = newBatch(777);
  const rows: [number, number, number, number][] = [];
  while (reader.read(batch) > 0) for (let i = 0; i < batch.n; i++) rows.push([batch.time[i]!, batch.id[i]!, batch.size[i]!, batch.nextAccess[i]!]);
  reader.close();
  return rows;
}

/** The definition: the index of the next request to the same id, Infinity if none. */
function nextAccess(ids: number[]): number[] {
  return ids.map((id, i) => {
    const j = ids.indexOf(id, i + 1);
    return j < 0 ? Infinity : j;
  });
}

test('requests written are read back with each next access, ids beyond 2^32 exact', () => {
  fc.assert(fc.property(
    fc.array(fc.tuple(fc.nat(30), fc.nat(4096)), { minLength: 1, maxLength: 300 }),
    (reqs) => {
      const path = join(dir, 'p.oracleGeneral.bin');
      const w = new OracleGeneralWriter(path);
      // Ids from a few, some past 2^32 (block ids: file · 2^21 + block).
      const idOf = (k: number) => (k % 3 === 0 ? 123_456_789 * 2 ** 21 + k : k);
      reqs.forEach(([k, size], i) => w.record(i / 7, idOf(k), size));
      w.close();
      const ids = reqs.map(([k]) => idOf(k));
      assert.deepEqual(readBack(path), reqs.map(([, size], i) => [Math.floor(i / 7), ids[i]!, size, nextAccess(ids)[i]!]));
    },
  ), { numRuns: 60 });
});

test('a trace longer than one chunk: next accesses across chunks', () => {
  const path = join(dir, 'long.oracleGeneral.bin');
  const w = new OracleGeneralWriter(path);
  const n = 100_000; // more than two 43,690-record chunks
  const ids: number[] = [];
  for (let i = 0; i < n; i++) ids.push((i * 7919) % 1000);
  ids.forEach((id, i) => w.record(i, id, 4096));
  w.close();
  assert.equal(w.records, n);
  const rows = readBack(path);
  assert.equal(rows.length, n);
  // Each id recurs every 1000 requests (7919 is prime to 1000).
  rows.forEach(([, id, , next], i) => {
    assert.equal(id, ids[i]);
    assert.equal(next, i + 1000 < n ? i + 1000 : Infinity);
  });
});

test('the file appears only when closed; abort leaves nothing; names and paths checked', () => {
  const sub = mkdtempSync(join(dir, 'atomic-'));
  const path = join(sub, 'a.oracleGeneral.bin');
  const w = new OracleGeneralWriter(path);
  w.record(0, 1, 10);
  assert.equal(existsSync(path), false);
  w.close();
  assert.equal(existsSync(path), true);
  const aborted = new OracleGeneralWriter(join(sub, 'b.oracleGeneral.bin'));
  aborted.record(0, 1, 10);
  aborted.abort();
  assert.deepEqual(readdirSync(sub), ['a.oracleGeneral.bin']);
  for (const name of ['t.csv', 't.oracleGeneral.bin.zst', 't.bin.gz']) {
    assert.throws(() => new OracleGeneralWriter(join(sub, name)), (e: unknown) => e instanceof InputError && /plain oracleGeneral/.test(e.message));
  }
  assert.throws(() => new OracleGeneralWriter(join(path, 'x.oracleGeneral.bin')), (e: unknown) => e instanceof InputError && /cannot write the trace/.test(e.message));
});
