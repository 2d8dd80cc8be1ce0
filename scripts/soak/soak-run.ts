/**
 * The soak: random command sequences on the store against the reference model, for a
 * wall-clock budget, cycling through placements, policies and local/remote compaction.
 * Each sequence comes from its own seed, so a divergence is reproducible from the seed
 * printed with it.
 */
import fc from 'fast-check';
import { cmd, runSequence, type Cmd } from './lifecycle-model.ts';

const SETUPS = [
  ['disaggregated', 'file', false],
  ['disaggregated', 'none', false],
  ['local', 'none', false],
  ['disaggregated', 'file', true],
] as const;

export interface SoakResult {
  sequences: number;
  ops: number;
  lifecycle: number;
  divergences: { seed: number; setup: string; message: string }[];
  seconds: number;
}

export function soak(options: { seconds: number; seed: number; onProgress?: (r: SoakResult) => void }): SoakResult {
  const started = performance.now();
  const result: SoakResult = { sequences: 0, ops: 0, lifecycle: 0, divergences: [], seconds: 0 };
  const sequence = fc.array(cmd, { minLength: 50, maxLength: 400, size: 'max' });
  let lastReport = started;
  for (let i = 0; (performance.now() - started) / 1000 < options.seconds; i++) {
    const seed = options.seed + i;
    const [placement, policy, remote] = SETUPS[i % SETUPS.length]!;
    const cmds: Cmd[] = fc.sample(sequence, { seed, numRuns: 1 })[0]!;
    try {
      const counts = runSequence(cmds, placement, policy, remote);
      result.ops += counts.ops;
      result.lifecycle += counts.lifecycle;
    } catch (err) {
      result.divergences.push({ seed, setup: `${placement}/${policy}${remote ? '/remote-compaction' : ''}`, message: (err as Error).message.split('\n')[0]! });
    }
    result.sequences++;
    const now = performance.now();
    if (options.onProgress && now - lastReport > 10_000) {
      lastReport = now;
      options.onProgress({ ...result, seconds: (now - started) / 1000 });
    }
  }
  result.seconds = (performance.now() - started) / 1000;
  return result;
}
