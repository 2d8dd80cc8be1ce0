/**
 * An indexed binary heap of cache slots, for the algorithms that evict by rank
 * (Belady, GDSF): the slot `before` ranks first is at the top, and each slot's
 * position is kept, so a slot whose key changed moves in O(log n) and any slot can
 * leave. `before` must be a strict order; the algorithm keeps the keys.
 */
export class SlotHeap {
  private heap = new Int32Array(1024); // position -> slot
  private pos = new Int32Array(1024); // slot -> position
  private n = 0;

  constructor(private readonly before: (a: number, b: number) => boolean) {}

  get size(): number { return this.n; }

  /** The first slot; the heap must not be empty. */
  top(): number {
    return this.heap[0]!;
  }

  push(s: number): void {
    if (s >= this.pos.length || this.n === this.heap.length) this.grow(Math.max(this.pos.length * 2, s + 1));
    this.heap[this.n] = s;
    this.pos[s] = this.n;
    this.up(this.n++);
  }

  remove(s: number): void {
    const i = this.pos[s]!;
    const last = this.heap[--this.n]!;
    if (last !== s) {
      this.heap[i] = last;
      this.pos[last] = i;
      this.up(i);
      this.down(this.pos[last]!);
    }
  }

  /** Slot `s`'s key changed (either way). */
  update(s: number): void {
    this.up(this.pos[s]!);
    this.down(this.pos[s]!);
  }

  private up(i: number): void {
    const heap = this.heap;
    const s = heap[i]!;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const ps = heap[parent]!;
      if (!this.before(s, ps)) break;
      heap[i] = ps;
      this.pos[ps] = i;
      i = parent;
    }
    heap[i] = s;
    this.pos[s] = i;
  }

  private down(i: number): void {
    const heap = this.heap;
    const n = this.n;
    const s = heap[i]!;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && this.before(heap[child + 1]!, heap[child]!)) child++;
      const cs = heap[child]!;
      if (!this.before(cs, s)) break;
      heap[i] = cs;
      this.pos[cs] = i;
      i = child;
    }
    heap[i] = s;
    this.pos[s] = i;
  }

  private grow(cap: number): void {
    const heap = new Int32Array(cap);
    heap.set(this.heap);
    const pos = new Int32Array(cap);
    pos.set(this.pos);
    this.heap = heap;
    this.pos = pos;
  }
}
