/**
 * Compressed traces, read as they are: zstd (libCacheSim ships its traces as
 * `.oracleGeneral.zst`) and gzip, told apart by their magic bytes, decompressed in
 * pure JavaScript (fzstd, fflate) as the reader asks for bytes, so a trace never has
 * to be unpacked on disk first. Concatenated frames or members are one stream.
 */
import { Gunzip } from 'fflate';
import { Decompress } from 'fzstd';
import { InputError } from '../../sim/errors.ts';

export type Compression = 'zstd' | 'gzip';

/** The compression a file's first bytes announce, if any. */
export function compressionOf(head: Uint8Array): Compression | undefined {
  if (head.length >= 4 && head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd) return 'zstd';
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  return undefined;
}

/** Gives the next compressed chunk (a fresh buffer: the decoders keep references), or an empty one at the end. */
export type ChunkSource = () => Uint8Array;

/** Decompressed bytes on demand from compressed chunks. */
export class Inflater {
  /** Decompressed chunks not yet taken, and how much of the first was taken. */
  private pending: Uint8Array[] = [];
  private offset = 0;
  private decoder!: { push(chunk: Uint8Array, final?: boolean): void };
  private ended = false;
  /** Bytes decompressed from the current gzip member, for its trailer's check. */
  private memberBytes = 0;
  /** Compressed bytes pushed so far. */
  inputBytes = 0;

  /** `last4` are the file's last four bytes: for gzip, the last member's size mod 2^32. */
  constructor(readonly kind: Compression, private readonly path: string, private readonly last4: Uint8Array) {
    this.reset();
  }

  reset(): void {
    const take = (chunk: Uint8Array) => {
      if (chunk.length > 0) this.pending.push(chunk);
      this.memberBytes += chunk.length;
    };
    if (this.kind === 'zstd') {
      this.decoder = new Decompress(take);
    } else {
      const gunzip = new Gunzip(take);
      gunzip.onmember = () => { this.memberBytes = 0; };
      this.decoder = gunzip;
    }
    this.memberBytes = 0;
    this.pending = [];
    this.offset = 0;
    this.ended = false;
    this.inputBytes = 0;
  }

  /** Copies up to into.length − at decompressed bytes to into[at…]; 0 at the end of the stream. */
  read(into: Uint8Array, at: number, next: ChunkSource): number {
    while (this.pending.length === 0 && !this.ended) {
      const chunk = next();
      this.inputBytes += chunk.length;
      this.ended = chunk.length === 0;
      try {
        this.decoder.push(chunk, this.ended);
      } catch (err) {
        throw new InputError(`${this.path}: not valid ${this.kind} data after ${this.inputBytes} compressed bytes (${(err as Error).message})`);
      }
      if (this.ended && this.kind === 'gzip') this.checkGzipTrailer();
    }
    let n = 0;
    while (at + n < into.length && this.pending.length > 0) {
      const chunk = this.pending[0]!;
      const k = Math.min(chunk.length - this.offset, into.length - at - n);
      into.set(chunk.subarray(this.offset, this.offset + k), at + n);
      n += k;
      this.offset += k;
      if (this.offset === chunk.length) {
        this.pending.shift();
        this.offset = 0;
      }
    }
    return n;
  }

  /**
   * fflate's streaming gunzip stops quietly where a cut file ends; the trailer's size
   * field (ISIZE, the last member's length mod 2^32) tells a whole file from a cut one.
   */
  private checkGzipTrailer(): void {
    const isize = this.last4.length === 4 ? new DataView(this.last4.buffer, this.last4.byteOffset, 4).getUint32(0, true) : -1;
    if (this.memberBytes % 2 ** 32 !== isize) {
      throw new InputError(`${this.path}: gzip data cut short or corrupt (its last member decompressed to ${this.memberBytes} bytes; its trailer says ${isize})`);
    }
  }
}
