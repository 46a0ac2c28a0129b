import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { runCli } from '../cliRun';
import { repoRoot } from './check-helpers';

const run = (...args: string[]) => runCli(args);

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
