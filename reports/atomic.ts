import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, basename } from 'node:path';

/** Writes a file whole or not at all: a temporary name in the same folder, then rename. */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = join(dirname(path), `.tiersim-tmp-${process.pid}-${basename(path)}`);
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}
