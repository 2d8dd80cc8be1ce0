/**
 * The queue a sweep's threads share: the cells, and two counters in shared memory.
 * `queue[0]` is the index of the next cell to take — every thread takes with
 * `Atomics.add`, so a worker that finishes a cell takes the next at once, whatever the
 * other threads are doing — and `queue[1]` how many may be taken: lowering it stops the
 * sweep after the cells already taken.
 */
import type { RunConfig } from './config.ts';

export interface CellQueue {
  cells: { id: string; config: RunConfig }[];
  queue: Int32Array;
}

/** What a worker posts: a cell's result, or that it found the queue empty. */
export type CellReply =
  | { index: number; ok: true; summary: Record<string, unknown>; timeline: Record<string, number>[] }
  | { index: number; ok: false; error: { name: string; message: string; stack?: string } }
  | { done: true };

export function newQueue(cells: number): Int32Array {
  const queue = new Int32Array(new SharedArrayBuffer(8));
  queue[1] = cells;
  return queue;
}

/** The index of the next cell to run, or -1 when the queue is empty or stopped. */
export function takeCell(queue: Int32Array): number {
  const i = Atomics.add(queue, 0, 1);
  return i < Atomics.load(queue, 1) ? i : -1;
}

/** No cell is taken after this; those taken still finish. */
export function stopQueue(queue: Int32Array): void {
  Atomics.store(queue, 1, 0);
}
