/**
 * A fio-like probe of one device: `iodepth` closed-loop workers each issue a request,
 * wait for it, and issue the next, until `ops` requests have completed.
 */
import { Device, type DeviceSpec } from './device.ts';
import { LatencyHistogram, type LatencySummary } from './metrics.ts';
import { Process, type Sim } from './process.ts';
import { Scheduler } from './scheduler.ts';

export interface ProbeOptions {
  blockSize: number;
  iodepth: number;
  ops: number;
  write: boolean;
  seed: number;
}

export interface ProbeResult {
  device: string;
  blockSize: number;
  iodepth: number;
  ops: number;
  mode: 'read' | 'write';
  latencyUs: LatencySummary;
  simulatedSeconds: number;
  iops: number;
  bytesPerSecond: number;
  queueWaitUsMean: number;
}

export function probe(spec: DeviceSpec, opts: ProbeOptions): ProbeResult {
  const scheduler = new Scheduler();
  const device = new Device(spec, opts.seed);
  const latency = new LatencyHistogram();
  let issued = 0;

  function* worker(): Sim {
    let now = scheduler.now;
    while (issued < opts.ops) {
      issued++;
      const start = now;
      const done = opts.write ? device.write(now, opts.blockSize) : device.read(now, opts.blockSize);
      now = yield done;
      latency.record(now - start);
    }
  }

  for (let i = 0; i < opts.iodepth; i++) new Process(scheduler, worker()).start();
  scheduler.run();
  const seconds = scheduler.now / 1e6;
  return {
    device: device.name,
    blockSize: opts.blockSize,
    iodepth: opts.iodepth,
    ops: opts.ops,
    mode: opts.write ? 'write' : 'read',
    latencyUs: latency.summary(),
    simulatedSeconds: seconds,
    iops: seconds > 0 ? opts.ops / seconds : 0,
    bytesPerSecond: seconds > 0 ? (opts.ops * opts.blockSize) / seconds : 0,
    queueWaitUsMean: device.stats.queueWaitUs / opts.ops,
  };
}
