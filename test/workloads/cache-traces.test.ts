/**
 * Readers for recorded cache-level traces: RocksDB's human-readable block-cache trace,
 * CacheLib's kvcache and block (chunk) traces. Hand-written fixtures in
 * test/fixtures/traces/ with LRU miss ratios worked out by hand at a tiny cache size;
 * batches cut anywhere; format sniffing; malformed input.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../../sim/errors.ts';
import { newBatch, type TraceReader } from '../../workloads/traces/batch.ts';
import { CacheLibBlockReader, CacheLibKvcacheReader } from '../../workloads/traces/cachelib.ts';
import { openTrace } from '../../workloads/traces/formats.ts';
import { RocksDbBlockCsvReader } from '../../workloads/traces/rocksdb-block-csv.ts';
import { replayTrace } from '../../scripts/replay.ts';
import { tempDir } from '../temp-dir.ts';

const FIX = 'test/fixtures/traces';
const ROCKSDB = `${FIX}/rocksdb-block.csv`;
const KVCACHE = `${FIX}/cachelib-kvcache.csv`;
const BLOCK = `${FIX}/cachelib-block.csv`;
const dir = tempDir('cache-traces');

function readAll(reader: TraceReader, batchSize = 4096) {
  const batch = newBatch(batchSize);
  const time: number[] = [];
  const id: number[] = [];
  const size: number[] = [];
  const noInsert: number[] = [];
  while (reader.read(batch) > 0) {
    for (let i = 0; i < batch.n; i++) {
      time.push(batch.time[i]!);
      id.push(batch.id[i]!);
      size.push(batch.size[i]!);
      if (reader instanceof RocksDbBlockCsvReader) noInsert.push(reader.noInsert[i]!);
    }
  }
  return { time, id, size, noInsert };
}

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function rejects(fn: () => unknown, re: RegExp) {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof InputError, `not an InputError: ${String(e)}`);
    assert.match(e.message, re);
    assert.ok(!e.message.includes('\n'));
    return true;
  });
}

const lru = (trace: string, size: number, format?: string) =>
  replayTrace({ trace, ...(format ? { format } : {}), policies: ['lru'], sizes: [String(size)] });

// ---- RocksDB

test('rocksdb-block-csv: 21 fields per line, id = block_id, size = block_size, time = timestamp (µs), no_insert exposed', () => {
  const reader = openTrace(ROCKSDB, 'rocksdb-block-csv') as RocksDbBlockCsvReader;
  assert.equal(reader.hasNoInsert, true);
  const r = readAll(reader, 7);
  assert.deepEqual(r.id, [1, 2, 3, 1, 4, 2, 5, 1, 2, 3, 4, 5, 1, 1, 2, 6, 6, 7, 1, 2, 3, 2, 1, 7, 8, 9, 1, 2, 8, 9]);
  assert.ok(r.size.every((s) => s === 4096));
  assert.deepEqual(r.time.slice(0, 3), [1700000000000000, 1700000000000010, 1700000000000020]);
  // The two compaction reads (caller 10) have no_insert = 1: requests 6 and 25.
  assert.deepEqual(r.noInsert.flatMap((f, i) => (f ? [i + 1] : [])), [6, 25]);
  assert.equal(reader.noInsertRequests, 2);
  reader.close();
});

test('rocksdb-block-csv: LRU with room for 3 blocks misses 23 of 30, honouring no_insert as RocksDB\'s cache simulator does', () => {
  // Cache of 3 blocks (12288 bytes). A no_insert lookup that misses inserts nothing
  // (RocksDB's CacheSimulator::Access): block 2 at request 6 is not inserted, so block
  // 1 survives to hit at 8; block 8 at 25 is not inserted, so block 1 hits at 27;
  // block 2 at 9 then misses. Hits 4, 8, 14, 17, 22, 23, 27: 23 / 30. (Admitting every
  // miss, the hits would be 4, 9, 14, 17, 22, 23: 24 / 30.)
  const report = lru(ROCKSDB, 12288); // the format sniffed from the first line
  assert.equal(report.requests, 30);
  assert.equal(report.noInsertRequests, 2);
  assert.equal(report.rows[0]!.misses, 23);
  // The same with a batch boundary between every request, and sampled at rate 1.
  assert.equal(replayTrace({ trace: ROCKSDB, policies: ['lru'], sizes: ['12288'], batchSize: 1 }).rows[0]!.misses, 23);
  assert.equal(replayTrace({ trace: ROCKSDB, policies: ['lru'], sizes: ['12288'], sample: 1 }).rows[0]!.misses, 23);
  // Belady finds and inserts the same way.
  const opt = replayTrace({ trace: ROCKSDB, policies: ['belady', 'lru'], sizes: ['12288'] });
  assert.ok(opt.rows[0]!.misses <= 23);
});

test('rocksdb-block-csv: no_insert flags stay with their requests when zero-size requests are dropped', () => {
  // timestamp, block_id, block_type, block_size, cf_id, cf_name, level, fd, caller, no_insert, ... (21 fields)
  const line = (t: number, block: number, size: number, noInsert: number) =>
    `${t},${block},9,${size},0,default,0,1,1,${noInsert},0,0,0,0,0,0,0,0,0,0,0`;
  const trace = file('zero.rocksdb.csv', [line(1, 1, 0, 0), line(2, 2, 10, 1), line(3, 2, 10, 0), line(4, 2, 10, 0)].join('\n') + '\n');
  // Block 1 has no bytes (skipped); block 2 misses as a lookup only, misses and is inserted, then hits.
  const r = replayTrace({ trace, format: 'rocksdb-block-csv', policies: ['lru'], sizes: ['100'] });
  assert.deepEqual([r.requests, r.skippedZeroSize, r.noInsertRequests, r.rows[0]!.misses], [3, 1, 1, 2]);
});

test('rocksdb-block-csv: malformed lines', () => {
  const good = '1700000000000000,1,9,4096,0,default,1,11,1,0,1,101,120,0,1,37,4,0,24,32,4096';
  const cases: [string, string, RegExp][] = [
    ['rdb-empty.csv', '', /rdb-empty\.csv: empty trace/],
    ['rdb-cols.csv', `${good}\n1700000000000010,2,9,4096,0,default,1,12,1,0,2,102,120,0,1,37,5,0,24,32\n`, /rdb-cols\.csv line 2: 20 fields, expected 21/],
    ['rdb-cols2.csv', `${good},7\n`, /line 1: 22 fields, expected 21/],
    ['rdb-size.csv', good.replace(',4096,0,default', ',4k,0,default'), /rdb-size\.csv line 1: block_size '4k' is not an unsigned integer/],
    ['rdb-time.csv', good.replace('1700000000000000', '-5'), /line 1: timestamp '-5' is not an unsigned integer/],
    ['rdb-noins.csv', good.replace(',1,0,1,101', ',1,2,1,101'), /line 1: no_insert '2' is not 0 or 1/],
    ['rdb-emptyfield.csv', good.replace(',37,', ',,'), /line 1: num_keys_in_block '' is empty/],
  ];
  for (const [name, text, re] of cases) rejects(() => readAll(openTrace(file(name, text), 'rocksdb-block-csv')), re);
  // A header line (RocksDB writes none, people add one) is skipped; cf_name may be any text.
  const header = file('rdb-header.csv', `timestamp,block_id,x\n${good.replace('default', 'my cf')}\n`);
  assert.deepEqual(readAll(openTrace(header, 'rocksdb-block-csv')).id, [1]);
});

// ---- CacheLib kvcache

test('cachelib-kvcache: op_count repeats a request, DELETE lines are skipped, keys hashed to ids', () => {
  const reader = openTrace(KVCACHE) as CacheLibKvcacheReader; // sniffed: a .csv with a kvcache header
  assert.equal(reader.format, 'cachelib-kvcache');
  const r = readAll(reader, 5); // op_count runs cross batch boundaries
  assert.equal(r.id.length, 29, '31 op_count in 24 lines, minus 2 DELETE lines of op_count 1');
  assert.equal(reader.deletes, 2);
  // Line 2 is `GET a54f88ab02ece24d` with op_count 2: requests 2 and 3, the same id.
  assert.equal(r.id[1], r.id[2]);
  assert.notEqual(r.id[0], r.id[1]);
  assert.equal(new Set(r.id).size, 6, 'six keys');
  assert.deepEqual(r.time.slice(0, 4), [604038471, 604038471, 604038471, 604038471]);
  // The GET of unknown size (0) for key 0f0f...: two requests of size 0.
  assert.equal(r.size.filter((s) => s === 0).length, 2);
  reader.close();
});

test('cachelib-kvcache: LRU with room for 3 values misses 19 of 27', () => {
  // Values of 100 bytes, cache 300. The requests, op_count expanded, size-0 ones
  // skipped: A B B C A D D D B E A A C D B A E C C D B A E B D D C. Hits by hand: the
  // second B, the second A, the 2nd and 3rd D, the 12th (A), the second C of its
  // pair, the B after E at 24, the D at 26: 8 hits, 19 misses of 27.
  const report = lru(KVCACHE, 300, 'cachelib-kvcache');
  assert.equal(report.requests, 27);
  assert.equal(report.skippedZeroSize, 2);
  assert.equal(report.rows[0]!.misses, 19);
  assert.equal(report.rows[0]!.missRatio.toFixed(4), (19 / 27).toFixed(4));
});

test('cachelib-kvcache: the older header key,op,size,op_count,key_size; a trailing comma', () => {
  const path = file('kv-v1.csv', 'key,op,size,op_count,key_size\n1668757755,SET,82,1,40\n1668757755,GET,82,3,40,\n1665497896,GET,169,1,78\n');
  const r = readAll(openTrace(path, 'cachelib-kvcache'));
  assert.equal(r.id.length, 5);
  assert.deepEqual(r.size, [82, 82, 82, 82, 169]);
  assert.deepEqual(r.time, [0, 0, 0, 0, 0]);
});

test('cachelib-kvcache: malformed input', () => {
  const H = 'op_time,key,key_size,op,op_count,size,cache_hits,ttl\n';
  const cases: [string, string, RegExp][] = [
    ['kv-empty.csv', '', /kv-empty\.csv: empty trace/],
    ['kv-header-only.csv', H, /kv-header-only\.csv: empty trace \(no requests\)/],
    ['kv-deletes.csv', `${H}1,k,3,DELETE,1,0,0,0\n`, /empty trace \(no requests; 1 DELETE line skipped\)/],
    ['kv-noheader.csv', '1,k,3,GET,1,5,1,0\n', /kv-noheader\.csv line 1: not a CacheLib kvcache trace: the first line must be a header/],
    ['kv-missing.csv', 'op_time,key,op\n1,k,GET\n', /line 1: the header has no size column/],
    ['kv-cols.csv', `${H}1,k,3,GET,1,5,1,0\n1,k,3,GET,1,5\n`, /kv-cols\.csv line 3: 6 fields, expected 8 like the header/],
    ['kv-size.csv', `${H}1,k,3,GET,1,big,1,0\n`, /kv-size\.csv line 2: size 'big' is not a number/],
    ['kv-count.csv', `${H}1,k,3,GET,0,5,1,0\n`, /line 2: op_count '0' is not a whole number >= 1/],
    ['kv-op.csv', `${H}1,k,3,SAT,1,5,1,0\n`, /line 2: op 'SAT' is not GET, GET_LEASE, SET, SET_LEASE or DELETE/],
    ['kv-time.csv', `${H}x,k,3,GET,1,5,1,0\n`, /line 2: op_time 'x' is not a number/],
    ['kv-key.csv', `${H}1,,3,GET,1,5,1,0\n`, /line 2: key '' is empty/],
  ];
  for (const [name, text, re] of cases) rejects(() => readAll(openTrace(file(name, text), 'cachelib-kvcache')), re);
});

test('cachelib-kvcache: op names are matched whole, in capitals, each as cachebench takes it', () => {
  const H = 'op_time,key,key_size,op,op_count,size,cache_hits,ttl\n';
  const ops: [string, number][] = [['GET', 1], ['GET_LEASE', 1], ['SET', 1], ['SET_LEASE', 1], ['DELETE', 0]];
  const lines = ops.map(([op], i) => `${i},k${i},2,${op},1,${10 + i},0,0`).join('\n');
  const r = readAll(openTrace(file('kv-ops.csv', `${H}${lines}\n`), 'cachelib-kvcache'));
  assert.deepEqual(r.size, [10, 11, 12, 13]); // DELETE skipped
  for (const bad of ['GE', 'GETS', 'get', 'SET_LEAS', 'SET_LEASES', 'DELETED', 'GET LEASE', 'DEL']) {
    rejects(() => readAll(openTrace(file('kv-bad-op.csv', `${H}1,k,1,${bad},1,5,0,0\n`), 'cachelib-kvcache')), new RegExp(`op '${bad}' is not GET`));
  }
});

// ---- CacheLib block

test('cachelib-block: a byte range is one request per 128 KiB chunk of its 16 MiB block; shards are blocks of their own', () => {
  const reader = openTrace(BLOCK) as CacheLibBlockReader;
  assert.equal(reader.format, 'cachelib-block');
  const r = readAll(reader, 2);
  assert.equal(r.id.length, 24);
  assert.ok(r.size.every((s) => s === 131072));
  assert.equal(reader.outOfBlock, 1, 'line 8 ends past the end of the block');
  assert.equal(reader.reads, 16);
  assert.equal(reader.writes, 3);
  // Line 2 reads [100000, 200000): chunks 0 and 1 of block 12ce..._004; chunk 0 is line 1's.
  assert.equal(r.id[1], r.id[0]);
  assert.notEqual(r.id[2], r.id[1]);
  // Line 5 is block 12ce... of shard 5: not the shard 4 block.
  assert.notEqual(r.id[4], r.id[0]);
  assert.deepEqual(r.time.slice(0, 4), [1702511878, 1702511879, 1702511879, 1702511880]);
  reader.close();
  // A block whose size is not a whole number of chunks: the last chunk is cut.
  const small = new CacheLibBlockReader(BLOCK, 300000, 131072);
  const s = readAll(small);
  assert.ok(s.size.every((x) => x === 131072 || x === 300000 - 2 * 131072));
  assert.ok(s.size.includes(300000 - 2 * 131072));
  small.close();
});

test('cachelib-block: LRU with room for 3 chunks misses 20 of 24', () => {
  // Chunks a = X_004-0, b = X_004-1, c = X_004-2, y = Y_000-2, v = Y_000-0, x = X_005-0,
  // p/q/r = Z_001-0/1/127; the requests: a a b y x y b c a p q y x q c v r a b c p y x r.
  // Hits by hand: the second a, y at 6, b at 7, q at 14: 20 misses of 24.
  const report = lru(BLOCK, 3 * 131072, 'cachelib-block');
  assert.equal(report.requests, 24);
  assert.equal(report.rows[0]!.misses, 20);
  assert.equal(report.rows[0]!.missRatio.toFixed(4), (20 / 24).toFixed(4));
});

test('cachelib-block: malformed input', () => {
  const H = 'op_time,block_id,block_id_size,io_size,io_offset,user_name,user_namespace,op_name,op_count,host_name,rs_shard_id\n';
  const row = '1702511878,b1,40,131072,0,1,2,getChunkData.Permanent,1,3,4';
  const cases: [string, string, RegExp][] = [
    ['blk-empty.csv', '', /blk-empty\.csv: empty trace/],
    ['blk-past.csv', `${H}1702511878,b1,40,1000,16777000,1,2,getChunkData.Permanent,1,3,4\n`, /empty trace \(no requests; 1 line past the end of a 16777216-byte block skipped\)/],
    ['blk-missing.csv', 'op_time,block_id,io_size,op_name\n1,b,1,getChunkData\n', /line 1: the header has no io_offset column/],
    ['blk-cols.csv', `${H}${row}\n${row},9,9\n`, /blk-cols\.csv line 3: 13 fields, expected 11 like the header/],
    ['blk-offset.csv', `${H}${row.replace(',131072,0,', ',131072,zero,')}\n`, /blk-offset\.csv line 2: io_offset 'zero' is not a number/],
    ['blk-size.csv', `${H}${row.replace(',131072,0,', ',0,0,')}\n`, /line 2: io_size '0' is not a whole number >= 1/],
    ['blk-op.csv', `${H}${row.replace('getChunkData.Permanent', 'deleteChunk')}\n`, /line 2: op_name 'deleteChunk' is not getChunkData\.\* or putChunk\.\*/],
    ['blk-shard.csv', `${H}${row.replace(/,4$/, ',s4')}\n`, /line 2: rs_shard_id 's4' is not a number/],
  ];
  for (const [name, text, re] of cases) rejects(() => readAll(openTrace(file(name, text), 'cachelib-block')), re);
});

test('format names in any case; a .csv without --csv and without a known header still needs a mapping', () => {
  assert.equal(openTrace(BLOCK, 'CacheLib-Block').format, 'cachelib-block');
  const plain = file('plain.csv', 'version,time,op,size,lbn\n1,2,r,4096,7\n');
  rejects(() => openTrace(plain), /--csv: obj-id-col is required/);
  const rdbTxt = file('rdb.txt', '1700000000000000,1,9,4096,0,default,1,11,1,0,1,101,120,0,1,37,4,0,24,32,4096\n');
  assert.equal(openTrace(rdbTxt).format, 'rocksdb-block-csv');
  rejects(() => openTrace(file('ids.log', '1\n2\n')), /cannot tell the trace format from the name/);
});

test('tiersim replay on the new formats; a malformed line exits 2 with one line', () => {
  const ok = spawnSync(process.execPath, ['bin/tiersim.mjs', 'replay', '--trace', ROCKSDB, '--policy', 'lru', '--size', '12288'], { encoding: 'utf8' });
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /^lru 12288 requests=30 missRatio=0\.7667 byteMissRatio=0\.7667/);
  const bad = file('bad-kv.csv', 'op_time,key,key_size,op,op_count,size,cache_hits,ttl\n1,k,3,GET,1,5,1,0\n1,k,3,GET,1,five,1,0\n');
  const r = spawnSync(process.execPath, ['bin/tiersim.mjs', 'replay', '--trace', bad, '--format', 'cachelib-kvcache', '--size', '1MiB'], { encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.equal(r.stdout, '');
  assert.match(r.stderr.trim(), /^.*bad-kv\.csv line 3: size 'five' is not a number$/);
  assert.equal(r.stderr.trim().split('\n').length, 1);
});
