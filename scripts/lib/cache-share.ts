/**
 * Cache sizes given as a share of the state (`--cache-size 40%`, a grid's
 * `cacheSizes: [5%, 40%, 100%]`): the share of the bytes of state the workload
 * declares (Workload.stateBytes: the keys and values of its live entries, from its
 * parameters), resolved to bytes before a run starts. The declared state is what
 * the parameters say, not the loaded store's size, which adds keys' overhead and
 * not yet compacted versions (the run's `lsm.levels`): it is known before the load,
 * so the cache has its size from the first file the load writes.
 */
import { InputError } from '../../sim/errors.ts';
import { formatBytes, formatShare } from '../../sim/units.ts';
import { makeWorkload } from '../../workloads/registry.ts';
import { parseStateShare, type ResolvedRunConfig, type RunConfig, type StateShare } from './config.ts';

/** The workload's declared state in bytes; an InputError where it declares none. */
export function declaredStateBytes(workload: string, params: Record<string, unknown>, seed: number, what: string): number {
  const w = makeWorkload(workload, params, seed);
  try {
    const bytes = w.stateBytes?.();
    if (bytes === undefined) {
      throw new InputError(`${what}: workload ${workload} does not declare its state's size; give the cache size in bytes (e.g. 64MiB)`);
    }
    return bytes;
  } finally {
    (w as { close?: () => void }).close?.();
  }
}

/** Bytes of a share of a workload's state (whole bytes). */
export function shareBytes(share: StateShare, stateBytes: number): number {
  return Math.round(share.share * stateBytes);
}

/** The config with its cache size in bytes; a share of the state is resolved and kept beside it. */
export function resolveCacheSize(config: RunConfig): ResolvedRunConfig {
  if (typeof config.cacheSize === 'number') return config as ResolvedRunConfig;
  const size = parseStateShare(config.cacheSize);
  if (!size) throw new InputError(`cache size: '${config.cacheSize}' is neither bytes nor a share of the state`);
  const stateBytes = declaredStateBytes(config.workload, config.workloadParams, config.seed, `cache size ${size.text}`);
  return { ...config, cacheSize: shareBytes(size, stateBytes), cacheShare: { share: size.share, stateBytes } };
}

/** "78.1 MiB (40% of 195.3 MiB of state)", or the bytes alone. */
export function describeCacheSize(bytes: number, share?: { share: number; stateBytes: number }): string {
  return share ? `${formatBytes(bytes)} (${formatShare(share.share)} of ${formatBytes(share.stateBytes)} of state)` : formatBytes(bytes);
}
