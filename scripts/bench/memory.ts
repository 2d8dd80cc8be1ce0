import { atMost, type BenchSection } from './figure.ts';
import { measureSstMemory } from './sst-memory.ts';

/** Bytes of SST metadata per live key (DESIGN §7: a few tens of bytes). */
export const memorySection: BenchSection = {
  name: 'memory',
  async run({ quick }) {
    const keys = quick ? 2_000_000 : 50_000_000;
    const mem = measureSstMemory(keys);
    return [atMost(`SST metadata per live entry (${keys.toLocaleString('en')} keys, ${mem.files} files)`, mem.bytesPerEntry, 'bytes', 40)];
  },
};
