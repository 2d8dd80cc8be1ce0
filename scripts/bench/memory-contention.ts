/**
 * How much two threads slow each other on this host when both wander over memory:
 * the same loop of random reads and writes over an array, once on one thread alone,
 * then on two threads at once. A sweep's cells are memory-bound (a store's lookups
 * miss the processor's caches), so this bounds what a second worker can add.
 */
import { Worker } from 'node:worker_threads';

const WORKER = new URL('./memory-contention-worker.mjs', import.meta.url);

function timed(bytes: number, accesses: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const w = new Worker(WORKER, { workerData: { bytes, accesses } });
    w.once('message', (m: { ms: number }) => { resolve(m.ms); void w.terminate(); });
    w.once('error', reject);
  });
}

/** Time of the loop on two threads at once over its time alone (the mean of the two); the better of `rounds`. */
export async function memoryContention(bytes: number, accesses = 20_000_000, rounds = 2): Promise<number> {
  let best = Infinity;
  for (let r = 0; r < rounds; r++) {
    const alone = await timed(bytes, accesses);
    const [a, b] = await Promise.all([timed(bytes, accesses), timed(bytes, accesses)]);
    best = Math.min(best, (a! + b!) / 2 / alone);
  }
  return best;
}
