/**
 * A synthetic oracleGeneral trace for replay benchmarks: `requests` requests over
 * `objects` objects of one size, object ids drawn from YCSB's zipfian (θ = 0.99) with a
 * seeded stream, so every run (and every peer simulator) replays the same bytes.
 * Layout per request, little-endian: u32 time, u64 id, u32 size, i64 next access (-1).
 */
import { writeFileSync } from 'node:fs';
import { ZipfianKeys } from '../../sim/key-choosers.ts';
import { Rng } from '../../sim/random.ts';

export const RECORD_BYTES = 24;

export function zipfTraceBytes(requests: number, objects: number, objectBytes = 4096, seed = 1): Buffer {
  const keys = new ZipfianKeys(objects, 0.99);
  const rng = Rng.stream(seed, 'bench/zipf-trace');
  const buf = Buffer.alloc(requests * RECORD_BYTES);
  for (let i = 0, o = 0; i < requests; i++, o += RECORD_BYTES) {
    buf.writeUInt32LE(Math.floor(i / 1000), o); // a thousand requests per second of trace time
    const id = keys.next(rng) + 1; // ids from 1: some tools reserve 0
    buf.writeUInt32LE(id >>> 0, o + 4);
    buf.writeUInt32LE(Math.floor(id / 2 ** 32), o + 8);
    buf.writeUInt32LE(objectBytes, o + 12);
    buf.writeInt32LE(-1, o + 16);
    buf.writeInt32LE(-1, o + 20);
  }
  return buf;
}

export function writeZipfTrace(path: string, requests: number, objects: number, objectBytes = 4096, seed = 1): void {
  writeFileSync(path, zipfTraceBytes(requests, objects, objectBytes, seed));
}
