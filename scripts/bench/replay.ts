/**
 * Replay speed: requests per wall second of `tiersim replay` (reading the file
 * included, one thread) per eviction algorithm, on a 10M-request zipfian oracleGeneral
 * trace; with --peer-cachesim PATH, libCacheSim's cachesim on the same file and cache
 * size beside it, algorithm by algorithm (its own reported throughput and miss ratio).
 * Each rate is the faster of ROUNDS rounds over every algorithm (the peer's too, its
 * rounds taken in turn with tiersim's), as the sweep section takes the better of two:
 * a replay lasts a second or two, and this host's speed can halve for a minute.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { InputError } from '../../sim/errors.ts';
import { replayTrace } from '../replay.ts';
import { atLeast, info, type BenchSection, type Figure } from './figure.ts';
import { writeZipfTrace } from './zipf-trace.ts';

/** Algorithms with a speed target (the issue's ≥ 10M requests per second), then the rest. */
const TARGETED = ['fifo', 'clock', 'sieve', 's3fifo'];
const OTHERS = ['lru', 'qdlp', 'arc', 'twoq', 'lfu', 'lirs', 'slru', 'gdsf', 'wtinylfu'];
/**
 * Not run in cachesim here: its W-TinyLFU sizes a counting Bloom filter by the cache's
 * bytes (14.4 four-byte counters a byte, capped at 2^31: 8 GiB at this size).
 */
const NOT_IN_PEER = ['wtinylfu'];
const TARGET = 10_000_000;
const ROUNDS = 2;

export interface PeerResult {
  missRatio: number;
  requestsPerSecond: number;
}

/** Runs cachesim on an oracleGeneral trace and reads its summary line. */
export function runCachesim(binary: string, trace: string, algorithm: string, cacheBytes: number): PeerResult {
  // In the trace's folder: cachesim leaves a result file beside its working directory.
  const r = spawnSync(binary, [trace, 'oracleGeneral', algorithm, String(cacheBytes)], { encoding: 'utf8', cwd: dirname(trace) });
  if (r.error) throw new InputError(`--peer-cachesim: cannot run '${binary}' (${(r.error as NodeJS.ErrnoException).code ?? r.error.message})`);
  const text = `${r.stdout}\n${r.stderr}`;
  const m = /miss ratio ([\d.]+), throughput ([\d.]+) MQPS/.exec(text);
  if (!m) throw new InputError(`--peer-cachesim: no 'miss ratio …, throughput … MQPS' line in the output of '${binary}' (exit ${r.status})`);
  return { missRatio: Number(m[1]), requestsPerSecond: Number(m[2]) * 1e6 };
}

export const replaySection: BenchSection = {
  name: 'replay',
  async run({ quick, peerCachesim }) {
    const requests = quick ? 1_000_000 : 10_000_000;
    const objects = quick ? 100_000 : 1_000_000;
    const cacheBytes = Math.round(objects * 0.1) * 4096; // a tenth of the objects
    const dir = mkdtempSync(join(tmpdir(), 'tiersim-bench-replay-'));
    const trace = join(dir, 'zipf.oracleGeneral.bin');
    const label = `${requests / 1e6}M-req zipf`;
    const figures: Figure[] = [];
    try {
      writeZipfTrace(trace, requests, objects);
      const replay = (policy: string) => replayTrace({ trace, format: 'oracleGeneral', policies: [policy], sizes: [String(cacheBytes)] });
      const measured = new Map<string, { rate: number; missRatio: number }>();
      const peerRates = new Map<string, PeerResult>();
      for (let round = 0; round < ROUNDS; round++) {
        for (const policy of [...TARGETED, ...OTHERS]) {
          const r = replay(policy);
          const rate = r.requests / r.wallSeconds;
          const missRatio = r.rows[0]!.missRatio;
          const before = measured.get(policy);
          if (before && before.missRatio !== missRatio) throw new Error(`bench replay: ${policy}'s miss ratio changed between rounds (${before.missRatio}, ${missRatio})`);
          if (!before || rate > before.rate) measured.set(policy, { rate, missRatio });
          if (peerCachesim && !NOT_IN_PEER.includes(policy)) {
            const peer = runCachesim(peerCachesim, trace, policy, cacheBytes);
            const had = peerRates.get(policy);
            if (!had || peer.requestsPerSecond > had.requestsPerSecond) peerRates.set(policy, peer);
          }
        }
      }
      for (const [policy, { rate }] of measured) {
        const name = `replay ${policy}, ${label}: requests per wall s`;
        figures.push(TARGETED.includes(policy) ? atLeast(name, rate, 'req/s', TARGET, 0) : info(name, rate, 'req/s', 0));
      }
      const lru = measured.get('lru');
      // Spatial sampling: the LRU miss ratio of hashed samples against the full replay.
      if (lru) {
        for (const sample of [0.1, 0.01]) {
          const r = replayTrace({ trace, format: 'oracleGeneral', policies: ['lru'], sizes: [String(cacheBytes)], sample });
          figures.push(info(`  lru miss ratio, ${sample * 100}% sample, minus the full replay's (${lru.missRatio.toFixed(4)})`, r.rows[0]!.missRatio - lru.missRatio, 'abs', 4));
        }
      }
      if (peerCachesim && lru) {
        const peer = peerRates.get('lru')!;
        figures.push(info('  cachesim lru on the same trace and size: requests per wall s', peer.requestsPerSecond, 'req/s', 0));
        figures.push(atLeast('  tiersim lru / cachesim lru, requests per wall s', lru.rate / peer.requestsPerSecond, 'x', 1));
        figures.push(info('  lru miss ratio, tiersim', lru.missRatio, '', 4));
        figures.push(info('  lru miss ratio, cachesim', peer.missRatio, '', 4));
        // The other algorithms, each beside libCacheSim's own implementation of it.
        for (const [policy, ours] of measured) {
          if (policy === 'lru' || NOT_IN_PEER.includes(policy)) continue;
          const other = peerRates.get(policy)!;
          figures.push(info(`  cachesim ${policy}: requests per wall s`, other.requestsPerSecond, 'req/s', 0));
          figures.push(info(`  tiersim ${policy} / cachesim ${policy}, requests per wall s`, ours.rate / other.requestsPerSecond, 'x'));
          figures.push(info(`  ${policy} miss ratio, tiersim minus cachesim (${other.missRatio.toFixed(4)})`, ours.missRatio - other.missRatio, 'abs', 4));
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    return figures;
  },
};
