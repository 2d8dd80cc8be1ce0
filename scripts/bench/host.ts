/**
 * The machine a bench ran on, as the operating system names it: figures from two
 * hosts differ by up to 2× (the store's follow the memory latency, the sweep's the
 * cores' contention), so bench.json and the printed table say whose they are. In a
 * virtual machine the processor's name is the one the hypervisor shows.
 */
import { availableParallelism, cpus, release, totalmem, type } from 'node:os';

export interface Host {
  /** The processor's model name, as /proc/cpuinfo (or the platform's equivalent) gives it. */
  cpu: string;
  /** Cores this process may use. */
  cores: number;
  memoryBytes: number;
  node: string;
  os: string;
  /** When the bench began (ISO 8601, UTC). */
  startedAt: string;
}

export function describeHost(now = new Date()): Host {
  return {
    cpu: cpus()[0]?.model.trim() || 'unknown',
    cores: availableParallelism(),
    memoryBytes: totalmem(),
    node: process.version,
    os: `${type()} ${release()}`,
    startedAt: now.toISOString(),
  };
}

/** One line for the top of the printed table. */
export function hostLine(h: Host): string {
  const gib = (h.memoryBytes / 2 ** 30).toFixed(1);
  return `host: ${h.cpu}, ${h.cores} cores, ${gib} GiB, node ${h.node}, ${h.os}, ${h.startedAt.slice(0, 16).replace('T', ' ')} UTC`;
}
