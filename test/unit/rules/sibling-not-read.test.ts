// The language server leaves out a sibling larger than it reads beside an open file and
// sends the folder check as the way to see it: that advice holds only below the size the
// CLI refuses as not a rules file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, ftruncateSync, mkdirSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkCommand } from '../../../server/src/cli/check';
import { formatMessage } from '../../../server/src/rules/codes';

const message = formatMessage('sibling-not-read', {
  file: '/etc/audit/rules.d/99-junk.rules', size: '100 MiB', limit: '8.0 MiB',
});

test('sibling-not-read names the size the folder check reads, not that it reads any file', () => {
  assert.doesNotMatch(message, /check on the folder reads it/);
  assert.match(message, /auditd-tools check on the folder reads files up to 64 MiB\.$/);
});

test('the folder check refuses a file one byte above the size the message names', async () => {
  const mebibytes = Number(/reads files up to (\d+) MiB/.exec(message)![1]);
  const dir = mkdtempSync(join(tmpdir(), 'auditd-tools-sibling-'));
  try {
    const folder = join(dir, 'rules.d');
    mkdirSync(folder);
    // A sparse file: the check stops reading one byte past its limit.
    const junk = join(folder, '99-junk.rules');
    const fd = openSync(junk, 'w');
    ftruncateSync(fd, mebibytes * 1024 * 1024 + 1);
    closeSync(fd);

    let stdout = '';
    await checkCommand.run(['--format', 'json', folder], {
      stdout: (chunk) => { stdout += chunk; },
      stderr: () => {},
    });
    assert.match(stdout, /rules-file-not-checked/);
    assert.match(stdout, new RegExp(`larger than ${mebibytes} MiB`));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
