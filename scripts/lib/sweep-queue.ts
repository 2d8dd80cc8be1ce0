/**
 * The queue a sweep's threads share: the cells, and counters in shared memory.
 * `queue[NEXT]` is the index of the next cell to take — every thread takes with
 * `Atomics.add`, so a worker that finishes a cell takes the next at once, whatever the
 * other threads are doing — and `queue[LIMIT]` how many may be taken: lowering it stops
 * the sweep after the cells already taken. `queue[FINISHED]` counts the cells done;
 * none is taken once it reaches `queue[STOP_AFTER]`, so a stopped sweep runs at most
 * one cell more per other thread.
 */
import type { RunConfig } from './config.ts';
import type { SimulateHooks } from './simulate.ts';

export interface CellQueue {
  cells: { id: string; config: RunConfig }[];
  queue: Int32Array;
  /** Shared: one slot per thread (0: the main thread), the fraction done of the cell it runs (cellFraction), 0 between cells. */
  progress: Float64Array;
}

/** What a worker thread is sent once: the queue, and its slot in `progress`. */
export interface WorkerStart extends CellQueue {
  thread: number;
}

/**
 * How far a cell is, from its phase's fraction (simulate's onProgress): the load
 * counts as the first half of a cell — about its share of a matrix cell's time —
 * and the warm-up, when there is one, and the measured run share the rest.
 */
export function cellFraction(fraction: number, phase: 'load' | 'warmup' | 'run', warmup: boolean): number {
  const f = Math.min(1, Math.max(0, fraction));
  if (phase === 'load') return 0.5 * f;
  if (!warmup) return 0.5 + 0.5 * f;
  return phase === 'warmup' ? 0.5 + 0.25 * f : 0.75 + 0.25 * f;
}

/** Hooks that keep `progress[thread]` at the fraction done of a cell run with `config`; `onTick` after each update. */
export function progressHooks(progress: Float64Array, thread: number, config: RunConfig, onTick?: () => void): SimulateHooks {
  const warmup = config.warmupOps > 0;
  return {
    onProgress: (fraction, phase) => {
      progress[thread] = cellFraction(fraction, phase, warmup);
      onTick?.();
    },
  };
}

/** The sum of the cells under way's fractions. */
export function partialCells(progress: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < progress.length; i++) sum += progress[i]!;
  return sum;
}

/** When a thread ran a cell: milliseconds since the epoch (performance.timeOrigin + performance.now()), comparable across threads. */
export interface CellTimes {
  startedAt: number;
  endedAt: number;
}

/** What a worker posts: a cell's result, or that it found the queue empty. */
export type CellReply =
  | { index: number; ok: true; summary: Record<string, unknown>; timeline: Record<string, number>[]; times: CellTimes }
  | { index: number; ok: false; error: { name: string; message: string; stack?: string } }
  | { done: true };

/** The time now in milliseconds since the epoch, on any thread. */
export function epochMs(): number {
  return performance.timeOrigin + performance.now();
}

const NEXT = 0;
const LIMIT = 1;
const FINISHED = 2;
const STOP_AFTER = 3;

/** A queue of `cells` cells that stops handing them out once `stopAfter` have finished. */
export function newQueue(cells: number, stopAfter = cells): Int32Array {
  const queue = new Int32Array(new SharedArrayBuffer(4 * Int32Array.BYTES_PER_ELEMENT));
  queue[LIMIT] = cells;
  queue[STOP_AFTER] = Math.min(stopAfter, cells);
  return queue;
}

/** The index of the next cell to run, or -1 when the queue is empty or stopped. */
export function takeCell(queue: Int32Array): number {
  if (Atomics.load(queue, FINISHED) >= queue[STOP_AFTER]!) return -1;
  const i = Atomics.add(queue, NEXT, 1);
  return i < Atomics.load(queue, LIMIT) ? i : -1;
}

/** Counts a cell as finished (its result is on its way). */
export function finishCell(queue: Int32Array): void {
  Atomics.add(queue, FINISHED, 1);
}

/** Cells finished so far. */
export function finishedCells(queue: Int32Array): number {
  return Atomics.load(queue, FINISHED);
}

/** No cell is taken after this; those taken still finish. */
export function stopQueue(queue: Int32Array): void {
  Atomics.store(queue, LIMIT, 0);
}
