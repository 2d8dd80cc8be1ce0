/**
 * A replay on several threads. The (algorithm × size) runs are shared out — by
 * algorithm when there are at least as many algorithms as threads, else by size —
 * and each thread replays the whole trace for its share: this thread one share, each
 * worker thread another. Miss ratios are those of a replay on one thread; the rows
 * come back in the same order. Each thread reads the trace itself (the operating
 * system's page cache serves the second reader), and a size given as a fraction of
 * the working set makes each thread find the working set itself.
 */
import { Worker } from 'node:worker_threads';
import { InputError } from '../../sim/errors.ts';
import { evictionAlgorithmName } from '../../policies/eviction/registry.ts';
import { parseCacheSize, policyLabel, policyList, replayTrace, sizeList, type ReplayConfig, type ReplayReport } from '../replay.ts';

/** What a worker posts back. */
export type ShareReply =
  | { ok: true; report: ReplayReport }
  | { ok: false; error: { name: string; message: string } };

/** Every `threads`-th item from `first` on. */
const dealt = <T>(items: T[], first: number, threads: number) => items.filter((_, i) => i % threads === first);

/** The configs of the shares: at most `threads`, none empty. */
export function shareRuns(config: ReplayConfig, threads: number): ReplayConfig[] {
  const policies = policyList(config.policies);
  const sizes = sizeList(config.sizes);
  const bySize = policies.length < threads && sizes.length > policies.length;
  const n = Math.max(1, Math.min(threads, bySize ? sizes.length : policies.length));
  return Array.from({ length: n }, (_, i) => (bySize
    ? { ...config, policies, sizes: dealt(sizes, i, n) }
    : { ...config, policies: dealt(policies, i, n), sizes }));
}

function workerError(e: { name: string; message: string }): Error {
  if (e.name === 'InputError') return new InputError(e.message);
  const err = new Error(e.message);
  err.name = e.name;
  return err;
}

/** Replays `config` on `threads` threads (1: this one alone); the report as one replay would give it. */
export async function replayOnThreads(config: ReplayConfig, threads: number): Promise<ReplayReport> {
  if (!(Number.isInteger(threads) && threads >= 1)) throw new InputError(`--workers: ${threads} must be a whole number of at least 1`);
  // Input errors before any thread starts.
  const policies = policyList(config.policies).map((p) => policyLabel(evictionAlgorithmName(p), config.params));
  const labels = sizeList(config.sizes).map((s) => parseCacheSize(s).label);
  const shares = shareRuns(config, threads);
  if (shares.length === 1) return replayTrace(config);

  const started = performance.now();
  const workers = shares.slice(1).map((share) => {
    const w = new Worker(new URL('./replay-worker.mjs', import.meta.url));
    const reply = new Promise<ReplayReport>((resolve, reject) => {
      w.once('message', (r: ShareReply) => (r.ok ? resolve(r.report) : reject(workerError(r.error))));
      w.once('error', reject);
      w.once('exit', (code) => reject(new Error(`replay worker exited with code ${code}`)));
    });
    reply.catch(() => undefined); // awaited below, unless this thread's share fails first
    const { onProgress: _progress, ...plain } = share;
    w.postMessage(plain);
    return { w, reply };
  });
  try {
    const mine = replayTrace(shares[0]!);
    const reports = [mine, ...await Promise.all(workers.map((x) => x.reply))];
    const order = (policy: string, size: string) => policies.indexOf(policy) * labels.length + labels.indexOf(size);
    const rows = reports.flatMap((r) => r.rows).sort((a, b) => order(a.policy, a.size) - order(b.policy, b.size));
    const recomputed = reports.find((r) => r.nextAccessRecomputed)?.nextAccessRecomputed;
    return { ...mine, rows, wallSeconds: (performance.now() - started) / 1000, ...(recomputed ? { nextAccessRecomputed: recomputed } : {}) };
  } finally {
    for (const { w } of workers) void w.terminate();
  }
}
