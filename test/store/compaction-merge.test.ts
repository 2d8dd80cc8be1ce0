/**
 * The compaction's direct merge of SST files against the general merge through the
 * merging iterator: the same output entries, file cuts and counts, for random runs
 * with overlapping keys, deletes and merge operands, bottommost or not.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { mergeFileRuns, mergeRuns } from '../../sim/store/compaction.ts';
import { LevelRun } from '../../sim/store/iterator.ts';
import { SstBuilder, type SstFile } from '../../sim/store/sst.ts';
import { storeOptions } from '../../sim/store/options.ts';
import type { SortedRun } from '../../sim/store/run.ts';
import { mulberry32 } from './helpers.ts';

const o = storeOptions({ targetFileSize: 6000, blockSize: 512 });

/** A run of `files` files with increasing random keys; sequences from `seq` on. */
function run(rnd: () => number, files: number, perFile: number, span: number, seq: { n: number }, fileNo: { n: number }): SstFile[] {
  const b = new SstBuilder(o);
  const out: SstFile[] = [];
  let key = Math.floor(rnd() * 5);
  for (let f = 0; f < files; f++) {
    b.reset();
    for (let i = 0; i < perFile; i++) {
      key += 1 + Math.floor(rnd() * span);
      const t = rnd();
      const type = t < 0.15 ? 0 : t < 0.35 ? 2 : 1;
      b.add(key, seq.n++, type, type === 0 ? 0 : Math.floor(rnd() * 200), Math.floor(rnd() * 2 ** 32));
    }
    out.push(b.finish(fileNo.n++));
  }
  return out;
}

test('the direct merge of file runs equals the merging iterator\'s merge', () => {
  fc.assert(fc.property(fc.integer({ min: 1, max: 1e9 }), fc.integer({ min: 1, max: 5 }), fc.boolean(), (seed, nRuns, bottommost) => {
    const rnd = mulberry32(seed);
    const seq = { n: 1 };
    const fileNo = { n: 1 };
    const runs: SstFile[][] = [];
    for (let r = 0; r < nRuns; r++) runs.push(run(rnd, 1 + Math.floor(rnd() * 3), 1 + Math.floor(rnd() * 60), 1 + Math.floor(rnd() * 8), seq, fileNo));
    runs.reverse(); // newer runs first, as a compaction lists them
    const general: SortedRun[] = runs.map((files) => (files.length === 1 ? files[0]! : new LevelRun(files)));
    let a = 1000;
    let b = 1000;
    const x = mergeRuns(general, o, bottommost, () => a++);
    const y = mergeFileRuns(runs, o, bottommost, () => b++);
    assert.equal(y.entriesIn, x.entriesIn);
    assert.equal(y.entriesOut, x.entriesOut);
    assert.equal(y.outputs.length, x.outputs.length);
    y.outputs.forEach((f, i) => {
      const g = x.outputs[i]!;
      assert.equal(f.fileNumber, g.fileNumber);
      assert.deepEqual([...f.keys], [...g.keys]);
      assert.deepEqual([...f.seqs], [...g.seqs]);
      assert.deepEqual([...f.types], [...g.types]);
      assert.deepEqual([...f.sizes], [...g.sizes]);
      assert.deepEqual([...f.tokens], [...g.tokens]);
    });
  }), { numRuns: 200 });
});
