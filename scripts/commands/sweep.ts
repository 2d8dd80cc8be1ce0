import type { CommandModule } from 'yargs';
import cliProgress from 'cli-progress';
import { runSweep, type SweepResult } from '../lib/sweep.ts';

interface Args {
  grid: string;
  out: string;
  workers?: number;
  shard?: string;
  json?: boolean;
}

export const sweepCommand: CommandModule<object, Args> = {
  command: 'sweep',
  describe: 'a grid (workloads × placements × policies × cache sizes × DFS × seeds) on worker threads; resumable, shardable',
  builder: (y) => y
    .option('grid', { type: 'string', demandOption: true, describe: 'grid file (JSON or YAML)' })
    .option('out', { type: 'string', demandOption: true, describe: 'output directory: cells/<id>/, grid.json, sweep.csv' })
    .option('workers', { type: 'number', describe: 'threads: this one and N - 1 workers (default: min(cells, available parallelism); 1 = this thread alone)' })
    .option('shard', { type: 'string', describe: 'run only shard i of n (0-based), e.g. --shard $JOB_COMPLETION_INDEX/8' })
    .option('json', { type: 'boolean', describe: 'print nothing but a final JSON' })
    .example('$0 sweep --grid scripts/grids/example.yaml --out runs/example', '')
    .example('$0 sweep --grid grid.yaml --shard 2/4 --out /results', 'the third of four shards'),
  handler: async (args) => {
    const bar = process.stderr.isTTY
      ? new cliProgress.SingleBar({ stream: process.stderr, format: 'sweep [{bar}] {cells}/{total} cells{left}', hideCursor: true, clearOnComplete: true }, cliProgress.Presets.shades_classic)
      : undefined;
    // A line per cell; above the bar when both go to the terminal.
    const line = (text: string) => {
      if (args.json) return;
      if (bar && process.stdout.isTTY) {
        bar.stop();
        console.log(text);
        bar.start(barTotal, barValue, { cells: finished, left: left() });
      } else {
        console.log(text);
      }
    };
    let barTotal = 0;
    // Cells done, counting those under way by their progress (the bar), and those finished.
    let barValue = 0;
    let finished = 0;
    // The time left from the mean time per cell done (the bar's own estimate restarts with each line).
    const started = performance.now();
    const left = () => (barValue === 0 ? '' : `, about ${Math.ceil((performance.now() - started) / 1000 / barValue * (barTotal - barValue))} s left`);
    let result: SweepResult;
    try {
      result = await runSweep({
        grid: args.grid,
        out: args.out,
        ...(args.workers !== undefined ? { workers: args.workers } : {}),
        ...(args.shard !== undefined ? { shard: args.shard } : {}),
        onPlan: (p) => {
          barTotal = p.toRun;
          if (!args.json) {
            const shard = p.shard.count > 1 ? `, shard ${p.shard.index}/${p.shard.count}: ${p.shardCells}` : '';
            console.log(`${p.gridCells} cells${shard}; ${p.skipped} already done, ${p.toRun} to run on ${p.workers} worker${p.workers === 1 ? '' : 's'}`);
          }
          if (p.toRun > 0) bar?.start(p.toRun, 0, { cells: 0, left: '' });
        },
        onCell: (c) => {
          finished = c.done;
          barValue = Math.max(barValue, c.done);
          line(`${c.id}  ${String(c.summary.opsPerSecond)} ops/s`);
          bar?.update(barValue, { cells: finished, left: left() });
        },
        ...(bar ? {
          onProgress: (done: number) => {
            barValue = Math.max(barValue, done); // a cell between its thread's last report and its result counts once
            bar.update(barValue, { cells: finished, left: left() });
          },
        } : {}),
      });
    } finally {
      bar?.stop();
    }
    if (args.json) {
      console.log(JSON.stringify({ ...result, ran: result.ran.length }, null, 2));
      return;
    }
    console.log(`${result.ran.length} cells run, ${result.skipped} skipped (already done) in ${result.wallSeconds} s` +
      ` (${result.cellsPerSecond} cells/s on ${result.workers} worker${result.workers === 1 ? '' : 's'}); wrote ${result.out}/sweep.csv`);
  },
};
