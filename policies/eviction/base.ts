/** What every eviction algorithm shares: the byte budget, counters, access(), option checks. */
import { InputError } from '../../sim/errors.ts';
import { IdTable } from '../../sim/id-table.ts';
import { Slots } from './slots.ts';
import type { EvictionCache, EvictionOptions } from './types.ts';

export abstract class CacheBase implements EvictionCache {
  abstract readonly name: string;
  readonly capacityBytes: number;
  onEvict?: (id: number, size: number) => void;
  protected used = 0;
  protected count = 0;
  protected readonly index = new IdTable();
  protected readonly slots = new Slots();

  constructor(capacityBytes: number) {
    if (!Number.isFinite(capacityBytes) || capacityBytes < 0) {
      throw new InputError(`cache capacity ${capacityBytes} is not a size in bytes (must be >= 0)`);
    }
    this.capacityBytes = Math.floor(capacityBytes);
  }

  get usedBytes(): number { return this.used; }
  get objectCount(): number { return this.count; }

  /** True if `id` has an entry (for the queue caches: is cached); changes nothing. */
  contains(id: number): boolean {
    return this.index.get(id) >= 0;
  }

  abstract find(id: number): boolean;
  abstract insert(id: number, size: number): boolean;
  abstract remove(id: number): boolean;

  access(id: number, size: number): boolean {
    if (this.find(id)) return true;
    this.insert(id, size);
    return false;
  }

  /** Takes a slot for a newly admitted object and counts it; the algorithm then places the slot. */
  protected remember(id: number, size: number, meta = 0): number {
    const s = this.slots.alloc(id, size, meta);
    this.index.set(id, s);
    this.used += size;
    this.count++;
    return s;
  }

  /** Forgets the resident object in slot `s`, once the algorithm has taken it out of its own lists. */
  protected forget(s: number): void {
    this.index.delete(this.slots.ids[s]!);
    this.used -= this.slots.sizes[s]!;
    this.count--;
    this.slots.release(s);
  }
}

/**
 * The algorithms whose entries are all resident objects, one slot each, no ghosts
 * (the queue caches, LFU, SLRU, GDSF, Belady): remove() drops the object's slot.
 */
export abstract class ResidentCache extends CacheBase {
  /** Takes slot `s` out of the algorithm's structures and forgets its object. */
  protected abstract drop(s: number): void;

  remove(id: number): boolean {
    const s = this.index.get(id);
    if (s < 0) return false;
    this.drop(s);
    return true;
  }
}

/**
 * The single-queue algorithms (FIFO, LRU, CLOCK, SIEVE): a miss inserts at the front
 * of one queue and eviction removes the victim the algorithm picks. Each subclass
 * says only what a hit does (find) and which slot goes (victim).
 */
export abstract class QueueCache extends ResidentCache {
  protected readonly queue: number;

  constructor(capacityBytes: number) {
    super(capacityBytes);
    this.queue = this.slots.newList();
  }

  /** The slot to evict next; it may reorder the queue on the way (CLOCK, SIEVE). */
  protected abstract victim(): number;

  /** A miss admits without looking the id up again (the replay's hot path). */
  override access(id: number, size: number): boolean {
    if (this.find(id)) return true;
    this.admit(id, size);
    return false;
  }

  insert(id: number, size: number): boolean {
    if (this.index.get(id) >= 0) return true;
    return this.admit(id, size);
  }

  /** Inserts `id`, known to be absent, at the front, evicting as needed. */
  private admit(id: number, size: number): boolean {
    if (size > this.capacityBytes) return false;
    while (this.used + size > this.capacityBytes) this.evictOne();
    this.slots.links.pushFront(this.queue, this.remember(id, size));
    return true;
  }

  /** Evicts the victim the algorithm picks (QD-LP-FIFO's main cache is told to). */
  evictOne(): void {
    const s = this.victim();
    const id = this.slots.ids[s]!;
    const size = this.slots.sizes[s]!;
    this.drop(s);
    this.onEvict?.(id, size);
  }

  protected drop(s: number): void {
    this.slots.links.unlink(s);
    this.forget(s);
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
