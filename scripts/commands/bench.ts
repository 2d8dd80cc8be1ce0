import type { CommandModule } from 'yargs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../reports/atomic.ts';
import { medianOfRuns, type Figure } from '../bench/figure.ts';
import { SECTIONS } from '../bench/index.ts';
import { InputError } from '../../sim/errors.ts';

/** Columns of the printed table: figure names, then values right-aligned. */
const NAME_WIDTH = 72;
const VALUE_WIDTH = 14;

interface Args {
  quick?: boolean;
  only?: string;
  repeat: number;
  out?: string;
  'peer-cachesim'?: string;
  'peer-db-bench'?: string;
}

export const benchCommand: CommandModule<object, Args> = {
  command: 'bench',
  describe: "the simulator's own speed and memory",
  builder: (y) => y
    .option('quick', { type: 'boolean', describe: 'smaller sizes, for a fast look' })
    .option('only', { type: 'string', describe: `comma-separated sections: ${SECTIONS.map((s) => s.name).join(', ')}` })
    .option('repeat', { type: 'number', default: 1, describe: 'run each section N times: each figure is the median, printed with the range' })
    .option('peer-cachesim', { type: 'string', describe: "path to libCacheSim's cachesim binary, to replay side by side" })
    .option('peer-db-bench', { type: 'string', describe: "path to RocksDB's db_bench binary, to read the store side by side (section store)" })
    .option('out', { type: 'string', describe: 'write bench.json here' }),
  handler: async (args) => {
    const wanted = args.only ? new Set(args.only.split(',').map((s) => s.trim())) : null;
    if (wanted) {
      const unknown = [...wanted].filter((w) => !SECTIONS.some((s) => s.name === w));
      if (unknown.length) throw new InputError(`unknown bench section ${unknown.join(', ')}; sections: ${SECTIONS.map((s) => s.name).join(', ')}`);
    }
    const repeat = args.repeat;
    if (!(Number.isInteger(repeat) && repeat >= 1)) throw new InputError(`--repeat must be a whole number of runs, at least 1 (got ${repeat})`);
    const figures: Figure[] = [];
    console.log('figure'.padEnd(NAME_WIDTH) + 'value'.padStart(VALUE_WIDTH) + '  unit      target     meets' + (repeat > 1 ? `  range of ${repeat} runs` : ''));
    for (const section of SECTIONS) {
      if (wanted && !wanted.has(section.name)) continue;
      const runs: Figure[][] = [];
      for (let i = 0; i < repeat; i++) {
        runs.push(await section.run({ quick: Boolean(args.quick), peerCachesim: args['peer-cachesim'], peerDbBench: args['peer-db-bench'] }));
      }
      for (const f of medianOfRuns(runs)) {
        figures.push(f);
        // A name longer than its column takes from the value's padding, so values stay aligned.
        const name = f.name.padEnd(NAME_WIDTH);
        const value = String(f.value);
        const range = f.runs ? `  ${Math.min(...f.runs)} – ${Math.max(...f.runs)}` : '';
        console.log(`${name}${value.padStart(Math.max(value.length + 1, NAME_WIDTH + VALUE_WIDTH - name.length))}  ${f.unit.padEnd(9)} ${f.target.padEnd(10)} ${(f.target ? (f.meets ? 'yes' : 'NO') : '').padEnd(5)}${range}`.trimEnd());
      }
    }
    if (args.out) writeFileAtomic(join(args.out, 'bench.json'), JSON.stringify({ figures }, null, 2) + '\n');
  },
};
