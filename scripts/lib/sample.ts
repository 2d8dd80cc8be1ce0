/**
 * Spatial sampling of a run (`--sample RATE`): which sizes scale with the sampled
 * fraction of the keys. A sampled run simulates `rate` of the keys (workloads/sampled.ts)
 * in a store whose every size that grows with the state is scaled by the share of the
 * state the sample holds (about the rate), so that each structure holds the same
 * share of the state as in the full run:
 *
 * - managed memory (the memory block cache, and the memtables charged to it) and the
 *   local-disk cache size;
 * - the local disk and the cache's free-space reserve (ForSt's reserve-size; the 256 MiB
 *   default of `file` and `block`, or the value given);
 * - the store's write buffer, target file size and level base, so the LSM tree has
 *   the same levels and about the same number of files.
 *
 * Sizes of single requests stay: block size, metadata partitions, compaction
 * readahead, device latencies and bandwidths. Time runs about 1/rate faster in a
 * sampled run (rate of the operations at the full run's speed), so the checkpoint
 * interval and the restore time scale by the rate too; rates (operations per second,
 * hit ratios) and latencies compare with the full run directly.
 */
import { parseSize } from '../../sim/units.ts';
import type { ResolvedRunConfig } from './config.ts';

const FORST_RESERVE_DEFAULT = 256 * 2 ** 20;
const RESERVE_KEYS = ['reserve', 'state.backend.forst.cache.reserve-size'];

/**
 * The config a sampled run simulates (the config itself when it does not sample).
 * Sizes scale by `stateFraction`, the share of the state the sample holds (by default
 * the rate; simulate passes the share of the loaded bytes), times by the rate.
 */
export function sampledConfig(config: ResolvedRunConfig, stateFraction = config.sample): ResolvedRunConfig {
  const rate = config.sample;
  if (rate === undefined || rate === 1 || stateFraction === undefined) return config;
  const scale = (bytes: number) => Math.max(1, Math.round(bytes * stateFraction));
  const policyOptions: Record<string, unknown> = { ...config.policyOptions };
  let reserveGiven = false;
  for (const key of RESERVE_KEYS) {
    const v = policyOptions[key];
    if (v === undefined) continue;
    reserveGiven = true;
    policyOptions[key] = scale(typeof v === 'number' ? v : parseSize(String(v), `policyOptions.${key}`));
  }
  if (!reserveGiven && (config.policy === 'file' || config.policy === 'block')) policyOptions.reserve = scale(FORST_RESERVE_DEFAULT);
  const sizeLimit = policyOptions.sizeLimit ?? policyOptions['state.backend.forst.cache.size-based-limit'];
  if (sizeLimit !== undefined) {
    const key = policyOptions.sizeLimit !== undefined ? 'sizeLimit' : 'state.backend.forst.cache.size-based-limit';
    policyOptions[key] = scale(typeof sizeLimit === 'number' ? sizeLimit : parseSize(String(sizeLimit), `policyOptions.${key}`));
  }
  return {
    ...config,
    managedMemory: scale(config.managedMemory),
    cacheSize: scale(config.cacheSize),
    diskSize: scale(config.diskSize),
    policyOptions,
    store: {
      ...config.store,
      writeBufferSize: scale(config.store.writeBufferSize),
      targetFileSize: scale(config.store.targetFileSize),
      levelBase: scale(config.store.levelBase),
    },
    ...(config.checkpointEverySeconds === undefined ? {} : { checkpointEverySeconds: config.checkpointEverySeconds * rate }),
    ...(config.restoreAtSeconds === undefined ? {} : { restoreAtSeconds: config.restoreAtSeconds * rate }),
  };
}
