import type { CommandModule } from 'yargs';
import { progressBar } from '../lib/progress.ts';
import { EVICTION_ALGORITHMS } from '../../policies/eviction/registry.ts';
import { TRACE_FORMATS } from '../../workloads/traces/formats.ts';
import { formatIntervals, formatRow, writeResults } from '../replay.ts';
import { replayOnThreads } from '../lib/replay-threads.ts';
import { readReplayResults } from '../../reports/read.ts';
import { buildReport, writeReportFiles } from '../../reports/run-report.ts';

interface Args {
  trace: string;
  format?: string;
  policy: string | string[];
  size: string | string[];
  csv?: string;
  out?: string;
  'keep-size-changes'?: boolean;
  params?: string;
  warmup?: number;
  interval?: number;
  sample?: number;
  workers: number;
}

export const replayCommand: CommandModule<object, Args> = {
  command: 'replay',
  describe: 'cache-only replay of a block trace: miss ratio and byte miss ratio per eviction algorithm and cache size',
  builder: (y) => y
    .option('trace', { type: 'string', demandOption: true, describe: 'trace file (plain, zstd or gzip)' })
    .option('format', { type: 'string', describe: `${Object.keys(TRACE_FORMATS).join(' | ')} (default: from the file name)` })
    .option('policy', { type: 'string', default: 'lru', describe: `comma-separated, or all: ${Object.keys(EVICTION_ALGORITHMS).join(', ')}` })
    .option('size', { type: 'string', demandOption: true, describe: 'comma-separated cache sizes: 16MiB, 1GiB, bytes, shares of the working set (0.01, 10%), or auto (cachesim\'s eight shares)' })
    .option('params', { alias: 'e', type: 'string', describe: 'the algorithms\' options, as cachesim\'s -e: "segments=8", "windowRatio=0.1"; every --policy must know them' })
    .option('warmup', { type: 'number', describe: 'as cachesim\'s --warmup-sec: requests up to this trace time (from the first; seconds for oracleGeneral and vscsi) warm the caches, uncounted' })
    .option('interval', { type: 'number', describe: 'as cachesim\'s --report-interval: a miss-ratio line per this much trace time (and intervals.csv with --out)' })
    .option('csv', { type: 'string', describe: 'csv column mapping, libCacheSim style: "time-col=2,obj-id-col=5,obj-size-col=4,has-header=true,delimiter=,"' })
    .option('out', { type: 'string', describe: 'directory for results.csv, the miss-ratio curve (charts/) and report.html' })
    .option('sample', { type: 'number', describe: 'replay a hashed share of the objects (SHARDS), cache sizes scaled by it, e.g. 0.1' })
    .option('workers', { type: 'number', default: 1, describe: 'threads: the algorithms (or, with fewer algorithms than threads, the sizes) are shared out, each thread reading the trace itself' })
    .option('keep-size-changes', { type: 'boolean', describe: 'use each request\'s own size (default: yes for oracleGeneral, whose sizes are as written; for other formats an object keeps the size of its first request)' })
    .example('$0 replay --trace cloudPhysicsIO.oracleGeneral.bin --policy lru,s3fifo --size 16MiB,1GiB', '')
    .example('$0 replay --trace cloudPhysicsIO.oracleGeneral.bin --policy slru --params segments=8 --size 16MiB', 'SLRU with eight segments')
    .example('$0 replay --trace big.oracleGeneral.bin --policy lru,arc,s3fifo,sieve --size 0.01,0.1 --workers 2', 'on two threads'),
  handler: async (args) => {
    const bar = progressBar('replay');
    let report;
    try {
      report = await replayOnThreads({
        trace: args.trace,
        format: args.format,
        policies: ([] as string[]).concat(args.policy),
        sizes: ([] as string[]).concat(args.size),
        ...(args.csv !== undefined ? { csv: args.csv } : {}),
        ...(args.params !== undefined ? { params: args.params } : {}),
        ...(args.warmup !== undefined ? { warmup: args.warmup } : {}),
        ...(args.interval !== undefined ? { interval: args.interval } : {}),
        ...(args['keep-size-changes'] !== undefined ? { keepSizeChanges: args['keep-size-changes'] } : {}),
        ...(args.sample !== undefined ? { sample: args.sample } : {}),
        onProgress: (done) => bar?.update(done),
      }, args.workers);
    } finally {
      bar?.stop();
    }
    if (report.nextAccessRecomputed) {
      console.error(`tiersim: note: ${args.trace}: its next-access times are wrong (${report.nextAccessRecomputed}); belady ran on next accesses computed from the requests`);
    }
    for (const row of report.rows) for (const line of formatIntervals(row)) console.log(line);
    for (const row of report.rows) console.log(formatRow(row));
    if (args.out !== undefined) {
      // The results as `tiersim report` would show this directory: the miss-ratio curve and the page.
      const replays = readReplayResults(writeResults(args.out, report.rows), args.out);
      writeReportFiles(args.out, (await buildReport([], replays)).files);
    }
  },
};
