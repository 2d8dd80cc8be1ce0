import type { CommandModule } from 'yargs';
import { join } from 'node:path';
import { progressBar } from '../lib/progress.ts';
import { reproduce, selectRows, writeReproduction } from '../reproduce/run.ts';

interface Args {
  only?: string;
  workers?: number;
  out: string;
}

export const reproduceCommand: CommandModule<object, Args> = {
  command: 'reproduce',
  describe: 'the published proof-of-concept results, simulated, each against its band',
  builder: (y) => y
    .option('only', { type: 'string', describe: 'comma-separated row ids (default: every row)' })
    .option('workers', { type: 'number', describe: 'threads: this one and N - 1 workers (default: one per core)' })
    .option('out', { type: 'string', default: 'runs/reproduce', describe: 'write reproduce.csv, reproduce.md and charts/ here' }),
  handler: async (args) => {
    const rows = selectRows(args.only);
    const started = performance.now();
    const bar = progressBar('reproduce');
    let results;
    try {
      results = await reproduce({ rows, ...(args.workers ? { workers: args.workers } : {}), ...(bar ? { onRun: (d: number, t: number) => bar.update(d / t) } : {}) });
    } finally {
      bar?.stop();
    }
    console.log('id'.padEnd(26) + 'published'.padStart(12) + 'simulated'.padStart(12) + '  unit        ratio  band                   within');
    for (const r of results) {
      console.log(`${r.id.padEnd(26)}${String(r.published).padStart(12)}${String(r.simulated).padStart(12)}  ${r.unit.padEnd(10)} ${String(r.ratio).padStart(6)}  ${r.band.padEnd(22)} ${r.within ? 'yes' : 'NO'}`);
    }
    await writeReproduction(args.out, results);
    const inside = results.filter((r) => r.within).length;
    console.log(`${inside} of ${results.length} rows inside their band; ${((performance.now() - started) / 1000).toFixed(1)} s wall; wrote ${join(args.out, 'reproduce.csv')}, reproduce.md and charts/`);
  },
};
