import type { CommandModule } from 'yargs';
import { InputError } from '../../sim/errors.ts';

interface Args {
  dirs: string[];
  out: string;
  title?: string;
  compare?: string;
  against?: string;
  'min-ratio': number;
  'max-p99-ratio': number;
  runs?: string;
}

export const reportCommand: CommandModule<object, Args> = {
  command: 'report <dirs..>',
  describe: 'merge run, sweep and replay directories into table.md, table.csv, charts/ and report.html',
  builder: (y) => y
    .positional('dirs', { type: 'string', array: true, demandOption: true, describe: 'result directories: run (summary.json), sweep (cells/), default comparison (*/summary.json), replay (results.csv)' })
    .option('out', { type: 'string', demandOption: true, describe: 'output directory' })
    .option('title', { type: 'string', describe: 'title of report.html' })
    .option('runs', { type: 'string', describe: 'only the runs whose name matches this regular expression (a few cells of a large sweep get the per-run charts)' })
    .option('compare', { type: 'string', describe: 'a policy to hold against the best of --against in every setup (compare.md, compare.csv)' })
    .option('against', { type: 'string', describe: 'comma-separated policies the --compare policy is held against' })
    .option('min-ratio', { type: 'number', default: 0.95, describe: 'the bar: least throughput over the best baseline\'s' })
    .option('max-p99-ratio', { type: 'number', default: 1.1, describe: 'the bar: most get p99 over the best baseline\'s' })
    .example('$0 report runs/example /tmp/replay --out runs/report', 'a sweep and a replay in one report')
    .example('$0 report runs/adaptive --out runs/adaptive-report --compare adaptive --against file,block', 'adaptive against the better of file and block in every setup')
    .example('$0 report runs/adaptive --runs "^phase-shift-.*-77MiB-hdfs-s3" --out runs/shift', 'three cells of a sweep, with their per-run charts'),
  handler: async (args) => {
    // Vega and resvg load only when a report is made (they add about a second to start-up).
    const { runReport } = await import('../report.ts');
    if ((args.compare === undefined) !== (args.against === undefined)) throw new InputError('--compare and --against go together');
    const compare = args.compare === undefined ? undefined : {
      policy: args.compare,
      against: String(args.against).split(',').map((p) => p.trim()).filter((p) => p !== ''),
      minRatio: args['min-ratio'],
      maxP99Ratio: args['max-p99-ratio'],
    };
    const r = await runReport({ dirs: args.dirs.map(String), out: args.out, ...(args.title !== undefined ? { title: args.title } : {}), ...(compare ? { compare } : {}), ...(args.runs !== undefined ? { runs: args.runs } : {}) });
    console.log(`${r.runs} run${r.runs === 1 ? '' : 's'}, ${r.replayRows} replay row${r.replayRows === 1 ? '' : 's'}, ${r.charts.length} charts (${r.charts.join(', ')})`);
    if (r.verdict) console.log(r.verdict);
    console.log(`wrote ${r.out}/report.html, ${r.out}/table.md${r.runs > 0 ? `, ${r.out}/table.csv` : ''}${r.replayRows > 0 ? `, ${r.out}/replays.csv` : ''} and ${r.out}/charts/`);
  },
};
