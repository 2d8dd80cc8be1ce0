/**
 * Fuzzing every trace reader: arbitrary bytes, and arbitrary lines for the text
 * formats, either read as requests or end in an InputError — never another exception.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../../sim/errors.ts';
import { RecordBuf } from '../../sim/workload.ts';
import { newBatch, type TraceFormat } from '../../workloads/traces/batch.ts';
import { TRACE_FORMATS } from '../../workloads/traces/formats.ts';
import { StateTraceWorkload } from '../../workloads/state-trace.ts';

const dir = mkdtempSync(join(tmpdir(), 'tiersim-fuzz-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
let n = 0;

/** Reads the whole file with `open`; returns requests read, or 'input-error'. Anything else throws. */
function readAll(format: TraceFormat, data: Uint8Array, csv?: string): number | 'input-error' {
  const path = join(dir, `f${n++}`);
  writeFileSync(path, data);
  const batch = newBatch(64);
  let reader;
  try {
    reader = TRACE_FORMATS[format](path, csv ? { csv } : {});
    let total = 0;
    for (let i = 0; i < 10_000; i++) {
      const got = reader.read(batch);
      if (got === 0) return total;
      for (let k = 0; k < got; k++) {
        assert.ok(Number.isFinite(batch.id[k]!) && batch.size[k]! >= 0, `${format}: a request with id ${batch.id[k]} size ${batch.size[k]}`);
      }
      total += got;
    }
    return total;
  } catch (err) {
    if (err instanceof InputError) return 'input-error';
    throw err;
  } finally {
    reader?.close();
  }
}

const bytes = fc.uint8Array({ maxLength: 600 });
/** Text made of the characters traces are made of, and some that they are not. */
const line = fc.stringMatching(/^[0-9a-fA-F,.\-+ eE_xA-Z:"\t]{0,60}$/);
const text = fc.array(line, { maxLength: 12 }).map((ls) => new TextEncoder().encode(ls.join('\n')));
const RUNS = { numRuns: 120 };

for (const format of Object.keys(TRACE_FORMATS) as TraceFormat[]) {
  const csv = format === 'csv' ? 'time-col=1,obj-id-col=2,obj-size-col=3' : undefined;
  test(`fuzz ${format}: arbitrary bytes give requests or an InputError`, () => {
    fc.assert(fc.property(bytes, (b) => { readAll(format, b, csv); }), RUNS);
  });
  if (format !== 'oracleGeneral' && format !== 'vscsi') {
    test(`fuzz ${format}: arbitrary lines give requests or an InputError`, () => {
      fc.assert(fc.property(text, (b) => { readAll(format, b, csv); }), RUNS);
    });
  }
}

test('fuzz the state trace (--workload trace): arbitrary rows under a valid header', () => {
  const header = '# tiersim state trace v1: workload=kv key_bytes=16\ntime_us,op,key,value_bytes,token,record,cpu_us,phase\n';
  const row = fc.tuple(fc.nat(1000), fc.constantFrom('get', 'put', 'delete', 'merge', 'scan', 'none', 'fly', ''), fc.integer({ min: -5, max: 50 }),
    fc.oneof(fc.integer({ min: -10, max: 5000 }), fc.constant(NaN)), fc.nat(), fc.integer({ min: -1, max: 30 }), fc.nat(9), fc.constantFrom('load', 'run', 'x'))
    .map((r) => r.join(','));
  fc.assert(fc.property(fc.array(row, { maxLength: 30 }), fc.boolean(), (rows, garbage) => {
    const path = join(dir, `s${n++}.csv`);
    writeFileSync(path, header + rows.join('\n') + (garbage ? '\n\u0000\u00ff,,' : '\n'));
    let w: StateTraceWorkload | undefined;
    try {
      w = new StateTraceWorkload({ trace: path });
      const rec = new RecordBuf();
      for (let i = 0; i < 1000 && w.nextLoad(rec); i++);
      for (let i = 0; i < 1000 && w.next(rec); i++);
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
    } finally {
      w?.close();
    }
  }), RUNS);
});
