import { atLeast, info, type BenchSection } from './figure.ts';
import { memoryContention } from './memory-contention.ts';
import { sweepSpeed } from '../lib/sweep.ts';

const MiB = 2 ** 20;

/**
 * Cells per wall second of scripts/grids/bench.yaml (24 cells of about a second) on 1
 * and 2 threads, the better of two rounds each; the CPU the same cells took on two
 * threads over one; and, beside them, what two threads cost each other on this host.
 */
export const sweepSection: BenchSection = {
  name: 'sweep',
  async run() {
    const speeds = await sweepSpeed('scripts/grids/bench.yaml', [1, 2]);
    const one = speeds.find((x) => x.workers === 1)!;
    const two = speeds.find((x) => x.workers === 2)!;
    return [
      info(`sweep cells per second, 1 worker (${one.cells} cells)`, one.cellsPerSecond, 'cells/s', 3),
      atLeast('sweep speed-up, 2 workers over 1', two.cellsPerSecond / one.cellsPerSecond, 'x', 1.8, 3),
      info('  CPU seconds of the sweep, 2 workers over 1', two.cpuSeconds / one.cpuSeconds, 'x', 3),
      info('  host: random access over 16 MiB, two threads at once over one alone', await memoryContention(16 * MiB), 'x', 3),
      info('  host: random access over 1 MiB, two threads at once over one alone', await memoryContention(1 * MiB), 'x', 3),
    ];
  },
};
