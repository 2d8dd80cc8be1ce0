/**
 * The LRU list of whole files that `file` (ForSt's hot and cold links) and `adaptive`
 * (its file region) keep: a circular doubly linked list through the entries' own
 * `prev`/`next` fields, with a sentinel head; front = most recent. A few hundred files
 * at most, so objects and pointers; the block-level lists use typed arrays instead.
 */

/** An entry that links itself into a FileList (its links point to itself when in none). */
export interface Linked<T> {
  prev: T;
  next: T;
}

export class FileList<T extends Linked<T>> {
  count = 0;

  /** `head` is an entry of the list's own kind that stands for no file. */
  constructor(readonly head: T) {}

  pushFront(e: T): void {
    const first = this.head.next;
    e.prev = this.head;
    e.next = first;
    first.prev = e;
    this.head.next = e;
    this.count++;
  }

  unlink(e: T): void {
    e.prev.next = e.next;
    e.next.prev = e.prev;
    e.prev = e;
    e.next = e;
    this.count--;
  }

  moveToFront(e: T): void {
    if (this.head.next === e) return;
    this.unlink(e);
    this.pushFront(e);
  }

  /** The least recent entry, or undefined. */
  back(): T | undefined {
    const last = this.head.prev;
    return last === this.head ? undefined : last;
  }

  /** The entry before `e` towards the front, or undefined at the front. */
  before(e: T): T | undefined {
    return e.prev === this.head ? undefined : e.prev;
  }

  /** Front to back. */
  *entries(): Generator<T> {
    for (let e = this.head.next; e !== this.head; e = e.next) yield e;
  }
}
