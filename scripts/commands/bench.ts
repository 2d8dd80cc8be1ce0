import type { CommandModule } from 'yargs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../reports/atomic.ts';
import { measureSstMemory } from '../bench/sst-memory.ts';
import { sweepSpeed } from '../lib/sweep.ts';

interface Args {
  quick?: boolean;
  out?: string;
}

interface Figure {
  name: string;
  value: number;
  unit: string;
  target: string;
  meets: boolean;
}

export const benchCommand: CommandModule<object, Args> = {
  command: 'bench',
  describe: "the simulator's own speed and memory",
  builder: (y) => y
    .option('quick', { type: 'boolean', describe: 'smaller sizes, for a fast look' })
    .option('out', { type: 'string', describe: 'write bench.json here' }),
  handler: async (args) => {
    const figures: Figure[] = [];
    const keys = args.quick ? 2_000_000 : 50_000_000;
    const mem = measureSstMemory(keys);
    figures.push({
      name: `SST metadata per live entry (${keys.toLocaleString('en')} keys, ${mem.files} files)`,
      value: Number(mem.bytesPerEntry.toFixed(2)), unit: 'bytes', target: '<= 40', meets: mem.bytesPerEntry <= 40,
    });
    // Sweep speed-up with workers, on the example grid.
    const speeds = await sweepSpeed('scripts/grids/example.yaml', [1, 2]);
    const one = speeds.find((x) => x.workers === 1)!;
    const two = speeds.find((x) => x.workers === 2)!;
    figures.push({ name: `sweep cells per second, 1 worker (${one.cells} cells)`, value: Number(one.cellsPerSecond.toFixed(3)), unit: 'cells/s', target: '', meets: true });
    const speedup = two.cellsPerSecond / one.cellsPerSecond;
    figures.push({ name: 'sweep speed-up, 2 workers over 1', value: Number(speedup.toFixed(2)), unit: 'x', target: '>= 1.8', meets: speedup >= 1.8 });
    console.log('figure'.padEnd(64) + 'value'.padStart(12) + '  unit    target   meets');
    for (const f of figures) {
      console.log(`${f.name.padEnd(64)}${String(f.value).padStart(12)}  ${f.unit.padEnd(7)} ${f.target.padEnd(8)} ${f.meets ? 'yes' : 'NO'}`);
    }
    if (args.out) writeFileAtomic(join(args.out, 'bench.json'), JSON.stringify({ figures }, null, 2) + '\n');
  },
};
