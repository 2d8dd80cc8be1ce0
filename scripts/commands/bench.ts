import type { CommandModule } from 'yargs';
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic } from '../../reports/atomic.ts';
import { medianOfRuns, type Figure } from '../bench/figure.ts';
import { againstColumn, compareToBaseline, readBaseline, type Against } from '../bench/baseline.ts';
import { describeHost, hostLine } from '../bench/host.ts';
import { SECTIONS } from '../bench/index.ts';
import { InputError } from '../../sim/errors.ts';
import { processTempDir } from '../lib/temp-dir.ts';

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
  'figures-to'?: string;
  baseline?: string;
}

/** The launcher a section's own process starts from (it registers tsx itself). */
const LAUNCHER = fileURLToPath(new URL('../../bin/tiersim.mjs', import.meta.url));

/**
 * One run of one section in a process of its own, as `tiersim bench --only NAME` runs
 * it: sections that build a 10 GB store leave the process at over a gigabyte of RSS,
 * which a section after them in the same process measured as its own
 * (docs/performance.md, *Running the sections apart*). Same node, flags and environment (huge pages).
 */
function runApart(name: string, args: Args): Figure[] {
  const dir = processTempDir('tiersim-bench-');
  try {
    const out = join(dir, 'figures.json');
    const flags = ['bench', '--only', name, '--figures-to', out];
    if (args.quick) flags.push('--quick');
    if (args['peer-cachesim']) flags.push('--peer-cachesim', args['peer-cachesim']);
    if (args['peer-db-bench']) flags.push('--peer-db-bench', args['peer-db-bench']);
    const r = spawnSync(process.execPath, [...process.execArgv, LAUNCHER, ...flags], { stdio: ['ignore', 'inherit', 'pipe'], encoding: 'utf8' });
    // Status 2: the section's process named what was wrong with the input; say it once, as this process.
    const said = r.status === 2 ? /^tiersim: (.*)$/m.exec(r.stderr ?? '') : null;
    if (said) throw new InputError(said[1]!);
    if (r.stderr) process.stderr.write(r.stderr);
    if (r.status !== 0) throw new Error(`bench section ${name}: its process ended with ${r.error?.message ?? (r.signal ? `signal ${r.signal}` : `status ${r.status}`)}`);
    return JSON.parse(readFileSync(out, 'utf8')) as Figure[];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const benchCommand: CommandModule<object, Args> = {
  command: 'bench',
  describe: "the simulator's own speed and memory",
  builder: (y) => y
    .option('quick', { type: 'boolean', describe: 'smaller sizes, for a fast look' })
    .option('only', { type: 'string', describe: `comma-separated sections: ${SECTIONS.map((s) => s.name).join(', ')}` })
    .option('repeat', { type: 'number', default: 1, describe: 'run each section N times, each in a process of its own: each figure is the median, printed with the range' })
    .option('peer-cachesim', { type: 'string', describe: "path to libCacheSim's cachesim binary, to replay side by side" })
    .option('peer-db-bench', { type: 'string', describe: "path to RocksDB's db_bench binary, to read the store side by side (section store)" })
    .option('out', { type: 'string', describe: 'write bench.json here' })
    .option('baseline', { type: 'string', describe: "an earlier run's bench.json (or its --out directory): print each figure's change against it and flag regressions" })
    .option('figures-to', { type: 'string', hidden: true, describe: 'internal: run the one section --only names once and write its figures here' }),
  handler: async (args) => {
    const wanted = args.only ? new Set(args.only.split(',').map((s) => s.trim())) : null;
    if (wanted) {
      const unknown = [...wanted].filter((w) => !SECTIONS.some((s) => s.name === w));
      if (unknown.length) throw new InputError(`unknown bench section ${unknown.join(', ')}; sections: ${SECTIONS.map((s) => s.name).join(', ')}`);
    }
    const repeat = args.repeat;
    if (!(Number.isInteger(repeat) && repeat >= 1)) throw new InputError(`--repeat must be a whole number of runs, at least 1 (got ${repeat})`);
    const options = { quick: Boolean(args.quick), peerCachesim: args['peer-cachesim'], peerDbBench: args['peer-db-bench'] };
    if (args['figures-to']) {
      // A section's own process (runApart): one run, figures to the file, nothing printed.
      const section = SECTIONS.find((s) => wanted?.size === 1 && wanted.has(s.name));
      if (!section) throw new InputError('--figures-to needs --only with one section');
      writeFileSync(args['figures-to'], JSON.stringify(await section.run(options)));
      return;
    }
    const host = describeHost();
    const baseline = args.baseline ? readBaseline(args.baseline) : undefined;
    const figures: Figure[] = [];
    // Every figure so far against the baseline's (the n-th of a name pairs across sections).
    let against: (Against | undefined)[] = [];
    const chosen = SECTIONS.filter((s) => !wanted || wanted.has(s.name));
    // On a terminal, a line on stderr says which section runs (a section takes up to
    // minutes and prints its figures at the end); erased before they print.
    const status = process.stderr.isTTY
      ? (text: string) => process.stderr.write(text ? `\r\x1b[K${text}` : '\r\x1b[K')
      : () => undefined;
    console.log(hostLine(host));
    if (baseline) {
      console.log(`against ${baseline.path}${baseline.host ? `, measured on ${hostLine(baseline.host).slice('host: '.length)}` : ''}`);
      if (baseline.host && baseline.host.cpu !== host.cpu) console.log('  (another processor: the store and sweep figures follow the host)');
    }
    console.log('figure'.padEnd(NAME_WIDTH) + 'value'.padStart(VALUE_WIDTH) + '  unit      target     meets' + (repeat > 1 ? `  range of ${repeat} runs` : ''));
    for (const [k, section] of chosen.entries()) {
      const runs: Figure[][] = [];
      for (let i = 0; i < repeat; i++) {
        status(`bench: section ${section.name} (${k + 1} of ${chosen.length}${repeat > 1 ? `, run ${i + 1} of ${repeat}` : ''}) …`);
        try {
          runs.push(runApart(section.name, args));
        } finally {
          status('');
        }
      }
      const sectionFigures = medianOfRuns(runs);
      const first = figures.length;
      figures.push(...sectionFigures);
      if (baseline) against = compareToBaseline(figures, baseline.figures);
      for (const [i, f] of sectionFigures.entries()) {
        // A name longer than its column takes from the value's padding, so values stay aligned.
        const name = f.name.padEnd(NAME_WIDTH);
        const value = String(f.value);
        const range = f.runs ? `  ${Math.min(...f.runs)} – ${Math.max(...f.runs)}` : '';
        const was = baseline ? againstColumn(against[first + i]) : '';
        console.log(`${name}${value.padStart(Math.max(value.length + 1, NAME_WIDTH + VALUE_WIDTH - name.length))}  ${f.unit.padEnd(9)} ${f.target.padEnd(10)} ${(f.target ? (f.meets ? 'yes' : 'NO') : '').padEnd(5)}${range}${was}`.trimEnd());
      }
    }
    let compared;
    if (baseline) {
      const regressed = figures.filter((_, i) => against[i]?.regressed).map((f) => f.name.trim());
      const matched = against.filter((a) => a !== undefined).length;
      console.log(`against the baseline: ${matched} of ${figures.length} figures compared; ${regressed.length === 0 ? 'no figure with a target regressed' : `regressed: ${regressed.join('; ')}`}`);
      compared = { path: baseline.path, host: baseline.host, compared: matched, regressed };
    }
    if (args.out) writeFileAtomic(join(args.out, 'bench.json'), JSON.stringify({ host, figures, ...(compared ? { baseline: compared } : {}) }, null, 2) + '\n');
  },
};
