/**
 * `npm run soak -- --minutes 5 [--seed N]`: the store's long property run. Prints the
 * operations and lifecycle events checked and every divergence; exits 1 on any.
 */
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { soak } from './soak-run.ts';

const args = yargs(hideBin(process.argv))
  .option('minutes', { type: 'number', default: 1, describe: 'wall-clock budget' })
  .option('seed', { type: 'number', default: 1, describe: 'seed of the first sequence (sequence i uses seed + i)' })
  .strict()
  .parseSync();

if (!(args.minutes > 0)) {
  console.error('tiersim soak: --minutes must be a positive number');
  process.exit(2);
}
const line = (r: { sequences: number; ops: number; lifecycle: number; divergences: unknown[]; seconds: number }) =>
  `${r.seconds.toFixed(0)} s: ${r.sequences} sequences, ${r.ops.toLocaleString('en')} operations and ${r.lifecycle.toLocaleString('en')} lifecycle events checked, ${r.divergences.length} divergences, RSS ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`;
const result = soak({ seconds: args.minutes * 60, seed: args.seed, onProgress: (r) => console.log(line(r)) });
console.log(line(result));
for (const d of result.divergences) console.log(`divergence: seed ${d.seed} (${d.setup}): ${d.message}`);
process.exit(result.divergences.length > 0 ? 1 : 0);
