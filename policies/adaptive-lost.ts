/**
 * The blocks the `adaptive` policy's block region lost most recently — evicted, or
 * refused while the region was at its share — with their sizes and last reads: what
 * a block region that had been larger would hold now. When the boundary moves toward
 * blocks, the policy fetches them back from the DFS into the free space the block
 * region gets (`refill`), so that a region that grows serves at once, as a grown file
 * region does once its downloads arrive, instead of filling only at the rate of misses.
 *
 * A bounded stack in typed arrays: a loss is pushed on top, a refill takes from the
 * top, and once full a push forgets the oldest. A loss allocates nothing.
 */
export class LostBlocks {
  private readonly ids: Float64Array;
  private readonly sizes: Int32Array;
  private readonly at: Float64Array;
  /** Slot of the next push (one above the newest). */
  private top = 0;
  private count = 0;

  /** @param capacity blocks remembered */
  constructor(capacity: number) {
    const n = Math.max(16, Math.ceil(capacity));
    this.ids = new Float64Array(n);
    this.sizes = new Int32Array(n);
    this.at = new Float64Array(n);
  }

  get size(): number { return this.count; }

  /** Remembers a block lost at its last read `lastRead` as the newest. */
  add(id: number, bytes: number, lastRead: number): void {
    const i = this.top;
    this.ids[i] = id;
    this.sizes[i] = bytes;
    this.at[i] = lastRead;
    this.top = i + 1 === this.ids.length ? 0 : i + 1;
    if (this.count < this.ids.length) this.count++;
  }

  /**
   * Takes the newest lost blocks that `wanted` accepts, each once, newest first, until
   * the next would pass `bytes` in all: ids, sizes and last reads. Blocks it passes
   * over (not wanted, or lost again later) are forgotten; the block that did not fit,
   * and all older ones, stay for a later refill.
   */
  take(bytes: number, wanted: (id: number) => boolean): { ids: number[]; sizes: number[]; at: number[] } {
    const out = { ids: [] as number[], sizes: [] as number[], at: [] as number[] };
    const seen = new Set<number>();
    const n = this.ids.length;
    let sum = 0;
    while (this.count > 0) {
      const i = this.top === 0 ? n - 1 : this.top - 1;
      const size = this.sizes[i]!;
      if (sum + size > bytes) break;
      this.top = i;
      this.count--;
      const id = this.ids[i]!;
      if (seen.has(id)) continue;
      seen.add(id);
      if (!wanted(id)) continue;
      sum += size;
      out.ids.push(id);
      out.sizes.push(size);
      out.at.push(this.at[i]!);
    }
    return out;
  }
}
