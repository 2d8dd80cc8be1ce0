/**
 * State-access traces: recorded from a generated workload and replayed with the
 * `trace` workload, record for record (CSV and JSON lines); records with several and
 * no operations; a trace larger than the reader's chunk; the atomic file sink;
 * malformed lines; a whole run on the trace equals the run on the generator.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { InputError } from '../../sim/errors.ts';
import { OP_DELETE, OP_GET, OP_MERGE, OP_PUT, OP_SCAN, RecordBuf, type Workload } from '../../sim/workload.ts';
import { KvWorkload } from '../../workloads/kv.ts';
import { makeWorkload } from '../../workloads/registry.ts';
import { StateTraceWorkload } from '../../workloads/state-trace.ts';
import { openTraceSink, recordingWorkload, stateTraceFormatFromPath, type StateTraceFormat } from '../../workloads/state-trace-writer.ts';
import { runConfig, type RunConfigInput } from '../../scripts/lib/config.ts';
import { simulate } from '../../scripts/lib/simulate.ts';
import { tempDir } from '../temp-dir.ts';

const dir = tempDir('state-trace');

interface Rec { cpuUs: number; timeUs: number; ops: [number, number, number, number][] }

function snapshot(r: RecordBuf): Rec {
  const ops: Rec['ops'] = [];
  for (let i = 0; i < r.count; i++) ops.push([r.types[i]!, r.keys[i]!, r.sizes[i]!, r.tokens[i]!]);
  return { cpuUs: r.cpuUs, timeUs: r.timeUs, ops };
}

/** Every load record, then up to `runRecords` run records. */
function drain(w: Workload, runRecords = Infinity): { load: Rec[]; run: Rec[] } {
  const rec = new RecordBuf();
  const load: Rec[] = [];
  const run: Rec[] = [];
  if (w.nextLoad) while (w.nextLoad(rec)) load.push(snapshot(rec));
  while (run.length < runRecords && w.next(rec)) run.push(snapshot(rec));
  return { load, run };
}

/** Records `w` into a file through the file sink. */
function record(w: Workload, path: string, runRecords: number): { load: Rec[]; run: Rec[] } {
  const sink = openTraceSink(path);
  const recorder = recordingWorkload(w, sink.write, { format: stateTraceFormatFromPath(path) });
  const got = drain(recorder, runRecords);
  sink.close();
  return got;
}

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** Throws a one-line InputError whose message matches `re`. */
function rejects(fn: () => unknown, re: RegExp) {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof InputError, `not an InputError: ${String(e)}`);
    assert.match(e.message, re);
    assert.ok(!e.message.includes('\n'), `multi-line message: ${e.message}`);
    return true;
  });
}

const kvParams = { keys: 300, valueBytes: 700, keyBytes: 24, writeRatio: 0.4, distribution: 'zipfian' as const };

for (const format of ['csv', 'jsonl'] as StateTraceFormat[]) {
  test(`kv recorded as ${format} replays the same records, operations, keys, sizes and tokens, in order`, () => {
    const path = join(dir, `kv.${format}`);
    const recorded = record(new KvWorkload(kvParams, 7), path, 3000);
    // The recorder hands out what the generator makes.
    assert.deepEqual(recorded, drain(new KvWorkload(kvParams, 7), 3000));
    assert.equal(recorded.load.length, 300);
    assert.equal(recorded.run.length, 3000);

    const replay = new StateTraceWorkload({ trace: path });
    assert.equal(replay.format, format);
    assert.equal(replay.keyBytes, 24, 'the key size comes from the trace');
    assert.equal(replay.recordedWorkload, 'kv');
    const replayed = drain(replay);
    assert.equal(replayed.load.length, recorded.load.length);
    assert.equal(replayed.run.length, recorded.run.length);
    recorded.run.forEach((r, i) => assert.deepEqual(replayed.run[i], r, `run record ${i}`));
    recorded.load.forEach((r, i) => assert.deepEqual(replayed.load[i], r, `load record ${i}`));
    assert.equal(replay.next(new RecordBuf()), false, 'stays at its end');
    assert.deepEqual(replay.describe(), { name: 'trace', trace: path, format, keyBytes: 24, recordedWorkload: 'kv' });
  });
}

test('gzip: a trace recorded to .csv.gz or .jsonl.gz is the plain recording compressed (in members node:zlib reads), and replays the same', () => {
  for (const format of ['csv', 'jsonl'] as StateTraceFormat[]) {
    const plain = join(dir, `kvz.${format}`);
    const gz = join(dir, `kvz.${format}.gz`);
    record(new KvWorkload(kvParams, 9), plain, 60_000);
    const recorded = record(new KvWorkload(kvParams, 9), gz, 60_000);
    assert.equal(stateTraceFormatFromPath(gz), format);
    const bytes = readFileSync(gz);
    assert.ok(gunzipSync(bytes).equals(readFileSync(plain)), `${format}: gunzip gives the plain trace`);
    assert.ok(bytes.length < readFileSync(plain).length / 3, `${format}: compressed`);
    assert.ok(bytes.subarray(10).indexOf(Buffer.from([0x1f, 0x8b, 0x08])) > 0, `${format}: more than one member (1 MiB each)`);
    assert.deepEqual(drain(new StateTraceWorkload({ trace: gz })), recorded);
  }
  rejects(() => openTraceSink(join(dir, 'x.csv.zst')), /x\.csv\.zst: tiersim reads zstd traces but writes only gzip \(\.gz\) or plain ones/);
});

/** Records with several operations of every kind, none at all, and awkward numbers. */
class Mixed implements Workload {
  readonly name = 'mixed';
  readonly keyBytes = 8;
  private n = 0;
  private loaded = 0;
  constructor(private readonly records: number) {}
  nextLoad(rec: RecordBuf): boolean {
    if (this.loaded >= 5) return false;
    rec.reset(0);
    rec.push(OP_PUT, this.loaded, 100 + this.loaded, 4294967295 - this.loaded);
    rec.push(OP_PUT, 1e6 + this.loaded++, 1, 0);
    return true;
  }
  next(rec: RecordBuf): boolean {
    if (this.n >= this.records) return false;
    const i = this.n++;
    rec.reset(i % 7 === 0 ? 0.1 + i / 3 : 5);
    rec.timeUs = i % 5 === 0 ? i * 1.000001 : 0;
    const ops = i % 11 === 0 ? 0 : 1 + (i % 64);
    for (let k = 0; k < ops; k++) {
      const type = [OP_GET, OP_PUT, OP_DELETE, OP_MERGE, OP_SCAN][(i + k) % 5]!;
      const key = k === 0 ? 2 ** 53 - 1 - i : k === 1 ? -i - 0.5 : i * 64 + k;
      rec.push(type as 0, key, type === OP_SCAN ? 10 : (i * 31 + k) % 5000, (i * 2654435761 + k) >>> 0);
    }
    return true;
  }
  describe() { return { name: this.name }; }
}

for (const format of ['csv', 'jsonl'] as StateTraceFormat[]) {
  test(`${format}: multi-operation records (up to 64), records without operations, fractional times, CPU and keys`, () => {
    const path = join(dir, `mixed.${format}`);
    const recorded = record(new Mixed(400), path, Infinity);
    assert.equal(recorded.run.length, 400);
    assert.ok(recorded.run.some((r) => r.ops.length === 64) && recorded.run.some((r) => r.ops.length === 0));
    assert.deepEqual(drain(new StateTraceWorkload({ trace: path })), recorded);
  });
}

test('a trace many times the reader\'s chunk replays the same (lines across chunk boundaries)', () => {
  const path = join(dir, 'chunks.csv');
  const recorded = record(new Mixed(300), path, Infinity);
  assert.ok(readFileSync(path).length > 50 * 1024);
  for (const chunkBytes of [64, 1000, 4099]) {
    assert.deepEqual(drain(new StateTraceWorkload({ trace: path }, { chunkBytes })), recorded, `chunk ${chunkBytes}`);
  }
  const jsonl = join(dir, 'chunks.jsonl');
  record(new Mixed(300), jsonl, Infinity);
  assert.deepEqual(drain(new StateTraceWorkload({ trace: jsonl }, { chunkBytes: 333 })), recorded);
});

test('the CSV the recorder writes: comment, header, one line per operation, cpu_us on a record\'s first line', () => {
  const chunks: string[] = [];
  const w = recordingWorkload(new Mixed(3), (c) => chunks.push(c));
  drain(w);
  const lines = chunks.join('').split('\n');
  assert.equal(lines[0], '# tiersim state trace v1: workload=mixed key_bytes=8');
  assert.equal(lines[1], 'time_us,op,key,value_bytes,token,record,cpu_us,phase');
  assert.equal(lines[2], '0,put,0,100,4294967295,0,0,load');
  assert.equal(lines[3], '0,put,1000000,1,0,0,,load');
  // Record 5 is the first run record: i = 0, no operations (0 % 11), cpu 0.1, time 0.
  assert.equal(lines[12], '0,none,0,0,0,5,0.1,run');
  // Record 6: i = 1, two operations (a put then a delete), time 0, cpu 5.
  assert.equal(lines[13], `0,put,${2 ** 53 - 2},31,2654435761,6,5,run`);
  assert.equal(lines[14], '0,delete,-1.5,32,2654435762,6,,run');
  assert.equal(w.records, 8);
  assert.equal(w.describe().name, 'mixed', 'describe() is the inner workload\'s');
});

test('a workload without a load phase records none; nextLoad is absent', () => {
  const inner: Workload = { name: 'x', keyBytes: 4, next: (r) => { r.reset(1); r.push(OP_GET, 1); return true; }, describe: () => ({}) };
  const w = recordingWorkload(inner, () => {});
  assert.equal(w.nextLoad, undefined);
});

test('the file sink writes under a temporary name and renames at close; abort leaves nothing', () => {
  const sub = join(dir, 'sink', 'deeper');
  const path = join(sub, 'out.csv');
  const sink = openTraceSink(path, 16);
  sink.write('a'.repeat(40));
  sink.write('b\n');
  assert.equal(existsSync(path), false, 'no trace before close');
  sink.close();
  assert.equal(readFileSync(path, 'utf8'), `${'a'.repeat(40)}b\n`);
  assert.deepEqual(readdirSync(sub), ['out.csv']);

  const aborted = openTraceSink(join(sub, 'failed.csv'));
  aborted.write('x\n');
  aborted.abort();
  assert.deepEqual(readdirSync(sub), ['out.csv']);
  assert.equal(stateTraceFormatFromPath('t.JSONL'), 'jsonl');
  assert.equal(stateTraceFormatFromPath('t.csv'), 'csv');
});

test('hand-written traces: columns in any order, defaults, no record column (each line a record)', () => {
  const path = file('hand.csv', 'key,op,value_bytes\n5,put,100\n5,get,0\n\n7,scan,3\n');
  const got = drain(new StateTraceWorkload({ trace: path }));
  assert.deepEqual(got.load, []);
  assert.deepEqual(got.run, [
    { cpuUs: 0, timeUs: 0, ops: [[OP_PUT, 5, 100, 0]] },
    { cpuUs: 0, timeUs: 0, ops: [[OP_GET, 5, 0, 0]] },
    { cpuUs: 0, timeUs: 0, ops: [[OP_SCAN, 7, 3, 0]] },
  ]);
  const w = new StateTraceWorkload({ trace: path });
  assert.equal(w.keyBytes, 16, 'no key size in the trace: 16');
  assert.equal(new StateTraceWorkload({ trace: path, keyBytes: 40 }).keyBytes, 40);
  const json = file('hand.jsonl', '{"op":"merge","key":3,"value_bytes":9,"token":1,"cpu_us":2.5}\n{"key":4,"op":"GET","phase":"run"}\n');
  assert.deepEqual(drain(new StateTraceWorkload({ trace: json })).run, [
    { cpuUs: 2.5, timeUs: 0, ops: [[OP_MERGE, 3, 9, 1]] },
    { cpuUs: 0, timeUs: 0, ops: [[OP_GET, 4, 0, 0]] },
  ]);
});

test('next() skips load records nextLoad() was not asked for', () => {
  const path = file('skip.csv', 'op,key,record,phase\nput,1,0,load\nput,2,1,load\nget,1,2,run\n');
  const w = new StateTraceWorkload({ trace: path });
  const rec = new RecordBuf();
  assert.equal(w.next(rec), true);
  assert.deepEqual(snapshot(rec).ops, [[OP_GET, 1, 0, 0]]);
  assert.equal(w.nextLoad(rec), false, 'loading is over once running started');
  assert.equal(w.next(rec), false);
});

test('the registry builds the trace workload; its parameters are checked', () => {
  const path = file('reg.csv', 'op,key\nget,1\n');
  const w = makeWorkload('trace', { trace: path }, 1);
  assert.equal(w.name, 'trace');
  rejects(() => makeWorkload('trace', {}, 1), /workload trace: trace/);
  rejects(() => makeWorkload('trace', { trace: path, keys: 3 }, 1), /unknown parameter\(s\) keys/);
  rejects(() => makeWorkload('trace', { trace: join(dir, 'missing.csv') }, 1), /missing\.csv: cannot open trace \(no such file\)/);
});

test('malformed traces: one line naming the file, the line and the field', () => {
  const H = 'time_us,op,key,value_bytes,token,record,cpu_us,phase\n';
  const cases: [string, string, RegExp][] = [
    ['empty.csv', '', /empty\.csv: empty trace/],
    ['blank.csv', '\n  \n', /blank\.csv: empty trace/],
    ['header-only.csv', `# comment\n${H}`, /header-only\.csv: empty trace \(no records\)/],
    ['no-header.csv', '0,get,1,0,0,0,5,run\n', /no-header\.csv line 1: no header line/],
    ['unknown-col.csv', 'op,key,size\nget,1,0\n', /unknown-col\.csv line 1: unknown column 'size'/],
    ['dup-col.csv', 'op,key,key\nget,1,2\n', /line 1: column 'key' appears twice/],
    ['no-op.csv', 'key,record\n1,0\n', /line 1: the header has no 'op' column/],
    ['fields.csv', `${H}0,get,1,0,0,0,5,run\n0,get,1,0,0,1,5\n`, /fields\.csv line 3: 7 fields, expected 8 like the header/],
    ['key.csv', `${H}0,get,abc,0,0,0,5,run\n`, /key\.csv line 2: key 'abc' is not a number/],
    ['op.csv', `${H}0,read,1,0,0,0,5,run\n`, /op\.csv line 2: op 'read' is not get, put, delete, merge, scan or none/],
    ['size.csv', `${H}0,put,1,-4,0,0,5,run\n`, /size\.csv line 2: value_bytes '-4' is not a whole number/],
    ['size2.csv', `${H}0,put,1,1.5,0,0,5,run\n`, /line 2: value_bytes '1\.5' is not a whole number/],
    ['token.csv', `${H}0,put,1,1,4294967296,0,5,run\n`, /line 2: token '4294967296' is not a whole number in 0\.\.4294967295/],
    ['time.csv', `${H}x,put,1,1,0,0,5,run\n`, /line 2: time_us 'x' is not a number/],
    ['cpu.csv', `${H}0,put,1,1,0,0,-1,run\n`, /line 2: cpu_us '-1' is negative/],
    ['record.csv', `${H}0,put,1,1,0,r1,5,run\n`, /line 2: record 'r1' is not a record index/],
    ['phase.csv', `${H}0,put,1,1,0,0,5,warm\n`, /line 2: phase 'warm' is not load or run/],
    ['order.csv', `${H}0,get,1,0,0,4,5,run\n0,get,1,0,0,3,5,run\n`, /order\.csv line 3: record 3 after record 4/],
    ['load-after.csv', `${H}0,get,1,0,0,0,5,run\n0,put,1,0,0,1,0,load\n`, /load-after\.csv line 3: phase 'load' after run records/],
    ['phase-split.csv', `${H}0,put,1,0,0,0,0,load\n0,put,2,0,0,0,,run\n`, /line 3: record 0: phase differs between its lines/],
    ['cpu-differs.csv', `${H}0,get,1,0,0,0,5,run\n0,get,2,0,0,0,6,run\n`, /cpu-differs\.csv line 3: record 0: cpu_us 6 differs from 5/],
    ['time-differs.csv', `${H}1,get,1,0,0,0,5,run\n2,get,2,0,0,0,,run\n`, /line 3: record 0: time_us 2 differs from 1/],
    ['none.csv', `${H}0,none,0,0,0,0,5,run\n0,get,2,0,0,0,,run\n`, /none\.csv line 3: record 0: op 'none' must be the only line/],
    ['too-many.csv', H + Array.from({ length: 65 }, (_, i) => `0,get,${i},0,0,0,${i === 0 ? 1 : ''},run\n`).join(''), /too-many\.csv line 66: record 0 has more than 64 operations/],
    ['bad.jsonl', '{"op":"get","key":1}\n{"op":"get","key":1\n', /bad\.jsonl line 2: not a JSON object/],
    ['array.jsonl', '{"op":"get","key":1}\n[1,2]\n', /array\.jsonl line 2: not a JSON object/],
    ['field.jsonl', '{"op":"get","key":1,"size":3}\n', /field\.jsonl line 1: unknown field 'size'/],
    ['strkey.jsonl', '{"op":"get","key":"1"}\n', /strkey\.jsonl line 1: key "1" is not a number/],
    ['nokey.jsonl', '{"op":"get"}\n', /nokey\.jsonl line 1: no 'key' field/],
    ['jop.jsonl', '{"op":7,"key":1}\n', /jop\.jsonl line 1: op 7 is not get/],
    ['jtok.jsonl', '{"op":"put","key":1,"token":-1}\n', /jtok\.jsonl line 1: token -1 is not a whole number/],
    ['jphase.jsonl', '{"op":"put","key":1,"phase":"x"}\n', /jphase\.jsonl line 1: phase "x" is not "load" or "run"/],
  ];
  for (const [name, text, re] of cases) {
    const path = file(name, text);
    rejects(() => drain(new StateTraceWorkload({ trace: path })), re);
  }
  // The error is raised when the bad line is reached, not before: earlier records replay.
  const late = file('late.csv', `${H}0,get,1,0,0,0,5,run\n0,get,1,0,0,1,5,run\n0,get,x,0,0,2,5,run\n`);
  const w = new StateTraceWorkload({ trace: late });
  const rec = new RecordBuf();
  assert.equal(w.next(rec), true);
  rejects(() => w.next(rec), /late\.csv line 4: key 'x'/);
});

test('a whole run on the recorded trace equals the run on the generator', () => {
  const params = { keys: 5000, valueBytes: 500, writeRatio: 0.3 };
  const ops = 8000;
  const path = join(dir, 'run.csv');
  record(new KvWorkload(params, 1), path, ops);
  const base: RunConfigInput = { ops, seed: 1, managedMemory: 8 * 2 ** 20, cacheSize: 4 * 2 ** 20, policy: 'file', dfs: 'hdfs' };
  const summary = (c: RunConfigInput) => {
    const s = simulate(runConfig.parse({ ...base, ...c }), () => 0).summary as Record<string, unknown>;
    const { workload: _w, workloadParams: _p, wallSeconds: _s, simulatedOpsPerWallSecond: _r, ...rest } = s;
    return rest;
  };
  const fromKv = summary({ workload: 'kv', workloadParams: params });
  const fromTrace = summary({ workload: 'trace', workloadParams: { trace: path } });
  assert.deepEqual(fromTrace, fromKv);
});
