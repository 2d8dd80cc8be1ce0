/**
 * The text readers' fast paths (csv and txt: plain numbers read in one pass over the
 * chunk) read every trace as the line-by-line path does: the same requests, or the
 * same error naming the same line. The reference is the same reader with its fast
 * path off.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { InputError } from '../../sim/errors.ts';
import { newBatch, type TraceBatch } from '../../workloads/traces/batch.ts';
import { CsvReader, parseCsvOptions } from '../../workloads/traces/csv.ts';
import { TxtReader } from '../../workloads/traces/txt.ts';
import { RocksDbBlockCsvReader } from '../../workloads/traces/rocksdb-block-csv.ts';
import type { TextLineReader } from '../../workloads/traces/text-lines.ts';

class LineByLineCsv extends CsvReader {
  protected override readFast(_batch: TraceBatch, n: number): number {
    return n;
  }
}

class LineByLineRocksDb extends RocksDbBlockCsvReader {
  protected override readFast(_batch: TraceBatch, n: number): number {
    return n;
  }
}

class LineByLineTxt extends TxtReader {
  protected override readFast(_batch: TraceBatch, n: number): number {
    return n;
  }
}

interface Read { requests: number[][]; error?: string }

function readWith(make: () => TextLineReader, capacity: number): Read {
  const requests: number[][] = [];
  let reader: TextLineReader | undefined;
  try {
    reader = make();
    const batch = newBatch(capacity);
    while (reader.read(batch) > 0) {
      const noInsert = reader instanceof RocksDbBlockCsvReader ? reader.noInsert : undefined;
      for (let i = 0; i < batch.n; i++) {
        requests.push([batch.id[i]!, batch.size[i]!, batch.time[i]!, reader.hasNextAccess ? batch.nextAccess[i]! : -1, noInsert ? noInsert[i]! : -1]);
      }
    }
    if (reader instanceof RocksDbBlockCsvReader) requests.push([reader.noInsertRequests]);
    return { requests };
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    return { requests, error: err.message };
  } finally {
    reader?.close();
  }
}

function bothPaths(path: string, mapping: string, capacity: number): { fast: Read; slow: Read } {
  const options = parseCsvOptions(mapping);
  return {
    fast: readWith(() => new CsvReader(path, options), capacity),
    slow: readWith(() => new LineByLineCsv(path, options), capacity),
  };
}

// Fields: mostly plain numbers, sometimes what the fast path must leave alone.
const field = fc.oneof(
  { weight: 12, arbitrary: fc.integer({ min: 0, max: 10 ** 9 }).map(String) },
  { weight: 2, arbitrary: fc.bigInt({ min: 10n ** 14n, max: 10n ** 18n }).map(String) }, // 15-19 digits
  { weight: 1, arbitrary: fc.constantFrom('', ' 7', '7 ', '"42"', '-3', '1.5', '0x1f', 'abc', '12a', '\r', '"1,2"') },
);
const ending = fc.constantFrom('\n', '\n', '\n', '\r\n');
const line = (columns: number) => fc.oneof(
  { weight: 20, arbitrary: fc.tuple(fc.array(field, { minLength: columns, maxLength: columns }), ending).map(([f, e]) => f.join(',') + e) },
  { weight: 1, arbitrary: fc.tuple(fc.array(field, { minLength: 1, maxLength: columns + 1 }), ending).map(([f, e]) => f.join(',') + e) },
  { weight: 1, arbitrary: fc.constantFrom('\n', '  \n', '\r\n') },
  // One field short, with a quoted delimiter: split inside the quotes, it has the right count.
  { weight: 2, arbitrary: fc.tuple(fc.array(field, { minLength: Math.max(0, columns - 2), maxLength: Math.max(0, columns - 2) }), fc.nat(Math.max(0, columns - 2)), ending)
    .map(([f, at, e]) => [...f.slice(0, at), '"8,9"', ...f.slice(at)].join(',') + e) },
);
const trace = fc.integer({ min: 1, max: 5 }).chain((columns) => fc.record({
  columns: fc.constant(columns),
  header: fc.boolean(),
  lines: fc.array(line(columns), { minLength: 1, maxLength: 40 }),
  last: fc.boolean(), // whether the last line keeps its line break
  capacity: fc.integer({ min: 1, max: 9 }),
  mapping: fc.shuffledSubarray([1, 2, 3, 4].filter((c) => c <= columns), { minLength: 1, maxLength: Math.min(4, columns) }),
}));

test('fast path and line-by-line path read every csv alike (property)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tiersim-csv-fast-'));
  try {
    const path = join(dir, 't.csv');
    let runs = 0;
    let fastLines = 0;
    fc.assert(fc.property(trace, (t) => {
      let text = (t.header ? Array.from({ length: t.columns }, (_, i) => `col${i}`).join(',') + '\n' : '') + t.lines.join('');
      if (!t.last) text = text.replace(/\r?\n$/, '');
      writeFileSync(path, text);
      const keys = ['obj-id-col', 'obj-size-col', 'time-col', 'next-access-col'];
      const mapping = t.mapping.map((col, i) => `${keys[i]}=${col}`).join(',') + `,has-header=${t.header},delimiter=,`;
      const { fast, slow } = bothPaths(path, mapping, t.capacity);
      assert.deepEqual(fast, slow);
      runs++;
      if (fast.requests.length > 0) fastLines++;
    }), { numRuns: 400, seed: 7 });
    assert.ok(fastLines > runs / 3, `only ${fastLines} of ${runs} traces had requests`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('fast path across chunk boundaries: a 3 MB trace with odd lines among plain ones', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tiersim-csv-fast-'));
  try {
    const path = join(dir, 'big.csv');
    const lines: string[] = ['time,id,size,next'];
    let x = 12345;
    const rand = () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0);
    for (let i = 0; i < 150_000; i++) {
      const r = rand() % 100;
      if (r === 0) lines.push(`${i},"${rand()}",4096,-1`); // quoted id
      else if (r === 1) lines.push(''); // blank
      else if (r === 2) lines.push(`${i}.5,${rand()},512,${i + 9}`); // fractional time
      else lines.push(`${i},${rand()},${rand() % 65536},${r < 10 ? -1 : i + r}`); // -1: no next access
    }
    writeFileSync(path, lines.join('\r\n') + '\r\n');
    const mapping = 'time-col=1,obj-id-col=2,obj-size-col=3,next-access-col=4';
    const { fast, slow } = bothPaths(path, mapping, 8192);
    assert.equal(slow.error, undefined);
    assert.equal(slow.requests.length, 150_000 - lines.filter((l) => l === '').length);
    assert.deepEqual(fast, slow);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// txt lines: an id, maybe separators and a size, maybe more; sometimes odd.
const txtToken = fc.oneof(
  { weight: 10, arbitrary: fc.integer({ min: 0, max: 10 ** 9 }).map(String) },
  { weight: 1, arbitrary: fc.bigInt({ min: 10n ** 14n, max: 10n ** 18n }).map(String) },
  { weight: 1, arbitrary: fc.constantFrom('0x1f', '-3', '1.5', 'abc', '12a', '', '\r') },
);
const separators = fc.stringMatching(/^[ \t,]{1,3}$/);
const txtLine = fc.oneof(
  { weight: 8, arbitrary: fc.tuple(fc.constantFrom('', '', '', ' ', '\t'), fc.array(fc.tuple(txtToken, separators), { minLength: 1, maxLength: 3 }), fc.boolean(), ending)
    .map(([lead, parts, trailing, e]) => lead + parts.map(([tok, sep], i) => tok + (i < parts.length - 1 || trailing ? sep : '')).join('') + e) },
  { weight: 1, arbitrary: fc.constantFrom('\n', '  \n', '\r\n', '\t\n') },
);

test('txt: fast path and line-by-line path read every trace alike (property)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tiersim-txt-fast-'));
  try {
    const path = join(dir, 't.txt');
    let withRequests = 0;
    fc.assert(fc.property(fc.array(txtLine, { minLength: 1, maxLength: 40 }), fc.boolean(), fc.integer({ min: 1, max: 9 }), (lines, last, capacity) => {
      let text = lines.join('');
      if (!last) text = text.replace(/\r?\n$/, '');
      writeFileSync(path, text);
      const fast = readWith(() => new TxtReader(path), capacity);
      const slow = readWith(() => new LineByLineTxt(path), capacity);
      assert.deepEqual(fast, slow);
      if (fast.requests.length > 0) withRequests++;
    }), { numRuns: 400, seed: 11 });
    assert.ok(withRequests > 100, `only ${withRequests} traces had requests`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('txt: fast path across chunk boundaries, 3 MB', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tiersim-txt-fast-'));
  try {
    const path = join(dir, 'big.txt');
    const lines: string[] = [];
    let x = 99;
    const rand = () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0);
    for (let i = 0; i < 250_000; i++) {
      const r = rand() % 100;
      if (r === 0) lines.push(`0x${rand().toString(16)} 512`); // hex id
      else if (r === 1) lines.push(''); // blank
      else if (r < 40) lines.push(String(rand())); // id alone
      else lines.push(`${rand()}${r < 70 ? ' ' : ','}${rand() % 65536}`);
    }
    writeFileSync(path, lines.join('\n') + '\n');
    const fast = readWith(() => new TxtReader(path), 8192);
    const slow = readWith(() => new LineByLineTxt(path), 8192);
    assert.equal(slow.error, undefined);
    assert.equal(slow.requests.length, 250_000 - lines.filter((l) => l === '').length);
    assert.deepEqual(fast, slow);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// RocksDB's human-readable block-cache trace: 21 fields, all digits but cf_name.
const digitsField = fc.oneof(
  { weight: 20, arbitrary: fc.integer({ min: 0, max: 10 ** 9 }).map(String) },
  { weight: 1, arbitrary: fc.bigInt({ min: 10n ** 14n, max: 10n ** 19n }).map(String) }, // 15-20 digits
);
const oddField = fc.constantFrom('', 'x', '-1', '1.5', ' 3', '007', '2', '01');
const validLine = fc.tuple(fc.array(digitsField, { minLength: 21, maxLength: 21 }), fc.stringMatching(/^[a-z0-9_ ]{0,8}$/), fc.constantFrom('0', '1'))
  .map(([f, cf, ni]) => { f[5] = cf; f[9] = ni; return f; });
const rocksDbLine = fc.oneof(
  { weight: 20, arbitrary: fc.tuple(validLine, ending).map(([f, e]) => f.join(',') + e) },
  { weight: 2, arbitrary: fc.tuple(validLine, fc.nat(20), oddField, ending).map(([f, at, odd, e]) => { f[at] = odd; return f.join(',') + e; }) },
  // A field short or over: 20 or 22 fields that would read well otherwise.
  { weight: 1, arbitrary: fc.tuple(validLine, fc.boolean(), ending).map(([f, short, e]) => (short ? f.slice(0, 20) : [...f, '7']).join(',') + e) },
  { weight: 1, arbitrary: fc.constantFrom('\n', '  \n', '\r\n') },
);

test('rocksdb-block-csv: fast path and line-by-line path read every trace alike (property)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tiersim-rocksdb-fast-'));
  try {
    const path = join(dir, 't.csv');
    let withRequests = 0;
    fc.assert(fc.property(fc.boolean(), fc.array(rocksDbLine, { minLength: 1, maxLength: 30 }), fc.boolean(), fc.integer({ min: 1, max: 9 }), (header, lines, last, capacity) => {
      let text = (header ? 'timestamp,block_id\n' : '') + lines.join('');
      if (!last) text = text.replace(/\r?\n$/, '');
      writeFileSync(path, text);
      const fast = readWith(() => new RocksDbBlockCsvReader(path), capacity);
      const slow = readWith(() => new LineByLineRocksDb(path), capacity);
      assert.deepEqual(fast, slow);
      if (fast.requests.length > 1) withRequests++;
    }), { numRuns: 400, seed: 13 });
    assert.ok(withRequests > 100, `only ${withRequests} traces had requests`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('rocksdb-block-csv: fast path across chunk boundaries, 3 MB', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tiersim-rocksdb-fast-'));
  try {
    const path = join(dir, 'big.csv');
    const lines: string[] = [];
    let x = 5;
    const rand = () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0);
    for (let i = 0; i < 40_000; i++) {
      const r = rand() % 100;
      if (r === 0) lines.push(''); // blank
      else {
        const cf = r === 1 ? '' : 'default';
        lines.push([1600000000000000 + i * 10, rand() % 500000, 9, 4096 + (rand() % 100), 0, cf, rand() % 7, 0, 1, rand() % 50 === 0 ? 1 : 0, i, i, 1000, rand() % 2, 1, 4, rand() % 300, 0, 30, 25, rand()].join(','));
      }
    }
    writeFileSync(path, lines.join('\n') + '\n');
    const fast = readWith(() => new RocksDbBlockCsvReader(path), 8192);
    const slow = readWith(() => new LineByLineRocksDb(path), 8192);
    assert.equal(slow.error, undefined);
    assert.equal(slow.requests.length, 40_000 - lines.filter((l) => l === '').length + 1);
    assert.deepEqual(fast, slow);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
