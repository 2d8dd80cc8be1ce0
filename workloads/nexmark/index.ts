/**
 * The Nexmark-like queries, one registry entry each (workloads/registry.ts lists
 * them as nexmark-q3 … nexmark-q20). Each file documents its query's state.
 */
import type { z } from 'zod';
import type { Workload } from '../../sim/workload.ts';
import { Q3, q3Params } from './q3.ts';
import { Q4, q4Params } from './q4.ts';
import { Q5, q5Params } from './q5.ts';
import { Q7, q7Params } from './q7.ts';
import { Q8, q8Params } from './q8.ts';
import { Q9, q9Params } from './q9.ts';
import { Q11, q11Params } from './q11.ts';
import { Q12, q12Params } from './q12.ts';
import { Q17, q17Params } from './q17.ts';
import { Q18, q18Params } from './q18.ts';
import { Q19, q19Params } from './q19.ts';
import { Q20, q20Params } from './q20.ts';

export interface NexmarkEntry {
  params: z.ZodType;
  make(params: Record<string, unknown>, seed: number): Workload;
  describe: string;
}

export const NEXMARK: Record<string, NexmarkEntry> = {
  q3: { params: q3Params, make: (p, seed) => new Q3(p, seed), describe: 'Nexmark q3: auction ⋈ person join, filtered (small state)' },
  q4: { params: q4Params, make: (p, seed) => new Q4(p, seed), describe: 'Nexmark q4: auction ⋈ bid join, MAX per auction, AVG per category (small state)' },
  q5: { params: q5Params, make: (p, seed) => new Q5(p, seed), describe: 'Nexmark q5: hopping-window bid counts per auction, MAX and window join (heavy I/O)' },
  q7: { params: q7Params, make: (p, seed) => new Q7(p, seed), describe: 'Nexmark q7: bids ⋈ 10-second window MAX price (heavy I/O)' },
  q8: { params: q8Params, make: (p, seed) => new Q8(p, seed), describe: 'Nexmark q8: window join of new people and sellers (small state)' },
  q9: { params: q9Params, make: (p, seed) => new Q9(p, seed), describe: 'Nexmark q9: auction ⋈ bid join, Top-1 bid per auction (heavy I/O)' },
  q11: { params: q11Params, make: (p, seed) => new Q11(p, seed), describe: 'Nexmark q11: session windows of bids per bidder (small state)' },
  q12: { params: q12Params, make: (p, seed) => new Q12(p, seed), describe: 'Nexmark q12: processing-time tumbling bid counts per bidder (small state)' },
  q17: { params: q17Params, make: (p, seed) => new Q17(p, seed), describe: 'Nexmark q17: daily bid statistics per auction (small state)' },
  q18: { params: q18Params, make: (p, seed) => new Q18(p, seed), describe: 'Nexmark q18: last bid per (bidder, auction) (heavy I/O)' },
  q19: { params: q19Params, make: (p, seed) => new Q19(p, seed), describe: 'Nexmark q19: Top-10 bids per auction (heavy I/O)' },
  q20: { params: q20Params, make: (p, seed) => new Q20(p, seed), describe: 'Nexmark q20: bid ⋈ category-10 auction join (heavy I/O)' },
};
