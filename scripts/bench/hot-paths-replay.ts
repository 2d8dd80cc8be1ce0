/**
 * Micro-benchmarks (tinybench) of replay's hot paths: one access of each eviction
 * algorithm on a warm cache, through the loop replay itself runs, and the decoding
 * of each binary and text trace format (and of gzip-compressed oracleGeneral), file
 * reading included. Figures are
 * nanoseconds per access or per request (mean over tinybench's samples).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Bench } from 'tinybench';
import { accessLoop } from '../../policies/eviction/access-loop.ts';
import { EVICTION_ALGORITHMS, makeEvictionCache } from '../../policies/eviction/registry.ts';
import { isOracle } from '../../policies/eviction/types.ts';
import { newBatch } from '../../workloads/traces/batch.ts';
import { openTrace } from '../../workloads/traces/formats.ts';
import { info, type BenchSection, type Figure } from './figure.ts';
import { RECORD_BYTES, zipfTraceBytes } from './zipf-trace.ts';

const OBJECT_BYTES = 4096;
/** Accesses per tinybench iteration of an eviction task. */
const ACCESS_BATCH = 4096;

/** The requests of an oracleGeneral buffer (from zipfTraceBytes) as ids and sizes. */
function requestsOf(trace: Buffer): { ids: Float64Array; sizes: Float64Array } {
  const n = trace.length / RECORD_BYTES;
  const ids = new Float64Array(n);
  const sizes = new Float64Array(n);
  for (let i = 0, o = 0; i < n; i++, o += RECORD_BYTES) {
    ids[i] = trace.readUInt32LE(o + 4) + trace.readUInt32LE(o + 8) * 2 ** 32;
    sizes[i] = trace.readUInt32LE(o + 12);
  }
  return { ids, sizes };
}

/** The same requests as vscsi version 2 records (40 bytes; lbn = id, len = size, ts in µs). */
export function vscsiBytes(ids: Float64Array, sizes: Float64Array): Buffer {
  const buf = Buffer.alloc(ids.length * 40);
  for (let i = 0, o = 0; i < ids.length; i++, o += 40) {
    buf.writeUInt16LE(0x28, o); // cmd: READ(10)
    buf.writeUInt16LE(2 << 8, o + 2); // ver: version 2 in the high byte
    buf.writeUInt32LE(i, o + 4);
    buf.writeUInt32LE(sizes[i]!, o + 8);
    buf.writeUInt32LE(1, o + 12);
    buf.writeBigUInt64LE(BigInt(ids[i]!), o + 16);
    buf.writeBigUInt64LE(BigInt(i * 1000), o + 24);
  }
  return buf;
}

/** The same requests as csv lines: time,id,size. */
export function csvText(ids: Float64Array, sizes: Float64Array): string {
  const lines: string[] = [];
  for (let i = 0; i < ids.length; i++) lines.push(`${Math.floor(i / 1000)},${ids[i]},${sizes[i]}`);
  return lines.join('\n') + '\n';
}

/** The same requests as txt lines: id size. */
export function txtText(ids: Float64Array, sizes: Float64Array): string {
  const lines: string[] = [];
  for (let i = 0; i < ids.length; i++) lines.push(`${ids[i]} ${sizes[i]}`);
  return lines.join('\n') + '\n';
}

/**
 * The same requests as lines of RocksDB's human-readable block-cache trace (21
 * fields; microsecond timestamps, a thousand requests per second; the other fields
 * those of a data block read by a get).
 */
export function rocksDbBlockCsvText(ids: Float64Array, sizes: Float64Array): string {
  const lines: string[] = [];
  for (let i = 0; i < ids.length; i++) {
    lines.push(`${1_600_000_000_000_000 + i * 1000},${ids[i]},9,${sizes[i]},0,default,2,3,1,0,${i},${i},1000,0,1,4,17,0,30,25,${i * 4096}`);
  }
  return lines.join('\n') + '\n';
}

export const hotPathsReplaySection: BenchSection = {
  name: 'hot-paths-replay',
  async run({ quick }) {
    const objects = quick ? 20_000 : 100_000;
    const requests = quick ? 200_000 : 1_000_000;
    const trace = zipfTraceBytes(requests, objects, OBJECT_BYTES);
    const { ids, sizes } = requestsOf(trace);
    let idSum = 0;
    for (let i = 0; i < requests; i++) idSum += ids[i]!;

    const dir = mkdtempSync(join(tmpdir(), 'tiersim-bench-hot-replay-'));
    // The same requests in every format, and oracleGeneral gzip-compressed (decompression included).
    const inputs = [
      { label: 'oracleGeneral', format: 'oracleGeneral', what: '24-byte records', path: join(dir, 'zipf.oracleGeneral.bin'), data: () => trace },
      { label: 'oracleGeneral.gz', format: 'oracleGeneral', what: '24-byte records, gzip', path: join(dir, 'zipf.oracleGeneral.bin.gz'), data: () => gzipSync(trace) },
      { label: 'vscsi', format: 'vscsi', what: 'version 2, 40-byte records', path: join(dir, 'zipf.vscsi'), data: () => vscsiBytes(ids, sizes) },
      { label: 'csv', format: 'csv', what: 'time,id,size lines', path: join(dir, 'zipf.csv'), data: () => csvText(ids, sizes) },
      { label: 'txt', format: 'txt', what: 'id size lines', path: join(dir, 'zipf.txt'), data: () => txtText(ids, sizes) },
      { label: 'rocksdb-block-csv', format: 'rocksdb-block-csv', what: '21-field lines', path: join(dir, 'zipf.rocksdb.csv'), data: () => rocksDbBlockCsvText(ids, sizes) },
    ];
    const csvOptions = 'time-col=1,obj-id-col=2,obj-size-col=3,has-header=false,delimiter=,';
    try {
      for (const input of inputs) writeFileSync(input.path, input.data());

      const bench = new Bench({ time: quick ? 100 : 500 });
      const out = new Float64Array(2);
      // Each online algorithm on a cache of a tenth of the objects, warmed by one pass.
      const algorithms = Object.keys(EVICTION_ALGORITHMS).filter((name) => !isOracle(makeEvictionCache(name, OBJECT_BYTES)));
      for (const name of algorithms) {
        const cache = makeEvictionCache(name, (objects / 10) * OBJECT_BYTES);
        const loop = accessLoop(cache);
        loop(cache, ids, sizes, requests, out);
        let at = 0;
        bench.add(`evict ${name}`, () => {
          if (at + ACCESS_BATCH > requests) at = 0;
          loop(cache, ids.subarray(at, at + ACCESS_BATCH), sizes.subarray(at, at + ACCESS_BATCH), ACCESS_BATCH, out);
          at += ACCESS_BATCH;
        });
      }
      // Each format read whole, as replay reads it; the ids must come back as written.
      const batch = newBatch();
      for (const { label, format, path } of inputs) {
        bench.add(`parse ${label}`, () => {
          const reader = openTrace(path, format, format === 'csv' ? { csv: csvOptions } : {});
          let n = 0;
          let sum = 0;
          for (let got = reader.read(batch); got > 0; got = reader.read(batch)) {
            for (let i = 0; i < got; i++) sum += batch.id[i]!;
            n += got;
          }
          reader.close();
          if (n !== requests || sum !== idSum) throw new Error(`bench: ${label} read ${n} requests (id sum ${sum}), wrote ${requests} (${idSum})`);
        });
      }
      await bench.run();

      const mean = (task: string) => {
        const r = bench.getTask(task)!.result;
        if (r.state !== 'completed') throw new Error(`bench task ${task}: ${r.state}${r.state === 'errored' ? ` (${r.error.message})` : ''}`);
        return r.latency.mean * 1e6; // ns per iteration
      };
      const figures: Figure[] = [];
      const cacheLabel = `cache of ${(objects / 10).toLocaleString('en')} of ${objects.toLocaleString('en')} zipf objects, warm`;
      for (const name of algorithms) {
        figures.push(info(`eviction ${name}: one access (${cacheLabel})`, mean(`evict ${name}`) / ACCESS_BATCH, 'ns'));
      }
      for (const { label, what } of inputs) {
        figures.push(info(`trace parsing, ${label} (${what}): one request, file read included`, mean(`parse ${label}`) / requests, 'ns'));
      }
      return figures;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
