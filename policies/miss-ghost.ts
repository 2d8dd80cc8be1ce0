/**
 * A bounded memory of recently missed block ids, for second-miss admission: a FIFO
 * ring of ids and an index from id to its ring position. Only ids, no data; when the
 * ring is full the oldest id is forgotten. Nothing allocates per call.
 */
import { IdTable } from '../sim/id-table.ts';

/** Bytes one remembered id costs (id and ring position, as the index stores them). */
export const GHOST_ENTRY_BYTES = 16;

export class MissGhost {
  private readonly ring: Float64Array;
  private readonly index: IdTable;
  private next = 0;

  constructor(readonly capacity: number) {
    this.ring = new Float64Array(capacity).fill(-1);
    this.index = new IdTable(Math.min(capacity, 1 << 16));
  }

  get size(): number {
    return this.index.size;
  }

  /**
   * Records a miss of `id`: true if it was remembered already (a second miss, which
   * also forgets it), false if it is remembered now.
   */
  miss(id: number): boolean {
    if (this.index.delete(id) >= 0) return true;
    const pos = this.next;
    const old = this.ring[pos]!;
    // The slot's old id may have been forgotten (second miss) or re-remembered elsewhere.
    if (old >= 0 && this.index.get(old) === pos) this.index.delete(old);
    this.ring[pos] = id;
    this.index.set(id, pos);
    this.next = pos + 1 === this.capacity ? 0 : pos + 1;
    return false;
  }
}
