// A worker thread of the memory-contention reference (scripts/bench/memory-contention.ts):
// random reads and writes over an array of `bytes`, timed; posts the milliseconds.
import { parentPort, workerData } from 'node:worker_threads';

const { bytes, accesses } = workerData;
const a = new Int32Array(bytes / 4);
const mask = a.length - 1; // a power of two
let x = 1;
let sum = 0;
const start = performance.now();
for (let i = 0; i < accesses; i++) {
  x = (Math.imul(x, 1103515245) + 12345) & 0x7fffffff; // an LCG: the next slot
  const j = x & mask;
  sum += a[j];
  a[j] = i;
}
parentPort.postMessage({ ms: performance.now() - start, sum });
