/**
 * The `tiersim` command line. Each command is one module in scripts/commands/,
 * listed once in scripts/commands/index.ts.
 */
import yargs from 'yargs';
import { InputError } from '../sim/errors.ts';
import { commands } from './commands/index.ts';

export async function main(argv: string[]): Promise<number> {
  // A reader that stops early (`tiersim replay ... | head`) closes the pipe: stop
  // quietly, as command-line tools do, instead of dying on EPIPE with a stack trace.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
  let cli = yargs(argv)
    .scriptName('tiersim')
    .usage('$0 <command> [options]')
    .strict()
    .demandCommand(1, 'name a command: tiersim --help lists them')
    .recommendCommands()
    .help()
    .wrap(Math.min(110, process.stdout.columns ?? 100))
    .fail((msg, err) => {
      // yargs spreads some messages over lines ("Invalid values:\n  Argument: …"): one line.
      throw err ?? new InputError(msg.split('\n').map((l) => l.trim()).filter((l) => l).join(' '));
    });
  for (const command of commands) cli = cli.command(command);
  try {
    await cli.parseAsync();
    return 0;
  } catch (err) {
    if (err instanceof InputError) {
      process.stderr.write(`tiersim: ${err.message.split('\n')[0]}\n`);
      return 2;
    }
    throw err;
  }
}
