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

/**
 * The loop's time on two threads at once (the mean of the pair) over its time alone,
 * each the best of `rounds`: a slow spell of a shared machine only ever slows a round.
 */
export async function memoryContention(bytes: number, accesses = 40_000_000, rounds = 3): Promise<number> {
  let alone = Infinity;
  let together = Infinity;
  for (let r = 0; r < rounds; r++) {
    alone = Math.min(alone, await timed(bytes, accesses));
    const [a, b] = await Promise.all([timed(bytes, accesses), timed(bytes, accesses)]);
    together = Math.min(together, (a! + b!) / 2);
  }
  return together / alone;
}
