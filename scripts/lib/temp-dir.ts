/**
 * Temporary directories named by the process that made them
 * (`<prefix><pid>-XXXXXX` under the system's temporary directory). A command ended by
 * a signal (Ctrl-C) cannot remove its own — its simulation holds the thread a handler
 * would run on, and node then dies by the signal's default action — so each new
 * directory first removes the ones of its prefix whose process is gone.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A new directory `<prefix><pid>-XXXXXX`; those of `prefix` that ended processes left are removed first. */
export function processTempDir(prefix: string): string {
  const root = tmpdir();
  for (const name of readdirSync(root)) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(/^(\d+)-/.exec(name.slice(prefix.length))?.[1]);
    if (pid > 0 && !processExists(pid)) rmSync(join(root, name), { recursive: true, force: true });
  }
  return mkdtempSync(join(root, `${prefix}${process.pid}-`));
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // someone else's
  }
}
