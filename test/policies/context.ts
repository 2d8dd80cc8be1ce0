/**
 * A small world for policy tests: a real scheduler, CPU and timeline, and
 * constant-latency devices whose times are easy to work out by hand.
 */
import { Cpu } from '../../sim/cpu.ts';
import { Device, type DeviceSpec } from '../../sim/device.ts';
import type { FileRef, IoContext, LocalCachePolicy, PolicyContext } from '../../sim/local-cache.ts';
import { Timeline } from '../../sim/metrics.ts';
import { Scheduler } from '../../sim/scheduler.ts';

export const KiB = 1024;
export const MiB = 1024 * 1024;

/** DFS: 1 ms to the first byte, then 1 MiB/s (a 1 MiB file streams in 1 s). */
export const DFS_FIRST_BYTE_US = 1000;
export const DFS_BYTES_PER_SEC = MiB;
/** Local disk: 10 µs to the first byte, 1 GiB/s. */
export const DISK_FIRST_BYTE_US = 10;
export const DISK_BYTES_PER_SEC = 1024 * MiB;

function constant(name: string, firstByteUs: number, bytesPerSec: number, concurrency: number): DeviceSpec {
  const dir = { firstByte: { kind: 'constant' as const, us: firstByteUs }, bandwidthBytesPerSec: bytesPerSec };
  return { name, concurrency, read: dir, write: dir };
}

export interface World {
  ctx: PolicyContext;
  scheduler: Scheduler;
  dfs: Device;
  disk: Device;
  /** Bytes on the disk that are not the cache's (other files); change it at will. */
  other: { bytes: number };
  /** Hands the policy to the world so that free space counts its bytes. */
  attach<P extends LocalCachePolicy>(policy: P): P;
}

export function makeWorld(opts: { diskBytes?: number; targetFileSize?: number } = {}): World {
  const scheduler = new Scheduler();
  const dfs = new Device(constant('dfs', DFS_FIRST_BYTE_US, DFS_BYTES_PER_SEC, 64), 1);
  const disk = new Device(constant('disk', DISK_FIRST_BYTE_US, DISK_BYTES_PER_SEC, 8), 1);
  const diskBytes = opts.diskBytes ?? 1024 * 1024 * MiB;
  const other = { bytes: 0 };
  let policy: LocalCachePolicy | undefined;
  const ctx: PolicyContext = {
    scheduler,
    cpu: new Cpu(2),
    disk,
    dfs,
    diskFreeBytes: () => diskBytes - other.bytes - (policy?.usedBytes() ?? 0),
    diskBytes,
    timeline: new Timeline(),
    seed: 1,
    targetFileSize: opts.targetFileSize ?? 64 * MiB,
  };
  return {
    ctx, scheduler, dfs, disk, other,
    attach(p) {
      policy = p;
      return p;
    },
  };
}

export const file = (fileNumber: number, fileSize = MiB): FileRef => ({ fileNumber, fileSize });

export const foreground = (): IoContext => ({ cpuPendingUs: 0, background: false });
export const background = (): IoContext => ({ cpuPendingUs: 0, background: true });

/** One 4 KiB block read of `f` (block `blockNo` of the file) that missed memory. */
export function read(p: LocalCachePolicy, f: FileRef, io: IoContext = foreground(), blockNo = 0): boolean {
  return p.lookup(f, f.fileNumber * 2 ** 21 + blockNo, blockNo * 4 * KiB, 4 * KiB, io);
}
