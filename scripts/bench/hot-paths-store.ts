/**
 * Micro-benchmarks (tinybench) of the store's hot paths: the scheduler's heap (an
 * event scheduled and run), an SST point lookup (block search and entry search) and
 * a bloom filter probe. Each task runs a batch; the figure is nanoseconds per
 * operation (mean over tinybench's samples).
 */
import { Bench } from 'tinybench';
import { Scheduler, type Wakeable } from '../../sim/scheduler.ts';
import { Rng } from '../../sim/random.ts';
import { SstBuilder } from '../../sim/store/sst.ts';
import { storeOptions } from '../../sim/store/options.ts';
import { bloomAdd, bloomMayContain, bloomProbes, bloomWords } from '../../sim/store/bloom.ts';
import { info, type BenchSection } from './figure.ts';

const BATCH = 1000;

export const hotPathsStoreSection: BenchSection = {
  name: 'hot-paths-store',
  async run({ quick }) {
    const rng = Rng.stream(1, 'bench/hot-paths');
    const draws = new Float64Array(BATCH);
    for (let i = 0; i < BATCH; i++) draws[i] = rng.next();

    // Scheduler: 1024 events pending; each step schedules one and runs the earliest.
    const scheduler = new Scheduler();
    const idle: Wakeable = { wake() {} };
    for (let i = 0; i < 1024; i++) scheduler.at(draws[i % BATCH]! * 1000, idle);

    // An SST of 200,000 entries of 1000-byte values (49 blocks per index partition).
    const options = storeOptions({ targetFileSize: 2 ** 40 });
    const builder = new SstBuilder(options);
    const keys = new Float64Array(200_000);
    for (let i = 0; i < keys.length; i++) keys[i] = i * 7919 + 13;
    for (let i = 0; i < keys.length; i++) builder.add(keys[i]!, i + 1, 1, 1000, i);
    const sst = builder.finish(1);
    const lookups = new Float64Array(BATCH);
    for (let i = 0; i < BATCH; i++) lookups[i] = keys[Math.floor(draws[i]! * keys.length)]!;

    // A bloom filter of 1M keys at 10 bits per key; probes of absent keys.
    const n = 1_000_000;
    const k = bloomProbes(10);
    const bits = new Uint32Array(bloomWords(n, 10));
    for (let i = 0; i < n; i++) bloomAdd(bits, k, i * 2);
    const absent = new Float64Array(BATCH);
    for (let i = 0; i < BATCH; i++) absent[i] = Math.floor(draws[i]! * n) * 2 + 1;

    let sink = 0;
    const bench = new Bench({ time: quick ? 100 : 500 });
    bench
      .add('scheduler', () => {
        for (let i = 0; i < BATCH; i++) {
          scheduler.at(scheduler.now + draws[i]! * 1000, idle);
          scheduler.run(scheduler.peekTime());
        }
      })
      .add('sst', () => {
        for (let i = 0; i < BATCH; i++) {
          const key = lookups[i]!;
          sink += sst.findInBlock(sst.findBlock(key), key);
        }
      })
      .add('bloom', () => {
        for (let i = 0; i < BATCH; i++) if (bloomMayContain(bits, k, absent[i]!)) sink++;
      });
    await bench.run();
    if (sink === -1) console.log(sink);
    const ns = (name: string) => {
      const r = bench.getTask(name)!.result;
      if (r.state !== 'completed') throw new Error(`bench task ${name}: ${r.state}`);
      return (r.latency.mean * 1e6) / BATCH;
    };
    return [
      info('scheduler: schedule an event and run the next (1024 pending)', ns('scheduler'), 'ns'),
      info('SST point lookup (block search + entry search), 200k-entry file', ns('sst'), 'ns'),
      info('bloom probe of an absent key (10 bits/key, 1M keys)', ns('bloom'), 'ns'),
    ];
  },
};
