/**
 * Notes printed under a run's figures when the summary shows a setup that cannot do
 * what it was likely meant to: a local cache that served no read, and the likely why.
 * They read the summary only, so they hold for a run directory read back as for a
 * fresh run.
 */
import { formatBytes } from '../../sim/units.ts';

interface Level { files: number; bytes: number }

/** Why the local cache served nothing, when it did not; empty otherwise. */
export function localCacheNotes(s: Record<string, unknown>): string[] {
  if (s.placement !== 'disaggregated' || s.policy === 'none') return [];
  const reads = s.blockReads as { localHits: number; dfs: number } | undefined;
  if (reads === undefined || reads.localHits > 0 || reads.dfs === 0) return [];
  const cache = s.cacheSizeBytes as number;
  const notes: string[] = [];
  const levels = ((s.lsm as { levels?: Level[] } | undefined)?.levels ?? []).filter((l) => l.files > 0);
  const files = levels.reduce((n, l) => n + l.files, 0);
  const meanFile = files > 0 ? levels.reduce((n, l) => n + l.bytes, 0) / files : 0;
  if (s.policy === 'file' && cache < meanFile) {
    notes.push(`the local cache (${formatBytes(cache)}) is smaller than the store's SST files (${formatBytes(meanFile)} on average): \`file\` keeps whole files, and kept none`);
  }
  const memory = (s.memoryCache as { capacityBytes?: number } | undefined)?.capacityBytes ?? 0;
  if (cache <= memory) {
    notes.push(`the local cache (${formatBytes(cache)}) is no larger than the memory block cache (${formatBytes(memory)}), which keeps what a smaller cache would: give the local cache more than memory, or less --managed-memory`);
  }
  return notes.map((n) => `note: ${n}`);
}
