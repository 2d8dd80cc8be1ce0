import { atLeast, info, type BenchSection, type Figure } from './figure.ts';
import { memoryContention } from './memory-contention.ts';
import { sweepSpeed, type SweepSpeed } from '../lib/sweep.ts';

const MiB = 2 ** 20;

/** The cells' own seconds over the sweep's threads × its wall seconds: what start-up, the last cell and writing leave. */
function busyShare(s: SweepSpeed): number {
  return s.cellSeconds / (s.workers * (s.cells / s.cellsPerSecond));
}

/**
 * Where the two threads' time outside cells went: the worker thread's start-up
 * (loading the simulator) before its first cell, its first cell's extra time (a new
 * thread's code is not yet optimized), and the first thread to finish waiting for the last.
 */
function threadLines(s: SweepSpeed): Figure[] {
  const worker = s.threads[1];
  if (!worker) return [];
  const ends = s.threads.map((t) => t.lastEndedSeconds);
  return [
    info('  the worker thread\'s first cell began after', worker.firstStartedSeconds, 's', 3),
    info('  the worker\'s first cell over its median cell', worker.firstCellSeconds / worker.medianCellSeconds, 'x', 3),
    info('  the first thread to finish waited for the last', Math.max(...ends) - Math.min(...ends), 's', 3),
  ];
}

/**
 * What V8's own threads (garbage collection, optimizing compilation) used beside the
 * cells on one thread, where they run on the idle core; on two threads they take from
 * the cells (docs/performance.md, *V8's heap*). Linux only.
 */
function helperLines(one: SweepSpeed): Figure[] {
  if (one.mainThreadCpuSeconds === undefined || !(one.mainThreadCpuSeconds > 0)) return [];
  const helpers = one.cpuSeconds - one.mainThreadCpuSeconds;
  return [info('  V8\'s other threads\' CPU beside the cells, 1 worker', 100 * helpers / one.mainThreadCpuSeconds, '% of main', 1)];
}

/**
 * Cells per wall second of scripts/grids/bench.yaml (24 cells of about a second) on 1
 * and 2 threads, the better of two rounds each; the CPU and the cells' own time on two
 * threads over one, and how busy the two threads were with cells (the speed-up is about
 * twice that share over the cells' time ratio); and, beside them, what two threads cost
 * each other on this host.
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
      info('  the cells\' own seconds, 2 workers over 1', two.cellSeconds / one.cellSeconds, 'x', 3),
      info('  share of the 2 threads\' time spent in cells', 100 * busyShare(two), '%', 1),
      ...helperLines(one),
      ...threadLines(two),
      info('  host: random access over 16 MiB, two threads at once over one alone', await memoryContention(16 * MiB), 'x', 3),
      info('  host: random access over 1 MiB, two threads at once over one alone', await memoryContention(1 * MiB), 'x', 3),
    ];
  },
};
