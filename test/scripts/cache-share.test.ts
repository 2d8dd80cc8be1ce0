/**
 * Cache sizes given as a share of the state (`--cache-size 40%`, a grid's
 * `cacheSizes: [50%]`): each workload's declared state against the store its load
 * actually builds, and the share resolved to bytes in runs and sweeps.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runConfig, type RunConfigInput } from '../../scripts/lib/config.ts';
import { simulate } from '../../scripts/lib/simulate.ts';
import { loadGrid } from '../../scripts/lib/sweep.ts';
import { InputError } from '../../sim/errors.ts';
import { makeWorkload } from '../../workloads/registry.ts';

const MiB = 2 ** 20;
const small = { managedMemory: '4MiB', store: { writeBufferSize: '1MiB', targetFileSize: '1MiB', levelBase: '4MiB' } };

// Loads that write their whole declared state: the SST bytes after the load (keys,
// values, each entry's sequence and lengths, and the files' index and filter blocks)
// must hold it, and not much more than its entries' encoding adds.
const loads: { config: RunConfigInput; overhead: number }[] = [
  { config: { workload: 'kv', workloadParams: { keys: 40_000, valueBytes: 200 } }, overhead: 11 / 216 },
  { config: { workload: 'ycsb-b', workloadParams: { recordCount: 20_000 } }, overhead: 11 / 1023 },
  { config: { workload: 'phase-shift', workloadParams: { keys: 10_000, valueBytes: 500 } }, overhead: 11 / 516 },
  { config: { workload: 'wordcount', workloadParams: { uniqueWords: 300_000, preloadWords: 300_000 } }, overhead: 11 / 24 },
  // Nexmark's entries' sizes vary; its load aims at the state with keys and values as they come.
  { config: { workload: 'nexmark-q7', workloadParams: { stateBytes: '16MiB' } }, overhead: 0.2 },
  { config: { workload: 'nexmark-q20', workloadParams: { stateBytes: '16MiB' } }, overhead: 0.2 },
];

for (const { config, overhead } of loads) {
  test(`${config.workload}: the declared state is what its load builds`, () => {
    const c = runConfig.parse({ ...small, ...config, ops: 1, cacheSize: '50%', placement: 'local' });
    const s = simulate(c, () => 0).summary as Record<string, any>;
    const declared = makeWorkload(c.workload, c.workloadParams, c.seed).stateBytes!();
    const stored = (s.lsm.levels as { bytes: number }[]).reduce((a, l) => a + l.bytes, 0);
    const ratio = stored / declared;
    // At least the declared keys and values; at most their encoding (sequence and
    // lengths, 11 bytes an entry) and 5% of files' metadata. (Measured: kv 1.063,
    // ycsb-b 1.020, phase-shift 1.030, wordcount 1.519, q7 1.097, q20 1.060.)
    assert.ok(ratio >= 1 && ratio <= (1 + overhead) * 1.05, `${config.workload}: stored ${stored} over declared ${declared} = ${ratio.toFixed(3)}`);
    assert.equal(s.cacheSizeBytes, Math.round(declared / 2));
    assert.deepEqual(s.cacheShareOfState, { share: 0.5, stateBytes: declared });
  });
}

test('phase-grow declares the state it grows to; a recorded trace declares none', () => {
  const w = makeWorkload('phase-grow', { growToBytes: '8MiB', valueBytes: 1000 }, 1);
  const bytes = w.stateBytes!();
  assert.ok(bytes >= 8 * MiB && bytes < 8 * MiB + 1016, String(bytes));
  const dir = mkdtempSync(join(tmpdir(), 'tiersim-share-'));
  try {
    const trace = join(dir, 't.csv');
    writeFileSync(trace, 'key,op\n1,put\n');
    assert.throws(() => simulate(runConfig.parse({ workload: 'trace', workloadParams: { trace }, cacheSize: '10%' })),
      (e: unknown) => e instanceof InputError && /cache size 10%: workload trace does not declare its state's size; give the cache size in bytes/.test(e.message));
    // A sweep says which axis and workload.
    assert.throws(() => loadGrid({ workloads: [{ name: 'trace', params: { trace } }], cacheSizes: ['5%'] }, 'g.yaml'),
      (e: unknown) => e instanceof InputError && /^g\.yaml: workloads\.0: cacheSizes\.0 \(5%\): workload trace does not declare/.test(e.message));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a share in a config: text kept, resolved per workload in a grid, bad shares refused', () => {
  assert.equal(runConfig.parse({ cacheSize: '40%' }).cacheSize, '40%');
  assert.equal(runConfig.parse({ cacheSize: ' 12.5 % ' }).cacheSize, '12.5%');
  assert.equal(runConfig.parse({ cacheSize: '64MiB' }).cacheSize, 64 * MiB);
  assert.match(runConfig.safeParse({ cacheSize: '0%' }).error!.issues[0]!.message, /must be a share above 0%/);
  assert.match(runConfig.safeParse({ cacheSize: '40 percent' }).error!.issues[0]!.message, /or a share of the state such as 40%/);

  const { cells } = loadGrid({
    base: { ops: 1000 },
    workloads: [{ name: 'kv', params: { keys: 10_000, valueBytes: 100 } }, { name: 'ycsb-c', params: { recordCount: 5_000 } }],
    policies: ['block'], cacheSizes: ['50%', '1MiB'],
  }, 'g.yaml');
  const sizes = cells.map((c) => `${c.labels.workload} ${String(c.config.cacheSize)} ${c.labels.cacheSize}`).sort();
  // kv: 10,000 keys of 16 + 100 bytes; ycsb-c: 5,000 records of 23 + 1000 bytes.
  assert.deepEqual(sizes, [`kv 1048576 1048576`, `kv 50% ${10_000 * 116 / 2}`, `ycsb-c 1048576 1048576`, `ycsb-c 50% ${5_000 * 1023 / 2}`]);
  // The id names the bytes, as for a size given in bytes.
  assert.ok(cells.some((c) => c.id.startsWith('kv-block-566.4KiB-hdfs-s1-')), cells.map((c) => c.id).join(' '));
});

test('--cache-size 40% through the command line: the bytes, the share and the state on the first line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tiersim-share-'));
  try {
    const r = spawnSync(process.execPath, ['bin/tiersim.mjs', 'run', '--workload', 'ycsb-b', '--param', 'recordCount=20000', '--ops', '2000',
      '--managed-memory', '4MiB', '--cache-size', '40%', '--out', dir], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    // 20,000 records of a 23-byte key and 10 fields of 100 bytes.
    const bytes = Math.round(0.4 * 20_000 * 1023);
    assert.match(r.stdout.split('\n')[0]!, /^ycsb-b disaggregated policy=file cache=7\.80 MiB \(40% of 19\.5 MiB of state\) dfs=hdfs: 2000 ops/);
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
    assert.equal(summary.cacheSizeBytes, bytes);
    assert.equal(JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')).cacheSize, '40%');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
