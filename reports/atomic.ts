import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join, basename } from 'node:path';

/**
 * Writes a file whole or not at all: a temporary name in the same folder, then rename.
 * The temporary name carries host, pid and random bits: pods of one Kubernetes job
 * often share a pid, and may share the folder.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = join(dirname(path), `.tiersim-tmp-${hostname()}-${process.pid}-${randomBytes(4).toString('hex')}-${basename(path)}`);
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}
