/**
 * The adaptive cache's speed budget: its CPU time per run against `block`'s on the
 * same store (docs/adaptive.md: no slower than 1.3×). Cells of the evaluation matrix
 * (scripts/grids/adaptive.yaml) at 40% of the state, where both regions are in use;
 * each policy runs twice, alternating, and the faster run counts.
 */
import { runConfig, type RunConfigInput } from '../lib/config.ts';
import { simulate } from '../lib/simulate.ts';
import { atMost, info, type BenchSection, type Figure } from './figure.ts';
import { cpuSeconds } from './store.ts';

const MiB = 2 ** 20;

function cpuOf(config: RunConfigInput): number {
  const t0 = cpuSeconds();
  simulate(runConfig.parse(config), () => 0);
  return cpuSeconds() - t0;
}

export const adaptiveSection: BenchSection = {
  name: 'adaptive',
  async run({ quick }) {
    const base = {
      ops: quick ? 30_000 : 100_000, warmupOps: quick ? 30_000 : 100_000, managedMemory: 16 * MiB,
      store: { writeBufferSize: 8 * MiB, targetFileSize: 8 * MiB, levelBase: 32 * MiB }, cacheSize: 77 * MiB, dfs: 'hdfs',
    };
    const cells: [string, Record<string, unknown>][] = [
      ['ycsb-b', { recordCount: 200_000 }],
      ['nexmark-q20', { stateBytes: 192 * MiB }],
      ['phase-grow', { growToBytes: 192 * MiB, initialKeys: 50_000 }],
    ];
    const figures: Figure[] = [];
    let worst = 0;
    for (const [workload, workloadParams] of cells) {
      const best = { block: Infinity, adaptive: Infinity };
      for (let round = 0; round < 2; round++) {
        for (const policy of ['block', 'adaptive'] as const) best[policy] = Math.min(best[policy], cpuOf({ ...base, workload, workloadParams, policy }));
      }
      const ratio = best.adaptive / best.block;
      worst = Math.max(worst, ratio);
      // Names carry no measured values, so that `--repeat` pairs the lines of its runs.
      figures.push(
        info(`  ${workload}, 77 MiB of 192 MiB, HDFS: adaptive over block`, ratio, 'x', 2),
        info(`    ${workload}: adaptive, CPU s per run`, best.adaptive, 's', 2),
        info(`    ${workload}: block, CPU s per run`, best.block, 's', 2),
      );
    }
    figures.unshift(atMost('adaptive / block, CPU s per run (worst of 3 matrix cells)', worst, 'x', 1.3));
    return figures;
  },
};
