// A reader that stops early (`auditd-tools check ... | head`) must not make the tool print
// a stack trace: it stops quietly, with the status of a process killed by SIGPIPE.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import { join } from 'node:path';

const repoRoot = join(__dirname, '..', '..', '..');
const cli = join(repoRoot, 'dist', 'cli.js');

test('output cut short by its reader ends the tool quietly', { skip: existsSync(cli) ? false :
  'dist/cli.js is missing (npm run build)' }, async () => {
  // 20,000 rules with a diagnostic each: far more output than a pipe holds.
  const child = spawn(process.execPath, [cli, 'check', '-']);
  child.stdin.on('error', () => undefined);
  child.stdin.end(Array.from({ length: 20000 }, (_, i) => `-w /etc/x${i} -p wa -k a b\n`).join(''));
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  child.stdout.once('data', () => child.stdout.destroy());
  const status = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  assert.equal(stderr, '');
  assert.equal(status, 141);
});

test('output that cannot be written (a full disk) is one line and status 2, not a trace', {
  skip: !existsSync(cli) ? 'dist/cli.js is missing (npm run build)'
    : !existsSync('/dev/full') ? 'this system has no /dev/full' : false,
}, () => {
  const full = openSync('/dev/full', 'w');
  try {
    const result = spawnSync(process.execPath, [cli, 'check', '-'], {
      input: '-w /etc/passwd -p wa -k identity\n', stdio: ['pipe', full, 'pipe'],
    });
    assert.equal(result.status, 2);
    assert.equal(result.stderr.toString(),
      'auditd-tools: cannot write the output: ENOSPC: no space left on device, write\n');
  } finally {
    closeSync(full);
  }
});
