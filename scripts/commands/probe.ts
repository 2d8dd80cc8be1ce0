import type { CommandModule } from 'yargs';
import { InputError } from '../../sim/errors.ts';
import { probe } from '../../sim/probe.ts';
import { formatBytes, formatDuration, parseSize } from '../../sim/units.ts';
import { resolveDevice } from '../lib/devices.ts';

interface Args {
  device: string;
  'block-size': string;
  iodepth: number;
  ops: number;
  read?: boolean;
  write?: boolean;
  seed: number;
  json?: boolean;
}

export const probeCommand: CommandModule<object, Args> = {
  command: 'probe',
  describe: 'fio-like probe of one simulated device: latency percentiles, IOPS, bandwidth',
  builder: (y) => y
    .option('device', { type: 'string', demandOption: true, describe: 'preset name or device file' })
    .option('block-size', { type: 'string', default: '4KiB', describe: 'request size' })
    .option('iodepth', { type: 'number', default: 1, describe: 'requests in flight (closed loop)' })
    .option('ops', { type: 'number', default: 100000, describe: 'requests to complete' })
    .option('read', { type: 'boolean', describe: 'probe reads (default)' })
    .option('write', { type: 'boolean', describe: 'probe writes' })
    .option('seed', { type: 'number', default: 1 })
    .option('json', { type: 'boolean', describe: 'print one JSON object' }),
  handler: (args) => {
    const spec = resolveDevice(args.device);
    const blockSize = parseSize(args['block-size'], '--block-size');
    if (!Number.isInteger(args.iodepth) || args.iodepth < 1) throw new InputError(`--iodepth: ${args.iodepth} must be a whole number >= 1`);
    if (!Number.isInteger(args.ops) || args.ops < 1) throw new InputError(`--ops: ${args.ops} must be a whole number >= 1`);
    if (args.read && args.write) throw new InputError('--read and --write: choose one');
    const r = probe(spec, { blockSize, iodepth: args.iodepth, ops: args.ops, write: !!args.write, seed: args.seed });
    if (args.json) {
      console.log(JSON.stringify({
        device: r.device, mode: r.mode, blockSize: r.blockSize, iodepth: r.iodepth, ops: r.ops,
        p50Us: r.latencyUs.p50, p90Us: r.latencyUs.p90, p99Us: r.latencyUs.p99, p999Us: r.latencyUs.p999,
        maxUs: r.latencyUs.max, meanUs: r.latencyUs.mean,
        iops: r.iops, bytesPerSecond: r.bytesPerSecond, simulatedSeconds: r.simulatedSeconds,
      }));
      return;
    }
    const l = r.latencyUs;
    console.log(`${r.device} ${r.mode} bs=${formatBytes(r.blockSize)} iodepth=${r.iodepth} ops=${r.ops}`);
    console.log(`  lat: p50=${formatDuration(l.p50)} p90=${formatDuration(l.p90)} p99=${formatDuration(l.p99)} p99.9=${formatDuration(l.p999)} max=${formatDuration(l.max)} mean=${formatDuration(l.mean)}`);
    console.log(`  iops=${r.iops.toFixed(0)} bw=${formatBytes(r.bytesPerSecond)}/s simulated=${r.simulatedSeconds.toFixed(3)} s`);
  },
};
