/**
 * The store against a plain Map through flush, compaction, checkpoint, restore and
 * rescale (the model is scripts/soak/lifecycle-model.ts; `npm run soak` runs it for
 * minutes).
 */
import { test } from 'node:test';
import fc from 'fast-check';
import { cmd, runSequence } from '../../scripts/soak/lifecycle-model.ts';

for (const [placement, policy, remote] of [['disaggregated', 'file', false], ['disaggregated', 'none', false], ['local', 'none', false], ['disaggregated', 'file', true]] as const) {
  test(`store agrees with a Map through flush, compaction, checkpoint, restore, rescale (${placement}, ${policy}${remote ? ', remote compaction' : ''})`, () => {
    fc.assert(fc.property(fc.array(cmd, { minLength: 1, maxLength: 120 }), (cmds) => { runSequence(cmds, placement, policy, remote); }),
      { numRuns: placement === 'disaggregated' && policy === 'file' && !remote ? 300 : 150 });
  });
}
