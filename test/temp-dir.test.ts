// The tests' temporary directories are gone once a test file's process ends, failed or not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

for (const exitCode of [0, 1]) {
  test(`tempDir's directories are removed when the process exits with ${exitCode}`, () => {
    const script = `import { writeFileSync } from 'node:fs';
      import { tempDir } from './test/temp-dir.ts';
      const dir = tempDir('temp-dir-test');
      writeFileSync(dir + '/f', 'x');
      console.log(dir);
      process.exitCode = ${exitCode};`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
    assert.equal(r.status, exitCode, r.stderr);
    const dir = r.stdout.trim();
    assert.match(dir, /tiersim-temp-dir-test-/);
    assert.equal(existsSync(dir), false);
  });
}
