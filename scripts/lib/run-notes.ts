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

/**
 * Lifecycle events asked for that the measured run ended before: a checkpoint
 * interval or a failure time past its end is simulated as asked, and so never happens.
 */
export function lifecycleNotes(s: Record<string, unknown>, asked: { checkpointEverySeconds?: number | undefined; restoreAtSeconds?: number | undefined }): string[] {
  const seconds = s.simulatedSeconds as number;
  const lasted = `the measured run lasted ${seconds.toFixed(2)} simulated s`;
  const notes: string[] = [];
  if (asked.checkpointEverySeconds !== undefined && s.checkpoint === undefined) {
    notes.push(`no checkpoint was taken: ${lasted}, less than --checkpoint-every ${asked.checkpointEverySeconds}; give more --ops or a shorter interval`);
  }
  if (asked.restoreAtSeconds !== undefined && s.restore === undefined) {
    notes.push(`no failure and restore: ${lasted}, less than --restore-at ${asked.restoreAtSeconds}; give more --ops or an earlier time`);
  }
  return notes.map((n) => `note: ${n}`);
}
