/**
 * The body of a sweep worker thread: receives one cell at a time, simulates it and
 * posts the result back. Writing the cell directory is the main thread's.
 */
import { parentPort } from 'node:worker_threads';
import type { RunConfig } from './config.ts';
import { simulate } from './simulate.ts';

export interface CellRequest {
  id: string;
  config: RunConfig;
}
export type CellReply =
  | { id: string; ok: true; summary: Record<string, unknown>; timeline: Record<string, number>[] }
  | { id: string; ok: false; error: { name: string; message: string; stack?: string } };

const port = parentPort;
if (!port) throw new Error('sweep-worker-main.ts runs inside a worker thread');
port.on('message', (req: CellRequest) => {
  let reply: CellReply;
  try {
    const { summary, timeline } = simulate(req.config);
    reply = { id: req.id, ok: true, summary, timeline };
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    reply = { id: req.id, ok: false, error: { name: e.name, message: e.message, ...(e.stack ? { stack: e.stack } : {}) } };
  }
  port.postMessage(reply);
});
