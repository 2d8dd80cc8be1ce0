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

export interface CellQueue {
  cells: { id: string; config: RunConfig }[];
  queue: Int32Array;
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

/** No cell is taken after this; those taken still finish. */
export function stopQueue(queue: Int32Array): void {
  Atomics.store(queue, LIMIT, 0);
}
