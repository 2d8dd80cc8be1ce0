/**
 * Trace readers: the shared cloudPhysicsIO trace in three formats, streaming across
 * chunk and batch boundaries, wide ids, the csv mapping, and malformed input.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { InputError } from '../../sim/errors.ts';
import { newBatch, type TraceReader } from '../../workloads/traces/batch.ts';
import { parseCsvOptions } from '../../workloads/traces/csv.ts';
import { FileChunks } from '../../workloads/traces/file-chunks.ts';
import { openTrace } from '../../workloads/traces/formats.ts';
import { VscsiReader } from '../../workloads/traces/vscsi.ts';
import { tempDir } from '../temp-dir.ts';

const SHARED = '../shared/traces/cloudPhysicsIO';
const CSV_MAPPING = 'time-col=2,obj-id-col=5,obj-size-col=4,has-header=true,delimiter=,';
const dir = tempDir('traces');

function readAll(reader: TraceReader, batchSize = 4096) {
  const batch = newBatch(batchSize);
  const time: number[] = [];
  const id: number[] = [];
  const size: number[] = [];
  const next: number[] = [];
  while (reader.read(batch) > 0) {
    for (let i = 0; i < batch.n; i++) {
      time.push(batch.time[i]!);
      id.push(batch.id[i]!);
      size.push(batch.size[i]!);
      next.push(batch.nextAccess[i]!);
    }
  }
  reader.close();
  return { time, id, size, next };
}

function file(name: string, data: string | Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, data);
  return path;
}

/** Throws an InputError whose message matches `re`. */
function rejects(fn: () => unknown, re: RegExp) {
  assert.throws(fn, (e: unknown) => e instanceof InputError && re.test(e.message) && !e.message.includes('\n'));
}

const og = readAll(openTrace(`${SHARED}.oracleGeneral.bin`, 'oracleGeneral'), 1000);

test('oracleGeneral: 113,872 records of {time, id, size, next access}', () => {
  assert.equal(og.id.length, 113872);
  assert.deepEqual([og.time[0], og.id[0], og.size[0], og.next[0]], [5633898, 42932745, 512, Infinity]);
  // next_access_vtime is the next request to the same object (counted from 0 in batches).
  const expected = og.id.map(() => Infinity);
  const last = new Map<number, number>();
  og.id.forEach((id, i) => {
    const j = last.get(id);
    if (j !== undefined) expected[j] = i;
    last.set(id, i);
  });
  assert.deepEqual(og.next, expected);
});

test('vscsi (v1, 32-byte records) and csv give the same requests: id = lbn, size = length', () => {
  const vscsiReader = openTrace(`${SHARED}.vscsi`, 'vscsi');
  assert.equal((vscsiReader as VscsiReader).version, 1);
  const vs = readAll(vscsiReader, 777);
  const csv = readAll(openTrace(`${SHARED}.csv`, 'csv', { csv: CSV_MAPPING }), 333);
  assert.equal(vs.id.length, 113872);
  assert.equal(csv.id.length, 113872);
  assert.deepEqual(vs.id, og.id);
  assert.deepEqual(csv.id, og.id);
  assert.deepEqual(vs.size, csv.size);
  assert.deepEqual(vs.time, og.time);
  assert.deepEqual(csv.time, og.time);
  // The oracleGeneral file was written by libCacheSim's traceConv with remove_size_change:
  // every request of an object carries the size of the object's first request.
  const first = new Map<number, number>();
  vs.id.forEach((id, i) => { if (!first.has(id)) first.set(id, vs.size[i]!); });
  assert.deepEqual(og.size, og.id.map((id) => first.get(id)));
  assert.ok(vs.size.some((s, i) => s !== og.size[i]), 'raw vscsi sizes change between requests');
});

test('vscsi v2 (40-byte records) is detected from the version byte', () => {
  const rec = (lbn: number, len: number, ts: number) => {
    const b = Buffer.alloc(40);
    b.writeUInt16LE(0x2a, 0); // cmd
    b.writeUInt16LE(0x0200, 2); // ver: version 2 in the high byte
    b.writeUInt32LE(len, 8);
    b.writeBigUInt64LE(BigInt(lbn), 16);
    b.writeBigUInt64LE(BigInt(ts), 24);
    return b;
  };
  const path = file('v2.vscsi', Buffer.concat([rec(7, 4096, 3_000_000), rec(9, 512, 4_500_000), rec(7, 4096, 5_000_000)]));
  const reader = openTrace(path, 'vscsi');
  assert.equal((reader as VscsiReader).version, 2);
  const r = readAll(reader);
  assert.deepEqual(r.id, [7, 9, 7]);
  assert.deepEqual(r.size, [4096, 512, 4096]);
  assert.deepEqual(r.time, [3, 4, 5]);
  rejects(() => openTrace(file('junk.vscsi', Buffer.alloc(64, 0xff)), 'vscsi'), /junk\.vscsi record 1: not a vscsi trace/);
});

test('u64 ids above 2^53 map to distinct numbers, the same every time; smaller ids stay exact', () => {
  const ids = [2n ** 53n - 1n, 2n ** 53n, 2n ** 53n + 1n, 2n ** 64n - 1n, 2n ** 63n, 2n ** 63n + 1n, 12345n];
  const b = Buffer.alloc(24 * ids.length);
  ids.forEach((id, i) => {
    b.writeUInt32LE(i, i * 24);
    b.writeBigUInt64LE(id, i * 24 + 4);
    b.writeUInt32LE(100, i * 24 + 12);
    b.writeBigInt64LE(-1n, i * 24 + 16);
  });
  const path = file('wide.oracleGeneral.bin', b);
  const a = readAll(openTrace(path));
  const again = readAll(openTrace(path));
  assert.deepEqual(a.id, again.id);
  assert.equal(new Set(a.id).size, ids.length);
  assert.equal(a.id[0], 2 ** 53 - 1);
  assert.equal(a.id[6], 12345);
  for (const id of a.id) assert.ok(Number.isSafeInteger(id) && id >= 0);
  // The same wide id written in decimal in a csv maps to the same number.
  const csv = readAll(openTrace(file('wide.csv', `id\n${ids.map(String).join('\n')}\n`), 'csv', { csv: 'obj-id-col=1' }));
  assert.deepEqual(csv.id, a.id);
});

test('csv options: libCacheSim keys, delimiter=, at the end, tab, errors', () => {
  assert.deepEqual(parseCsvOptions(CSV_MAPPING), {
    timeCol: 2, objIdCol: 5, objSizeCol: 4, nextAccessCol: 0, hasHeader: true, delimiter: ',', objIdIsNum: true,
  });
  assert.equal(parseCsvOptions('delimiter=,,obj_id_col=1').delimiter, ',');
  assert.equal(parseCsvOptions('obj-id-col=1,delimiter=\\t').delimiter, '\t');
  assert.equal(parseCsvOptions('obj-id-col=1,delimiter=tab,header=false').hasHeader, false);
  assert.equal(parseCsvOptions('obj-id-col=1, delimiter=;').delimiter, ';');
  rejects(() => parseCsvOptions('obj-id-col=0'), /^--csv: obj-id-col=0 is not a column number/);
  rejects(() => parseCsvOptions('obj-id=3'), /^--csv: unknown key 'obj-id'/);
  rejects(() => parseCsvOptions('has-header=maybe,obj-id-col=1'), /is not true or false/);
});

test('csv: detected delimiter and header, quotes, CRLF, blank lines, default size 1, string ids', () => {
  const path = file('small.csv', 'ts|key|bytes\r\n1|"10"|100\r\n\r\n2| 11 |200\r\n3|10|100');
  const r = readAll(openTrace(path, 'csv', { csv: 'obj-id-col=2,obj-size-col=3,time-col=1' }));
  assert.deepEqual(r.id, [10, 11, 10]);
  assert.deepEqual(r.size, [100, 200, 100]);
  assert.deepEqual(r.time, [1, 2, 3]);
  const noSize = readAll(openTrace(path, 'csv', { csv: 'obj-id-col=2' }));
  assert.deepEqual(noSize.size, [1, 1, 1]);
  const keys = readAll(openTrace(file('keys.csv', 'a,user1\nb,user2\nc,user1\n'), 'csv', { csv: 'obj-id-col=2,obj-id-is-num=false,has-header=false' }));
  assert.equal(keys.id.length, 3);
  assert.equal(keys.id[0], keys.id[2]);
  assert.notEqual(keys.id[0], keys.id[1]);
  const next = readAll(openTrace(file('next.csv', '1,5,2\n2,6,-1\n3,5,-1\n'), 'csv', { csv: 'obj-id-col=2,next-access-col=3' }));
  assert.deepEqual(next.next, [2, Infinity, Infinity]);
});

test('txt: an id per line, optionally a size', () => {
  const r = readAll(openTrace(file('ids.txt', '5\n6 4096\n\n7,512\n0x10\n')));
  assert.deepEqual(r.id, [5, 6, 7, 16]);
  assert.deepEqual(r.size, [1, 4096, 512, 1]);
  rejects(() => readAll(openTrace(file('bad.txt', '5\n6 4k\n'))), /bad\.txt line 2: obj-size '4k' is not a number/);
  rejects(() => readAll(openTrace(file('bad2.txt', '5\nabc\n'))), /bad2\.txt line 2: obj-id 'abc' is not a number/);
  rejects(() => readAll(openTrace(file('bad3.txt', '5 1 2\n'))), /bad3\.txt line 1: line '5 1 2' has more than an id and a size/);
});

test('a csv with very long lines streams through the chunk buffer', () => {
  const pad = 'x'.repeat(3 << 20); // one line longer than a chunk
  const path = file('long.csv', `id,pad,size\n1,${pad},10\n2,y,20\n`);
  const r = readAll(openTrace(path, 'csv', { csv: 'obj-id-col=1,obj-size-col=3' }));
  assert.deepEqual(r.id, [1, 2]);
  assert.deepEqual(r.size, [10, 20]);
});

test('malformed input: one line naming the file and the record or line', () => {
  const og3 = Buffer.alloc(24 * 3 + 10);
  rejects(() => openTrace(file('cut.oracleGeneral.bin', og3)), /^.*cut\.oracleGeneral\.bin record 4: truncated \(10 of 24 bytes\)$/);
  rejects(() => openTrace(file('cut.vscsi', Buffer.concat([Buffer.from('f40000800002000001000000', 'hex'), Buffer.from([0x2a, 0, 0, 1]), Buffer.alloc(16), Buffer.alloc(20)]))), /cut\.vscsi record 2: truncated \(20 of 32 bytes\)/);

  const lines = ['version,time,op,size,lbn'];
  for (let i = 0; i < 20; i++) lines.push(`1,${100 + i},2a,${i === 15 ? 'abc' : 512},${1000 + i}`);
  const bad = file('trace.csv', `${lines.join('\n')}\n`);
  rejects(() => readAll(openTrace(bad, 'csv', { csv: CSV_MAPPING })), /^.*trace\.csv line 17: obj-size 'abc' is not a number$/);

  const cols = file('cols.csv', 'a,b,c\n1,2,3\n4,5\n');
  rejects(() => readAll(openTrace(cols, 'csv', { csv: 'obj-id-col=1' })), /cols\.csv line 3: 2 fields, expected 3/);
  rejects(() => openTrace(cols, 'csv', { csv: 'obj-id-col=4' }), /cols\.csv: --csv obj-id-col=4 but the trace has 3 columns/);
  rejects(() => openTrace(cols, 'csv'), /obj-id-col is required/);

  for (const [name, format] of [['empty.bin', 'oracleGeneral'], ['empty.vscsi', 'vscsi'], ['empty.csv', 'csv'], ['empty.txt', 'txt']] as const) {
    rejects(() => readAll(openTrace(file(name, ''), format, { csv: 'obj-id-col=1' })), new RegExp(`${name.replace('.', '\\.')}: empty trace`));
  }
  rejects(() => readAll(openTrace(file('header-only.csv', 'id,size\n'), 'csv', { csv: 'obj-id-col=1,has-header=true' })), /header-only\.csv: empty trace/);
  rejects(() => openTrace(`${SHARED}.csv`, 'parquet'), /^--format: unknown trace format 'parquet' \(known: oracleGeneral, vscsi, csv, txt, rocksdb-block-csv, cachelib-kvcache, cachelib-block\)$/);
  rejects(() => openTrace(join(dir, 'missing.bin')), /missing\.bin: cannot open trace \(no such file\)/);
  rejects(() => openTrace(file('trace.dat', 'x')), /cannot tell the trace format/);
});

// Compressed traces. The zstd fixtures were written by the zstd command-line tool
// (the oracleGeneral one as two frames: records 1-2500 and 2501-5000); the gzip files
// here by node:zlib. Either must read as the same requests as the shared trace itself.
const FIXTURES = 'test/fixtures/traces';

test('compressed traces: zstd (two frames) and gzip (two members) read as the plain file, in every format', () => {
  const head = (r: ReturnType<typeof readAll>, n: number) => ({ time: r.time.slice(0, n), id: r.id.slice(0, n), size: r.size.slice(0, n) });
  // zstd, format from the name before `.zst`.
  const z = readAll(openTrace(`${FIXTURES}/cloudPhysicsIO-5000.oracleGeneral.bin.zst`), 333);
  assert.equal(z.id.length, 5000);
  assert.deepEqual({ ...head(z, 5000), next: z.next }, { ...head(og, 5000), next: og.next.slice(0, 5000) });
  const plainCsv = readAll(openTrace(`${SHARED}.csv`, 'csv', { csv: CSV_MAPPING }));
  const plainVscsi = readAll(openTrace(`${SHARED}.vscsi`, 'vscsi'));
  const csv = readAll(openTrace(`${FIXTURES}/cloudPhysicsIO-2000.csv.zst`, undefined, { csv: CSV_MAPPING }));
  assert.equal(csv.id.length, 2000);
  assert.deepEqual(head(csv, 2000), head(plainCsv, 2000));

  // gzip, the whole trace in two members cut at a record boundary, each format.
  const gz = (name: string, bytes: Buffer, cut: number) => file(name, Buffer.concat([gzipSync(bytes.subarray(0, cut)), gzipSync(bytes.subarray(cut))]));
  const ogBytes = readFileSync(`${SHARED}.oracleGeneral.bin`);
  const vscsiBytes = readFileSync(`${SHARED}.vscsi`);
  const csvBytes = readFileSync(`${SHARED}.csv`);
  const fromGz = [
    readAll(openTrace(gz('t.oracleGeneral.bin.gz', ogBytes, 24 * 70_001)), 4096),
    readAll(openTrace(gz('t.vscsi.gz', vscsiBytes, vscsiBytes.length / 2)), 4096),
    readAll(openTrace(gz('t.csv.gz', csvBytes, csvBytes.indexOf('\n', 1_000_000) + 1), undefined, { csv: CSV_MAPPING }), 4096),
  ];
  [og, plainVscsi, plainCsv].forEach((plain, i) => assert.deepEqual(head(fromGz[i]!, 113_872), head(plain, 113_872)));
  assert.equal(fromGz[2]!.id.length, 113_872);
  // A gzip member that ends mid-record: the reader's buffer joins the two.
  assert.deepEqual(head(readAll(openTrace(gz('odd.oracleGeneral.bin.gz', ogBytes, 24 * 1000 + 7))), 113_872), head(og, 113_872));

  // Rewinding starts the decompression again.
  const reader = openTrace(`${FIXTURES}/cloudPhysicsIO-5000.oracleGeneral.bin.zst`);
  const batch = newBatch(4096);
  reader.read(batch);
  reader.rewind();
  assert.deepEqual(head(readAll(reader), 5000), head(og, 5000));
});

test('compressed traces: a cut or damaged file is one error naming it, never fewer requests', () => {
  const zst = readFileSync(`${FIXTURES}/cloudPhysicsIO-5000.oracleGeneral.bin.zst`);
  rejects(() => readAll(openTrace(file('cut.oracleGeneral.bin.zst', zst.subarray(0, zst.length - 100)))), /cut\.oracleGeneral\.bin\.zst: not valid zstd data/);
  const ogBytes = readFileSync(`${SHARED}.oracleGeneral.bin`).subarray(0, 24 * 5000);
  const whole = gzipSync(ogBytes);
  // Cut inside the deflate stream, or only the 8-byte trailer gone (every record is there, the end is not).
  rejects(() => readAll(openTrace(file('cut.oracleGeneral.bin.gz', whole.subarray(0, whole.length >> 1)))), /cut\.oracleGeneral\.bin\.gz: (not valid gzip data|gzip data cut short)/);
  rejects(() => readAll(openTrace(file('notrailer.oracleGeneral.bin.gz', whole.subarray(0, whole.length - 8)))), /notrailer\.oracleGeneral\.bin\.gz: gzip data cut short or corrupt/);
  const badSize = Buffer.from(whole);
  badSize.writeUInt32LE(24 * 4999, badSize.length - 4);
  rejects(() => readAll(openTrace(file('badsize.oracleGeneral.bin.gz', badSize))), /badsize\.oracleGeneral\.bin\.gz: gzip data cut short or corrupt \(its last member decompressed to 120000 bytes; its trailer says 119976\)/);
  // Whole streams whose contents are wrong, as for plain files.
  rejects(() => readAll(openTrace(file('odd.oracleGeneral.bin.gz', gzipSync(ogBytes.subarray(0, 24 * 10 + 5))))), /odd\.oracleGeneral\.bin\.gz record 11: truncated \(5 of 24 bytes\)/);
  rejects(() => readAll(openTrace(file('empty.oracleGeneral.bin.gz', gzipSync(Buffer.alloc(0))))), /empty\.oracleGeneral\.bin\.gz: empty trace/);
  rejects(() => readAll(openTrace(file('empty.csv.gz', gzipSync(Buffer.alloc(0))), undefined, { csv: 'obj-id-col=1' })), /empty\.csv\.gz: empty trace/);
});

test('compressed traces: the file read in small pieces, frames and blocks across them, gives the plain bytes', () => {
  const plain = readFileSync(`${SHARED}.oracleGeneral.bin`).subarray(0, 24 * 5000);
  const gz = file('pieces.gz', Buffer.concat([gzipSync(plain.subarray(0, 77_777)), gzipSync(plain.subarray(77_777))]));
  for (const path of [`${FIXTURES}/cloudPhysicsIO-5000.oracleGeneral.bin.zst`, gz]) {
    for (const pieceBytes of [1, 13, 1000]) {
      const f = new FileChunks(path, 4096, pieceBytes);
      const out: Buffer[] = [];
      while (f.fill()) {
        out.push(Buffer.from(f.buf.subarray(f.start, f.end)));
        f.start = f.end;
      }
      f.close();
      assert.ok(Buffer.concat(out).equals(plain), `${path} in pieces of ${pieceBytes} bytes`);
    }
  }
});
