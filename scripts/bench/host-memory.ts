/**
 * The host's memory latency, the figure that decides the store's speed: a get at 10M
 * keys is a chain of a dozen or so reads that miss the processor's caches, each waiting
 * for the last. Timed as a chase through one random cycle over an array (each read's
 * address is the value of the read before), so that no two reads overlap.
 */

/** A random single cycle through slots 0..n-1 (Sattolo's algorithm): slot i holds the next slot. */
export function randomCycle(n: number, seed = 12345): Int32Array {
  const next = new Int32Array(n);
  for (let i = 0; i < n; i++) next[i] = i;
  let x = seed >>> 0;
  for (let i = n - 1; i > 0; i--) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    const j = Math.floor((x / 4294967296) * i); // j < i: never a slot onto itself
    const t = next[i]!;
    next[i] = next[j]!;
    next[j] = t;
  }
  return next;
}

/** Nanoseconds per dependent read over `bytes` of memory, the best of `rounds` chases of `steps` reads. */
export function memoryLatencyNs(bytes: number, steps = 5_000_000, rounds = 3): number {
  const next = randomCycle(Math.max(2, Math.floor(bytes / 4)));
  let best = Infinity;
  let j = 0;
  for (let r = 0; r < rounds; r++) {
    const start = performance.now();
    for (let k = 0; k < steps; k++) j = next[j]!;
    best = Math.min(best, ((performance.now() - start) * 1e6) / steps);
  }
  if (j < 0) throw new Error('unreachable'); // keeps the chase from being optimized away
  return best;
}
