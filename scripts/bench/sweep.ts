import { atLeast, info, type BenchSection } from './figure.ts';
import { sweepSpeed } from '../lib/sweep.ts';

/** Cells per wall second of scripts/grids/bench.yaml (24 cells of about a second) on 1 and 2 threads, the better of two rounds each. */
export const sweepSection: BenchSection = {
  name: 'sweep',
  async run() {
    const speeds = await sweepSpeed('scripts/grids/bench.yaml', [1, 2]);
    const one = speeds.find((x) => x.workers === 1)!;
    const two = speeds.find((x) => x.workers === 2)!;
    return [
      info(`sweep cells per second, 1 worker (${one.cells} cells)`, one.cellsPerSecond, 'cells/s', 3),
      atLeast('sweep speed-up, 2 workers over 1', two.cellsPerSecond / one.cellsPerSecond, 'x', 1.8, 3),
    ];
  },
};
