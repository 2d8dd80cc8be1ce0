import type { CommandModule } from 'yargs';

interface Args {
  dirs: string[];
  out: string;
  title?: string;
}

export const reportCommand: CommandModule<object, Args> = {
  command: 'report <dirs..>',
  describe: 'merge run, sweep and replay directories into table.md, table.csv, charts/ and report.html',
  builder: (y) => y
    .positional('dirs', { type: 'string', array: true, demandOption: true, describe: 'result directories: run (summary.json), sweep (cells/), default comparison (*/summary.json), replay (results.csv)' })
    .option('out', { type: 'string', demandOption: true, describe: 'output directory' })
    .option('title', { type: 'string', describe: 'title of report.html' })
    .example('$0 report runs/example /tmp/replay --out runs/report', 'a sweep and a replay in one report'),
  handler: async (args) => {
    // Vega and resvg load only when a report is made (they add about a second to start-up).
    const { runReport } = await import('../report.ts');
    const r = await runReport({ dirs: args.dirs.map(String), out: args.out, ...(args.title !== undefined ? { title: args.title } : {}) });
    console.log(`${r.runs} run${r.runs === 1 ? '' : 's'}, ${r.replayRows} replay row${r.replayRows === 1 ? '' : 's'}, ${r.charts.length} charts (${r.charts.join(', ')})`);
    console.log(`wrote ${r.out}/report.html, ${r.out}/table.md${r.runs > 0 ? `, ${r.out}/table.csv` : ''}${r.replayRows > 0 ? `, ${r.out}/replays.csv` : ''} and ${r.out}/charts/`);
  },
};
