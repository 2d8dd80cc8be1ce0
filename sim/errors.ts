/**
 * InputError is the one error a user can cause: a bad flag, config, grid or trace.
 * The command line prints its message on one line and exits with status 2.
 * Messages name what was wrong and where (file, line, field).
 */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}
