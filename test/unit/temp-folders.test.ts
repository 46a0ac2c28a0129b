/**
 * Test runs leave nothing in the temporary folder: each file that makes folders there is
 * run with TMPDIR pointing at an empty folder, which must be empty again afterwards.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const compiled = join(__dirname, '..');

const testFiles = [
  'unit/rules/cli-check.test.js',
  'unit/rules/ruleset-cli.test.js',
  'unit/rules/cli-rules-folder.test.js',
  'unit/rules/cli-terminal-output.test.js',
  'unit/rules/file-name-split.test.js',
  'protocol/server.test.js',
  'protocol/rulesetFeatures.test.js',
];

for (const file of testFiles) {
  test(`${file} removes the temporary folders it makes`, (t) => {
    const path = join(compiled, file);
    if (!existsSync(path)) return t.skip(`${file} is not compiled`);
    const scratch = mkdtempSync(join(tmpdir(), 'auditd-tools-hygiene-'));
    try {
      // The runner's own context (NODE_TEST_CONTEXT) would make the child report to it.
      const { NODE_TEST_CONTEXT: _context, ...env } = process.env;
      const run = spawnSync(process.execPath, ['--test', path], {
        env: { ...env, TMPDIR: scratch }, encoding: 'utf8',
      });
      assert.equal(run.status, 0, run.stdout.slice(-2000));
      assert.deepEqual(readdirSync(scratch), []);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
}
