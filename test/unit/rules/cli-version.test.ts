import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { main } from '../../../server/src/cli';
import { repoRoot } from './check-helpers';

async function run(...args: string[]) {
  let stdout = '';
  let stderr = '';
  const status = await main(args, {
    stdout: (text) => { stdout += text; },
    stderr: (text) => { stderr += text; },
  });
  return { status, stdout, stderr };
}

test('--version prints the package version and exits 0', async () => {
  const { version } = JSON.parse(readFileSync(`${repoRoot}/package.json`, 'utf8')) as
    { version: string };
  for (const flag of ['--version', '-V']) {
    const result = await run(flag);
    assert.equal(result.status, 0);
    assert.equal(result.stdout, `auditd-tools ${version}\n`);
    assert.equal(result.stderr, '');
  }
  assert.match((await run('--help')).stdout, /--version/);
});
