/** What every eviction algorithm shares: the byte budget, counters, access(), option checks. */
import { InputError } from '../../sim/errors.ts';
import { IdIndex } from './id-index.ts';
import { Slots } from './slots.ts';
import type { EvictionCache, EvictionOptions } from './types.ts';

export abstract class CacheBase implements EvictionCache {
  abstract readonly name: string;
  readonly capacityBytes: number;
  onEvict?: (id: number, size: number) => void;
  protected used = 0;
  protected count = 0;
  protected readonly index = new IdIndex();
  protected readonly slots = new Slots();

  constructor(capacityBytes: number) {
    if (!Number.isFinite(capacityBytes) || capacityBytes < 0) {
      throw new InputError(`cache capacity ${capacityBytes} is not a size in bytes (must be >= 0)`);
    }
    this.capacityBytes = Math.floor(capacityBytes);
  }

  get usedBytes(): number { return this.used; }
  get objectCount(): number { return this.count; }

  abstract find(id: number): boolean;
  abstract insert(id: number, size: number): boolean;
  abstract remove(id: number): boolean;

  access(id: number, size: number): boolean {
    if (this.find(id)) return true;
    this.insert(id, size);
    return false;
  }
}

/** Reads numeric options, refusing names the algorithm does not know. */
export function readOptions<K extends string>(
  algorithm: string,
  options: EvictionOptions | undefined,
  defaults: Record<K, number>,
): Record<K, number> {
  const out = { ...defaults };
  for (const [key, value] of Object.entries(options ?? {})) {
    if (!(key in defaults)) {
      const known = Object.keys(defaults);
      throw new InputError(`${algorithm}: unknown option '${key}'${known.length ? ` (known: ${known.join(', ')})` : ' (it takes none)'}`);
    }
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new InputError(`${algorithm}: option ${key}=${value} is not a number`);
    out[key as K] = value;
  }
  return out;
}

/** A ratio option in (0, 1) (or [0, 1) with allowZero). */
export function checkRatio(algorithm: string, key: string, value: number, allowZero = false): number {
  if (!(value < 1) || value < 0 || (!allowZero && value === 0)) {
    throw new InputError(`${algorithm}: option ${key}=${value} must be a fraction ${allowZero ? '>= 0' : '> 0'} and < 1`);
  }
  return value;
}
