import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSize, parseDuration } from '../sim/units.ts';
import { InputError } from '../sim/errors.ts';

test('sizes are binary, like Flink and libCacheSim', () => {
  assert.equal(parseSize('4096'), 4096);
  assert.equal(parseSize('4KiB'), 4096);
  assert.equal(parseSize('4KB'), 4096);
  assert.equal(parseSize('64MiB'), 64 * 1024 * 1024);
  assert.equal(parseSize('1.5GiB'), 1.5 * 2 ** 30);
});

test('bad sizes are input errors that name the value', () => {
  for (const bad of ['4KB!', '-1', 'abc', '', '4 XB']) {
    assert.throws(() => parseSize(bad, '--block-size'), (e: unknown) =>
      e instanceof InputError && e.message.startsWith('--block-size:') && e.message.includes(`'${bad}'`));
  }
  assert.throws(() => parseSize(-5), InputError);
});

test('durations are microseconds', () => {
  assert.equal(parseDuration('68us'), 68);
  assert.equal(parseDuration('1.5ms'), 1500);
  assert.equal(parseDuration('2s'), 2e6);
  assert.equal(parseDuration('250'), 250);
  assert.throws(() => parseDuration('fast'), InputError);
});
