/**
 * What a workload produces: records, each with its CPU cost and a short list of state
 * operations. The interface every workload implements; generators and trace readers
 * live in workloads/, picked by name there.
 *
 * A record is written into a reusable buffer (typed arrays), so generating one
 * allocates nothing.
 */

export const OP_GET = 0;
export const OP_PUT = 1;
export const OP_DELETE = 2;
export const OP_MERGE = 3;
export const OP_SCAN = 4;
export type OpType = typeof OP_GET | typeof OP_PUT | typeof OP_DELETE | typeof OP_MERGE | typeof OP_SCAN;
export const OP_NAMES = ['get', 'put', 'delete', 'merge', 'scan'] as const;

/** Most state operations one record may carry. */
export const MAX_OPS_PER_RECORD = 64;

export class RecordBuf {
  /** CPU work of the record outside state access, µs. */
  cpuUs = 0;
  /** Event time of the record (trace replay), µs; 0 when the workload has none. */
  timeUs = 0;
  count = 0;
  readonly types = new Uint8Array(MAX_OPS_PER_RECORD);
  readonly keys = new Float64Array(MAX_OPS_PER_RECORD);
  /** Value size for put/merge; entry count for scan. */
  readonly sizes = new Uint32Array(MAX_OPS_PER_RECORD);
  readonly tokens = new Uint32Array(MAX_OPS_PER_RECORD);

  reset(cpuUs: number): void {
    this.cpuUs = cpuUs;
    this.timeUs = 0;
    this.count = 0;
  }

  push(type: OpType, key: number, size = 0, token = 0): void {
    const i = this.count++;
    this.types[i] = type;
    this.keys[i] = key;
    this.sizes[i] = size;
    this.tokens[i] = token;
  }

  copyFrom(other: RecordBuf): void {
    this.cpuUs = other.cpuUs;
    this.timeUs = other.timeUs;
    this.count = other.count;
    this.types.set(other.types.subarray(0, other.count));
    this.keys.set(other.keys.subarray(0, other.count));
    this.sizes.set(other.sizes.subarray(0, other.count));
    this.tokens.set(other.tokens.subarray(0, other.count));
  }
}

export interface Workload {
  readonly name: string;
  /** Bytes of user key, for sizing SST entries. */
  readonly keyBytes: number;
  /**
   * Keys to load before the measured run (the state that exists when the job
   * starts): fills `rec` with puts and returns false when loading is done.
   */
  nextLoad?(rec: RecordBuf): boolean;
  /**
   * Share of the load handed out so far, 0 to 1, for a progress bar: exact where the
   * load's size is a parameter, an estimate where it is not (a Nexmark query's bytes
   * against its state target). Absent when the workload cannot tell.
   */
  loadProgress?(): number;
  /**
   * Share of a finite stream read so far, load and run together, 0 to 1, for a progress
   * bar: a recorded trace's bytes against its file's size. Absent where the stream has
   * no end of its own (a generator, whose run ends at --ops or --records).
   */
  streamProgress?(): number;
  /**
   * Bytes of state the workload keeps, as its parameters declare them: the keys and
   * values of its live entries (those its load writes, or those a growing state grows
   * to). A cache size given as a share of the state (`--cache-size 40%`) is a share of
   * this. Absent where the parameters do not say (a recorded trace).
   */
  stateBytes?(): number;
  /** Fills `rec` with the next record; false when the workload has no more. */
  next(rec: RecordBuf): boolean;
  /** Describes the workload's parameters for summary.json. */
  describe(): Record<string, unknown>;
}
