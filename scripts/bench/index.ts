/** Every section of `tiersim bench`, in print order: one line each. */
import type { BenchSection } from './figure.ts';
import { memorySection } from './memory.ts';
import { sweepSection } from './sweep.ts';
import { storeSection } from './store.ts';
import { hotPathsStoreSection } from './hot-paths-store.ts';
import { samplingSection } from './sampling.ts';
import { longRunSection } from './long-run.ts';
import { replaySection } from './replay.ts';
import { hotPathsReplaySection } from './hot-paths-replay.ts';
import { adaptiveSection } from './adaptive.ts';

export const SECTIONS: BenchSection[] = [
  memorySection,
  sweepSection,
  storeSection,
  hotPathsStoreSection,
  samplingSection,
  longRunSection,
  replaySection,
  hotPathsReplaySection,
  adaptiveSection,
];
