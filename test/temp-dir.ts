/** Temporary directories for tests, removed when the test file's process exits (pass or fail). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const made: string[] = [];
process.once('exit', () => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** A fresh directory `tiersim-<prefix>-XXXXXX` under the system's temp dir. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `tiersim-${prefix}-`));
  made.push(dir);
  return dir;
}
