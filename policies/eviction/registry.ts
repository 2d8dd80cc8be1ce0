/**
 * Every eviction algorithm, one line each: name → factory(capacityBytes, options?).
 * Names are matched case-insensitively; an unknown name is an InputError listing them.
 */
import { InputError } from '../../sim/errors.ts';
import { ArcCache } from './arc.ts';
import { BeladyCache } from './belady.ts';
import { ClockCache } from './clock.ts';
import { FifoCache } from './fifo.ts';
import { GdsfCache } from './gdsf.ts';
import { LfuCache } from './lfu.ts';
import { LirsCache } from './lirs.ts';
import { LruCache } from './lru.ts';
import { QdlpCache } from './qdlp.ts';
import { S3FifoCache } from './s3fifo.ts';
import { SieveCache } from './sieve.ts';
import { SlruCache } from './slru.ts';
import { TwoQCache } from './twoq.ts';
import { WTinyLfuCache } from './wtinylfu.ts';
import type { EvictionCache, EvictionFactory, EvictionOptions } from './types.ts';

export const EVICTION_ALGORITHMS: Readonly<Record<string, EvictionFactory>> = {
  lru: (c, o) => new LruCache(c, o),
  fifo: (c, o) => new FifoCache(c, o),
  clock: (c, o) => new ClockCache(c, o),
  sieve: (c, o) => new SieveCache(c, o),
  s3fifo: (c, o) => new S3FifoCache(c, o),
  qdlp: (c, o) => new QdlpCache(c, o),
  arc: (c, o) => new ArcCache(c, o),
  twoq: (c, o) => new TwoQCache(c, o),
  lfu: (c, o) => new LfuCache(c, o),
  lirs: (c, o) => new LirsCache(c, o),
  slru: (c, o) => new SlruCache(c, o),
  gdsf: (c, o) => new GdsfCache(c, o),
  wtinylfu: (c, o) => new WTinyLfuCache(c, o),
  belady: (c, o) => new BeladyCache(c, o),
};

/** Other spellings users write, → the registry's name. */
const ALIASES: Readonly<Record<string, string>> = { '2q': 'twoq', 's3-fifo': 's3fifo', opt: 'belady', 'w-tinylfu': 'wtinylfu', 'qd-lp-fifo': 'qdlp', tinylfu: 'wtinylfu' };

/** The registry's name for `name`, or an InputError naming the known ones. */
export function evictionAlgorithmName(name: string): string {
  const written = name.trim().toLowerCase();
  const key = ALIASES[written] ?? written;
  if (!Object.hasOwn(EVICTION_ALGORITHMS, key)) {
    throw new InputError(`unknown eviction algorithm '${name}' (known: ${Object.keys(EVICTION_ALGORITHMS).join(', ')})`);
  }
  return key;
}

export function makeEvictionCache(name: string, capacityBytes: number, options?: EvictionOptions): EvictionCache {
  return EVICTION_ALGORITHMS[evictionAlgorithmName(name)]!(capacityBytes, options);
}
