import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkCommand } from '../../../server/src/cli/check';
import { sharedRoot } from './check-helpers';

/** Runs `check` in-process; returns the exit status and what it printed. */
async function check(...args: string[]) {
  let stdout = '';
  let stderr = '';
  const status = await checkCommand.run(args, {
    stdout: (chunk) => { stdout += chunk; },
    stderr: (chunk) => { stderr += chunk; },
  });
  return { status, stdout, stderr };
}

function withFolder(run: (folder: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'auditd-tools-folder-'));
  const folder = join(dir, 'rules.d');
  mkdirSync(folder);
  return run(folder).finally(() => rmSync(dir, { recursive: true, force: true }));
}

const stig = join(sharedRoot, 'corpus', 'rules', 'audit-userspace-3.0.9', '30-stig.rules');

test('an Emacs lock link and other dotfiles in rules.d are skipped, as augenrules does',
  async (t) => {
    if (!existsSync(stig)) return t.skip('the corpus is not beside the repository');
    await withFolder(async (folder) => {
      writeFileSync(join(folder, '30-stig.rules'), readFileSync(stig));
      symlinkSync('root@host.12345:1700000000', join(folder, '.#30-stig.rules'));
      writeFileSync(join(folder, '.hidden.rules'), '-w /etc/hosts -p wa -k h extra\n');

      const result = await check('--format', 'json', folder);
      assert.equal(result.stderr, '');
      const found = JSON.parse(result.stdout) as { file: string; code: string }[];
      assert.deepEqual(found.filter((entry) => entry.file.includes('/.')), []);
      assert.equal(result.status, 0, result.stdout);
    });
  });

test('a dangling *.rules link is a warning on that file; the other files are checked',
  async () => {
    await withFolder(async (folder) => {
      writeFileSync(join(folder, '10-good.rules'), '-w /etc/passwd -p wa -k identity\n-e 3\n');
      symlinkSync('/nonexistent/target', join(folder, '20-gone.rules'));

      const result = await check('--format', 'json', folder);
      const found = JSON.parse(result.stdout) as { file: string; code: string; message: string }[];
      const gone = found.find((entry) => entry.code === 'unreadable-rules-file');
      assert.ok(gone, result.stdout + result.stderr);
      assert.ok(gone.file.endsWith('20-gone.rules'));
      assert.match(gone.message, /a symbolic link to nothing/);
      assert.ok(found.some((entry) => entry.code === 'bad-enable-value'),
        'the good file is checked');
      assert.equal(result.status, 1);
    });
  });

test('check refuses a device that never ends instead of reading it into memory', async () => {
  const started = Date.now();
  const result = await check('/dev/zero');
  assert.equal(result.status, 2);
  assert.match(result.stderr, /cannot read \/dev\/zero: it is larger than 64 MiB/);
  assert.ok(Date.now() - started < 20_000);
});

test('a world-writable rules file: an error alone (auditctl -R refuses it), a warning in rules.d',
  async () => {
    await withFolder(async (folder) => {
      const file = join(folder, '10-base.rules');
      writeFileSync(file, '-w /etc/passwd -p wa -k identity\n');
      chmodSync(file, 0o666);

      const alone = JSON.parse((await check('--format', 'json', file)).stdout) as
        { code: string; severity: string; message: string }[];
      const error = alone.find((entry) => entry.code === 'world-writable-rules-file');
      assert.equal(error?.severity, 'error', JSON.stringify(alone));
      assert.match(error.message, /auditctl: "Error - .*10-base\.rules is world writable"/);

      const inFolder = JSON.parse((await check('--format', 'json', folder)).stdout) as
        { code: string; severity: string; message: string }[];
      const warning = inFolder.find((entry) => entry.code === 'world-writable-rules-file');
      assert.equal(warning?.severity, 'warning', JSON.stringify(inFolder));
      assert.ok(!warning.message.includes('auditctl:'), warning.message);

      chmodSync(file, 0o640);
      const safe = (await check('--format', 'json', file)).stdout;
      assert.ok(!safe.includes('world-writable'), safe);
    });
  });

test('a folder with no *.rules file is an input error, not a pass', async () => {
  await withFolder(async (folder) => {
    writeFileSync(join(folder, 'audit.conf'), 'max_log_file = 8\n');
    const result = await check(folder);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /holds no \*\.rules file/);
  });
});

test('a rules.d file not read here is reported, the others checked, and the status is 2',
  async () => {
    await withFolder(async (folder) => {
      writeFileSync(join(folder, '10-good.rules'), '-w /etc/passwd -p wa -k identity\n');
      // Sparse: over the 64 MiB a rules file is read to, without writing it.
      writeFileSync(join(folder, '50-big.rules'), '');
      truncateSync(join(folder, '50-big.rules'), 65 * 1024 * 1024);
      mkdirSync(join(folder, '60-folder.rules'));

      const result = await check(folder);
      assert.equal(result.status, 2, result.stdout + result.stderr);
      assert.match(result.stdout, new RegExp('50-big\\.rules:1:1: warning ' +
        'rules-file-not-checked: This rules file was not checked \\(it is larger than 64 MiB'));
      assert.match(result.stdout, /augenrules, run as root, still loads it/);
      assert.match(result.stdout,
        /60-folder\.rules:1:1: warning unreadable-rules-file: .*\(a directory\)/);
      assert.match(result.stdout, /in 1 file \(1 not read\)\n$/);
      assert.match(result.stderr, /1 file was not read: .*50-big\.rules/);
    });
  });

test('a loop of symbolic links is named as one, alone or in a folder', async () => {
  await withFolder(async (folder) => {
    symlinkSync('b.rules', join(folder, 'a.rules'));
    symlinkSync('a.rules', join(folder, 'b.rules'));
    const alone = await check(join(folder, 'a.rules'));
    assert.equal(alone.status, 2);
    assert.match(alone.stderr, /cannot read .*a\.rules: a loop of symbolic links/);
    const inFolder = await check(folder);
    assert.match(inFolder.stdout, /unreadable-rules-file: .*\(a loop of symbolic links\)/);
  });
});
