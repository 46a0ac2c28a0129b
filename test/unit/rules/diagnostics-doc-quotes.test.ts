import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './check-helpers';

test('diagnostics.md never shows a bare placeholder as what auditctl prints', () => {
  const document = readFileSync(join(repoRoot, 'docs', 'diagnostics.md'), 'utf8');
  const bare = document.split('\n').filter((line) => /^auditctl prints[^`]*`<\w+>`$/.test(line));
  assert.deepEqual(bare, []);
  assert.match(document,
    /auditctl prints \(for the example below\): `Multiple rule insert\/delete operations/);
});
