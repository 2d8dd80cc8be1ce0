/**
 * Changing one assumption moves the results the way the physics says: a slower DFS
 * lowers no-cache throughput, a larger cache raises it, and asynchronous access gains
 * more over synchronous the slower the DFS is. Small kv runs; only directions are asserted.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PRESETS } from '../../sim/presets.ts';
import type { DeviceSpec } from '../../sim/device.ts';
import { runConfig, type RunConfigInput } from '../../scripts/lib/config.ts';
import { simulate } from '../../scripts/lib/simulate.ts';

const base: RunConfigInput = {
  workload: 'kv', workloadParams: { keys: 100_000, valueBytes: 1000, writeRatio: 0.1 },
  ops: 30_000, warmupOps: 30_000, managedMemory: '16MiB',
  store: { writeBufferSize: '8MiB', targetFileSize: '8MiB', levelBase: '32MiB' }, seed: 2,
};
const rps = (c: RunConfigInput) => simulate(runConfig.parse({ ...base, ...c }), () => 0).summary.recordsPerSecond as number;

/** HDFS with its read first-byte latency × k. */
function slowerHdfs(k: number): DeviceSpec {
  const h = PRESETS.hdfs!;
  const fb = h.read.firstByte as { kind: 'lognormal'; p50Us: number; p99Us: number };
  return { ...h, name: `hdfs-x${k}`, read: { ...h.read, firstByte: { ...fb, p50Us: fb.p50Us * k, p99Us: fb.p99Us * k } } };
}

/** HDFS with its whole read time × k: first byte × k, bandwidth ÷ k. */
function scaledHdfs(k: number): DeviceSpec {
  const s = slowerHdfs(k);
  return { ...s, read: { ...s.read, bandwidthBytesPerSec: PRESETS.hdfs!.read.bandwidthBytesPerSec / k } };
}

test('doubling DFS latency lowers no-cache throughput', () => {
  const one = rps({ policy: 'none', dfs: slowerHdfs(1) });
  const two = rps({ policy: 'none', dfs: slowerHdfs(2) });
  assert.ok(two < one * 0.8, `${two} vs ${one}`);
});

test('a larger local cache raises throughput', () => {
  const small = rps({ policy: 'block', cacheSize: '8MiB' });
  const large = rps({ policy: 'block', cacheSize: '128MiB' });
  assert.ok(large > small * 1.2, `${large} vs ${small}`);
});

test("async's advantage over sync grows with DFS latency", () => {
  // One core, so that the gain measured is latency hidden, not reads' CPU moved onto a
  // second core. From a DFS as fast as memory to 150 µs reads the gain grows; past that
  // it levels off near 3, the number of read I/O threads (at HDFS latency: about 2.9).
  const gain = (k: number) => {
    const c = { policy: 'none', dfs: scaledHdfs(k), cpu: { cores: 1 } } as const;
    return rps({ ...c, exec: { mode: 'async' } }) / rps({ ...c, exec: { mode: 'sync' } });
  };
  const g = [0.001, 0.01, 0.1].map(gain);
  assert.ok(g[1]! > g[0]! * 1.2 && g[2]! > g[1]! * 1.2, `gains at 0.001×, 0.01×, 0.1× HDFS read time: ${g.join(', ')}`);
});
