/**
 * Cache entries without an object per entry: a slot number indexes parallel typed
 * arrays (id, size, a small per-algorithm word), and queues are doubly linked lists
 * threaded through Int32Array links.
 *
 * A list is named by a sentinel slot and is circular: next[list] is its front (the
 * newest end), prev[list] its back (the end an algorithm evicts from). An empty list
 * has next[list] === list. Walking from the back towards the front follows prev.
 */

/** prev/next links for one set of lists; an entry is in at most one list of a set. */
export class Links {
  prev: Int32Array;
  next: Int32Array;

  constructor(capacity: number) {
    this.prev = new Int32Array(capacity);
    this.next = new Int32Array(capacity);
  }

  grow(capacity: number): void {
    const prev = new Int32Array(capacity);
    const next = new Int32Array(capacity);
    prev.set(this.prev);
    next.set(this.next);
    this.prev = prev;
    this.next = next;
  }

  initList(list: number): void {
    this.prev[list] = list;
    this.next[list] = list;
  }

  isEmpty(list: number): boolean {
    return this.next[list] === list;
  }

  /** The newest entry, or `list` itself when empty. */
  front(list: number): number {
    return this.next[list]!;
  }

  /** The oldest entry, or `list` itself when empty. */
  back(list: number): number {
    return this.prev[list]!;
  }

  pushFront(list: number, slot: number): void {
    const first = this.next[list]!;
    this.prev[slot] = list;
    this.next[slot] = first;
    this.prev[first] = slot;
    this.next[list] = slot;
  }

  pushBack(list: number, slot: number): void {
    const last = this.prev[list]!;
    this.next[slot] = list;
    this.prev[slot] = last;
    this.next[last] = slot;
    this.prev[list] = slot;
  }

  unlink(slot: number): void {
    const p = this.prev[slot]!;
    const n = this.next[slot]!;
    this.next[p] = n;
    this.prev[n] = p;
  }

  moveToFront(list: number, slot: number): void {
    this.unlink(slot);
    this.pushFront(list, slot);
  }
}

export class Slots {
  ids: Float64Array;
  sizes: Float64Array;
  /** One word per slot for the algorithm: a frequency, flags, a list tag. */
  meta: Int32Array;
  readonly links: Links;
  private readonly extraLinks: Links[] = [];
  private capacity: number;
  private top = 0; // first never-used slot
  private freeTop = -1; // free slots, chained through freeNext
  private freeNext: Int32Array;

  constructor(initialCapacity = 1024) {
    this.capacity = Math.max(16, initialCapacity);
    this.ids = new Float64Array(this.capacity);
    this.sizes = new Float64Array(this.capacity);
    this.meta = new Int32Array(this.capacity);
    this.freeNext = new Int32Array(this.capacity);
    this.links = new Links(this.capacity);
  }

  /** Another set of links over the same slots (an entry in two lists at once). */
  newLinks(): Links {
    const links = new Links(this.capacity);
    this.extraLinks.push(links);
    return links;
  }

  /** A sentinel for a new, empty list of `this.links`. */
  newList(): number {
    const s = this.take();
    this.links.initList(s);
    for (const l of this.extraLinks) l.initList(s);
    return s;
  }

  alloc(id: number, size: number, meta = 0): number {
    const s = this.take();
    this.ids[s] = id;
    this.sizes[s] = size;
    this.meta[s] = meta;
    return s;
  }

  release(slot: number): void {
    this.freeNext[slot] = this.freeTop;
    this.freeTop = slot;
  }

  private take(): number {
    if (this.freeTop >= 0) {
      const s = this.freeTop;
      this.freeTop = this.freeNext[s]!;
      return s;
    }
    if (this.top === this.capacity) this.grow();
    return this.top++;
  }

  private grow(): void {
    const cap = this.capacity * 2;
    const ids = new Float64Array(cap);
    ids.set(this.ids);
    const sizes = new Float64Array(cap);
    sizes.set(this.sizes);
    const meta = new Int32Array(cap);
    meta.set(this.meta);
    const freeNext = new Int32Array(cap);
    freeNext.set(this.freeNext);
    this.ids = ids;
    this.sizes = sizes;
    this.meta = meta;
    this.freeNext = freeNext;
    this.links.grow(cap);
    for (const l of this.extraLinks) l.grow(cap);
    this.capacity = cap;
  }
}
