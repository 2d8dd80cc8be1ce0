import type { CommandModule } from 'yargs';
import { PRESETS } from '../../sim/presets.ts';
import { probe } from '../../sim/probe.ts';
import { formatDuration } from '../../sim/units.ts';

// Until the store lands, `run` with no arguments shows what is built: every device
// preset probed with 4 KiB reads at iodepth 1 and 32.
export const runCommand: CommandModule = {
  command: 'run',
  describe: 'run a simulation (so far: probes every device preset)',
  handler: () => {
    console.log('tiersim: the simulation core and device presets (the store comes next).');
    console.log('preset       p50 (qd1)   p99 (qd1)   IOPS qd1   IOPS qd32');
    for (const spec of Object.values(PRESETS)) {
      const one = probe(spec, { blockSize: 4096, iodepth: 1, ops: 20000, write: false, seed: 1 });
      const many = probe(spec, { blockSize: 4096, iodepth: 32, ops: 20000, write: false, seed: 1 });
      console.log(`${spec.name.padEnd(12)} ${formatDuration(one.latencyUs.p50).padStart(10)}  ${formatDuration(one.latencyUs.p99).padStart(10)}  ${one.iops.toFixed(0).padStart(9)}  ${many.iops.toFixed(0).padStart(10)}`);
    }
  },
};
