/** The body of a replay worker thread: replays the share of the runs it is sent and posts the report back. */
import { parentPort } from 'node:worker_threads';
import { replayTrace, type ReplayConfig } from '../replay.ts';
import type { ShareReply } from './replay-threads.ts';

const port = parentPort;
if (!port) throw new Error('replay-worker-main.ts runs inside a worker thread');
port.once('message', (config: ReplayConfig) => {
  let reply: ShareReply;
  try {
    reply = { ok: true, report: replayTrace(config) };
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    reply = { ok: false, error: { name: e.name, message: e.message } };
  }
  port.postMessage(reply);
});
