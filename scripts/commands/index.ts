import type { CommandModule } from 'yargs';
import { benchCommand } from './bench.ts';
import { calibrateCommand } from './calibrate.ts';
import { probeCommand } from './probe.ts';
import { replayCommand } from './replay.ts';
import { reportCommand } from './report.ts';
import { reproduceCommand } from './reproduce.ts';
import { runCommand } from './run.ts';
import { sweepCommand } from './sweep.ts';

/** Every command of `tiersim`, one line each. */
export const commands: CommandModule<any, any>[] = [
  runCommand,
  probeCommand,
  calibrateCommand,
  replayCommand,
  benchCommand,
  sweepCommand,
  reportCommand,
  reproduceCommand,
];
