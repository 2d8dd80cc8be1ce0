import type { CommandModule } from 'yargs';

/** Every command of `tiersim`, one line each. */
export const commands: CommandModule<any, any>[] = [];
