import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { CommandModule } from 'yargs';
import { InputError } from '../../sim/errors.ts';
import { fitLogNormal } from '../../sim/fit.ts';
import type { DeviceSpec } from '../../sim/device.ts';
import { formatDuration } from '../../sim/units.ts';
import { resolveDevice } from '../lib/devices.ts';
import { writeFileAtomic } from '../../reports/atomic.ts';

interface Args {
  samples: string;
  column: string;
  base: string;
  name?: string;
  out?: string;
  empirical?: boolean;
  write?: boolean;
}

/** Reads one numeric column from a CSV with a header; names file and line on bad rows. */
export function readSamples(path: string, column: string): number[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new InputError(`--samples: cannot read '${path}'`);
  }
  let rows: string[][];
  try {
    rows = parse(text, { relax_column_count: false, skip_empty_lines: true, trim: true });
  } catch (err) {
    throw new InputError(`${path}: ${(err as Error).message.split('\n')[0]}`);
  }
  if (rows.length === 0) throw new InputError(`${path}: empty file`);
  const header = rows[0]!;
  let col = header.indexOf(column);
  let first = 1;
  if (col < 0) {
    // A file without a header: a single column of numbers, or a 1-based column index.
    if (/^\d+$/.test(column)) col = Number(column) - 1;
    else if (header.length === 1 && Number.isFinite(Number(header[0]))) col = 0;
    else throw new InputError(`${path} line 1: no column '${column}' (columns: ${header.join(', ')})`);
    first = Number.isFinite(Number(header[col])) ? 0 : 1;
  }
  const out: number[] = [];
  for (let i = first; i < rows.length; i++) {
    const cell = rows[i]![col];
    const v = Number(cell);
    if (cell === undefined || cell === '' || !Number.isFinite(v)) {
      throw new InputError(`${path} line ${i + 1}: column '${column}' value '${cell ?? ''}' is not a number`);
    }
    out.push(v);
  }
  return out;
}

export const calibrateCommand: CommandModule<object, Args> = {
  command: 'calibrate',
  describe: 'fit a lognormal device preset to measured latencies (CSV, µs)',
  builder: (y) => y
    .option('samples', { type: 'string', demandOption: true, describe: 'CSV file of measured latencies' })
    .option('column', { type: 'string', default: 'latency_us', describe: 'column name (or 1-based index) holding µs' })
    .option('base', { type: 'string', default: 'nvme', describe: 'preset whose other figures (concurrency, bandwidth) the new device keeps' })
    .option('name', { type: 'string', describe: 'name of the new device (default: the samples file name)' })
    .option('out', { type: 'string', describe: 'write the device file here (JSON), for any --device/--dfs/--disk flag' })
    .option('write', { type: 'boolean', describe: 'the samples are writes (default: reads)' })
    .option('empirical', { type: 'boolean', describe: 'keep the samples themselves (empirical distribution) instead of the lognormal fit' }),
  handler: (args) => {
    const samples = readSamples(args.samples, args.column);
    const fit = fitLogNormal(samples);
    const base = resolveDevice(args.base, '--base');
    const name = args.name ?? args.samples.replace(/^.*[\\/]/, '').replace(/\.[^.]*$/, '');
    const firstByte = args.empirical
      ? { kind: 'empirical' as const, samplesUs: samples }
      : { kind: 'lognormal' as const, p50Us: fit.p50Us, p99Us: fit.p99Us };
    const spec: DeviceSpec = {
      ...base,
      name,
      description: `calibrated from ${args.samples} (${fit.samples} samples)`,
      source: `tiersim calibrate: lognormal μ=${fit.mu.toFixed(4)} σ=${fit.sigma.toFixed(4)}; other figures from preset ${base.name}`,
      [args.write ? 'write' : 'read']: { ...(args.write ? base.write : base.read), firstByte },
    };
    console.log(`${fit.samples} samples: lognormal μ=${fit.mu.toFixed(4)} σ=${fit.sigma.toFixed(4)} (p50 ${formatDuration(fit.p50Us)}, p99 ${formatDuration(fit.p99Us)})`);
    for (const q of fit.quantiles) {
      console.log(`  p${q.q * 100}: measured ${formatDuration(q.measuredUs)}, fitted ${formatDuration(q.fittedUs)}, error ${(q.relativeError * 100).toFixed(1)}%`);
    }
    if (args.out) {
      writeFileAtomic(args.out, JSON.stringify(spec, null, 2) + '\n');
      console.log(`wrote ${args.out}: use it as --device ${args.out}`);
    }
  },
};
