/** `none`: no local-disk cache; every block that misses memory comes from the DFS. */
import type { LocalCachePolicy } from '../sim/local-cache.ts';

export function noneCache(): LocalCachePolicy {
  return {
    name: 'none',
    lookup: () => false,
    afterRemoteRead: () => {},
    onFileCreated: () => false,
    onFileDeleted: () => {},
    onFileRestored: () => {},
    usedBytes: () => 0,
    metrics: () => ({}),
  };
}
