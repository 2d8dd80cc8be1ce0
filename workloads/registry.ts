/**
 * Every workload, one line each: name → factory(params, seed). Parameters are
 * validated by the workload's own schema; an unknown name or parameter is an
 * InputError.
 */
import { z } from 'zod';
import { InputError } from '../sim/errors.ts';
import type { Workload } from '../sim/workload.ts';
import { KvWorkload, kvParams } from './kv.ts';
import { StateTraceWorkload, stateTraceParams } from './state-trace.ts';
import { YCSB_MIXES, YcsbWorkload, ycsbParams } from './ycsb.ts';
import { WordCountWorkload, wordcountParams } from './wordcount.ts';
import { PhaseGrowWorkload, PhaseShiftWorkload, phaseGrowParams, phaseShiftParams } from './phase.ts';
import { NEXMARK } from './nexmark/index.ts';
import { parseWorkloadParams } from './common.ts';

interface WorkloadEntry {
  params: z.ZodType;
  make(params: Record<string, unknown>, seed: number): Workload;
  describe: string;
}

export const WORKLOADS: Record<string, WorkloadEntry> = {
  kv: { params: kvParams, make: (p, seed) => new KvWorkload(p, seed), describe: 'key-value gets and puts, uniform or zipfian' },
  trace: { params: stateTraceParams, make: (p) => new StateTraceWorkload(p as { trace: string }), describe: 'replays a recorded state-access trace (--param trace=FILE)' },
  'ycsb-a': { params: ycsbParams, make: (p, seed) => new YcsbWorkload('a', p, seed), describe: `YCSB A, ${YCSB_MIXES.a.title}` },
  'ycsb-b': { params: ycsbParams, make: (p, seed) => new YcsbWorkload('b', p, seed), describe: `YCSB B, ${YCSB_MIXES.b.title}` },
  'ycsb-c': { params: ycsbParams, make: (p, seed) => new YcsbWorkload('c', p, seed), describe: `YCSB C, ${YCSB_MIXES.c.title}` },
  'ycsb-d': { params: ycsbParams, make: (p, seed) => new YcsbWorkload('d', p, seed), describe: `YCSB D, ${YCSB_MIXES.d.title}` },
  'ycsb-e': { params: ycsbParams, make: (p, seed) => new YcsbWorkload('e', p, seed), describe: `YCSB E, ${YCSB_MIXES.e.title}` },
  'ycsb-f': { params: ycsbParams, make: (p, seed) => new YcsbWorkload('f', p, seed), describe: `YCSB F, ${YCSB_MIXES.f.title}` },
  wordcount: { params: wordcountParams, make: (p, seed) => new WordCountWorkload(p, seed), describe: 'ForSt WordCount: get and put of a 16-byte word\'s 8-byte count' },
  'phase-shift': { params: phaseShiftParams, make: (p, seed) => new PhaseShiftWorkload(p, seed), describe: 'zipfian gets/puts whose hot set moves to a disjoint region at shiftAtOps' },
  'phase-grow': { params: phaseGrowParams, make: (p, seed) => new PhaseGrowWorkload(p, seed), describe: 'inserts until the state passes growToBytes, then reads over the grown space' },
  'nexmark-q3': NEXMARK.q3!,
  'nexmark-q4': NEXMARK.q4!,
  'nexmark-q5': NEXMARK.q5!,
  'nexmark-q7': NEXMARK.q7!,
  'nexmark-q8': NEXMARK.q8!,
  'nexmark-q9': NEXMARK.q9!,
  'nexmark-q11': NEXMARK.q11!,
  'nexmark-q12': NEXMARK.q12!,
  'nexmark-q17': NEXMARK.q17!,
  'nexmark-q18': NEXMARK.q18!,
  'nexmark-q19': NEXMARK.q19!,
  'nexmark-q20': NEXMARK.q20!,
};

export function makeWorkload(name: string, params: Record<string, unknown>, seed: number): Workload {
  const entry = WORKLOADS[name];
  if (!entry) throw new InputError(`unknown workload '${name}' (known: ${Object.keys(WORKLOADS).join(', ')})`);
  return entry.make(parseWorkloadParams(name, entry.params, params) as Record<string, unknown>, seed);
}
