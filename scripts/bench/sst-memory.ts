/**
 * Bytes of simulator memory per live SST entry: build files of `keys` entries the
 * way flush and compaction do and divide the typed arrays' bytes by the entries.
 */
import { SstBuilder } from '../../sim/store/sst.ts';
import { storeOptions } from '../../sim/store/options.ts';

export interface SstMemoryFigure {
  keys: number;
  files: number;
  bytesPerEntry: number;
}

export function measureSstMemory(keys: number, valueBytes = 1000): SstMemoryFigure {
  const options = storeOptions();
  const builder = new SstBuilder(options);
  let metadata = 0;
  let files = 0;
  let fileNumber = 1;
  builder.reset();
  for (let k = 0; k < keys; k++) {
    builder.add(k * 7, k + 1, 1, valueBytes, k >>> 0);
    if (builder.reachedSize(options.targetFileSize)) {
      metadata += builder.finish(fileNumber++).bytesOfMetadata();
      files++;
    }
  }
  if (builder.entryCount > 0) { metadata += builder.finish(fileNumber++).bytesOfMetadata(); files++; }
  return { keys, files, bytesPerEntry: metadata / keys };
}
