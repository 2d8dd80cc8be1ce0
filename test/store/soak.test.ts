import { test } from 'node:test';
import assert from 'node:assert/strict';
import { soak } from '../../scripts/soak/soak-run.ts';

test('soak (a few seconds in CI): zero divergences, every setup run', () => {
  const r = soak({ seconds: 4, seed: 1000 });
  assert.deepEqual(r.divergences, []);
  assert.ok(r.sequences >= 4, `${r.sequences} sequences`);
  assert.ok(r.ops > 100 && r.lifecycle > 10, `${r.ops} ops, ${r.lifecycle} lifecycle events`);
});
