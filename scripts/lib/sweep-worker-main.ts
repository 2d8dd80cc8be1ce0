/**
 * The body of a sweep worker thread: receives the queue once, then takes one cell at a
 * time, simulates it and posts the result back, until the queue is empty. Writing the
 * cell directory is the main thread's.
 */
import { parentPort } from 'node:worker_threads';
import { simulate } from './simulate.ts';
import { epochMs, finishCell, progressHooks, takeCell, type CellReply, type WorkerStart } from './sweep-queue.ts';

const port = parentPort;
if (!port) throw new Error('sweep-worker-main.ts runs inside a worker thread');
port.once('message', ({ cells, queue, progress, thread }: WorkerStart) => {
  for (let i = takeCell(queue); i >= 0; i = takeCell(queue)) {
    let reply: CellReply;
    const startedAt = epochMs();
    try {
      const { summary, timeline } = simulate(cells[i]!.config, undefined, progressHooks(progress, thread, cells[i]!.config));
      reply = { index: i, ok: true, summary, timeline, times: { startedAt, endedAt: epochMs() } };
    } catch (err) {
      const e = err instanceof Error ? err : new Error(String(err));
      reply = { index: i, ok: false, error: { name: e.name, message: e.message, ...(e.stack ? { stack: e.stack } : {}) } };
    }
    progress[thread] = 0;
    finishCell(queue);
    port.postMessage(reply);
  }
  port.postMessage({ done: true } satisfies CellReply);
});
