/**
 * The evidence for one move of the adaptive cache's boundary (adaptive.ts): the hits
 * the move would gain and those it would lose, over a window that closes once it holds
 * `evidence` of them over at least `minLookups` lookups, or has seen `lookups` lookups,
 * and the windows closed since the boundary last moved (a move back the way the last
 * came must win on the last few of them summed).
 *
 * Each move keeps its own ledger. A window shared by both moves closed as soon as
 * either had a few dozen hits, and its bar grew with all of them: where the block
 * region serves many hits in its tail (the evidence against growing the file region),
 * the rarer evidence for shrinking it (block ghost hits) never added up in one window,
 * and what did was held to a bar set by hits that say nothing about it.
 */
export class Ledger {
  /** The open window: hits the move would gain and lose, and lookups seen. */
  gain = 0;
  loss = 0;
  lookups = 0;
  /** (gain, loss) of the windows closed since the last move, the last `windows` of them. */
  private readonly recent: Float64Array;
  private closed = 0;

  constructor(private readonly windows: number) {
    this.recent = new Float64Array(2 * windows);
  }

  /** Whether the open window is complete: `evidence` hits over at least `minLookups` lookups, or `lookups` lookups. */
  due(evidence: number, lookups: number, minLookups: number): boolean {
    return (this.gain + this.loss >= evidence && this.lookups >= minLookups) || this.lookups >= lookups;
  }

  /** Closes the open window: it joins the last ones, and a new one opens. */
  close(): void {
    const slot = 2 * (this.closed++ % this.windows);
    this.recent[slot] = this.gain;
    this.recent[slot + 1] = this.loss;
    this.gain = this.loss = this.lookups = 0;
  }

  /** Whether `windows` windows have closed since the last move. */
  get full(): boolean {
    return this.closed >= this.windows;
  }

  /** Gain over the last `windows` closed windows. */
  summedGain(): number {
    let s = 0;
    for (let i = 0; i < this.windows; i++) s += this.recent[2 * i]!;
    return s;
  }

  /** Loss over the last `windows` closed windows. */
  summedLoss(): number {
    let s = 0;
    for (let i = 0; i < this.windows; i++) s += this.recent[2 * i + 1]!;
    return s;
  }

  /** The boundary moved: what was weighed against the old one is forgotten. */
  reset(): void {
    this.closed = 0;
    this.gain = this.loss = this.lookups = 0;
  }
}
