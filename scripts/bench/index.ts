/** Every section of `tiersim bench`, in print order: one line each. */
import type { BenchSection } from './figure.ts';
import { memorySection } from './memory.ts';
import { sweepSection } from './sweep.ts';

export const SECTIONS: BenchSection[] = [
  memorySection,
  sweepSection,
];
