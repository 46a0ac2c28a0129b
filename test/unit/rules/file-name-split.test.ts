/**
 * Debian's augenrules 3.0.9 loops over `$(ls -1v rules.d | grep "\.rules$")` unquoted: a
 * file name with a blank is split into words and the file itself is never read
 * (reference §1.10, "breaks on spaces in names"). Later versions read the name whole.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkRuleset } from '../../../server/src/rules/ruleset';
import { checkCommand } from '../../../server/src/cli/check';

const shadow = '-w /etc/shadow -p wa -k shadow\n';
const passwd = '-w /etc/passwd -p wa -k passwd\n';

function folder(names: Record<string, string>) {
  return Object.entries(names)
    .map(([name, text]) => ({ file: `/etc/audit/rules.d/${name}`, text }));
}

test('3.0.9: a rules.d file with a space in its name is reported and does not load', () => {
  const result = checkRuleset(folder({
    '30-main.rules': passwd, 'with space.rules': shadow,
  }), { auditVersion: '3.0.9' });

  const split = result.diagnostics.filter((d) => d.code === 'file-name-split');
  assert.equal(split.length, 1);
  assert.equal(split[0].file, '/etc/audit/rules.d/with space.rules');
  assert.equal(split[0].severity, 'warning');
  assert.match(split[0].message, /"with" and "space\.rules"/);
  assert.deepEqual(result.loadedRules.map((rule) => rule.keys), [['passwd']]);
});

test('4.2 reads the same file whole', () => {
  const result = checkRuleset(folder({
    '30-main.rules': passwd, 'with space.rules': shadow,
  }), { auditVersion: '4.2' });
  assert.deepEqual(result.diagnostics.filter((d) => d.code === 'file-name-split'), []);
  assert.equal(result.loadedRules.length, 2);
});

test('a file not read does not fuse its unterminated last line with the next file', () => {
  const result = checkRuleset(folder({
    '10-a b.rules': '-D', '20-main.rules': passwd,
  }), { auditVersion: '3.0.9' });
  const codes = result.diagnostics.map((d) => d.code);
  assert.ok(codes.includes('file-name-split'));
  assert.ok(!codes.includes('missing-final-newline'), codes.join());
});

test('check --audit-version 3.0.9 on a folder names the split file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'auditd-tools-split-'));
  try {
    const rulesD = join(dir, 'rules.d');
    mkdirSync(rulesD);
    writeFileSync(join(rulesD, 'with space.rules'), shadow);
    let stdout = '';
    const status = await checkCommand.run(['--audit-version', '3.0.9', rulesD], {
      stdout: (chunk) => { stdout += chunk; },
      stderr: () => undefined,
    });
    assert.match(stdout, /with space\.rules:1:1: warning file-name-split/);
    assert.equal(status, 0, "a warning is not an error");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('3.0.9: a file never read gets no load-order verdicts, only those of its own lines', () => {
  const result = checkRuleset(folder({
    '10-ok.rules': passwd, '20 sp.rules': `${shadow}${shadow}-a always,exit -S bogus\n`,
  }), { auditVersion: '3.0.9' });
  const inSplit = result.diagnostics.filter((d) => d.file === '/etc/audit/rules.d/20 sp.rules')
    .map((d) => d.code);
  assert.ok(inSplit.includes('file-name-split'), inSplit.join());
  assert.ok(!inSplit.includes('duplicate-rule'), inSplit.join());
  // Its lines are still read as rules: the name is the mistake to fix first, not the last.
  assert.ok(inSplit.includes('unknown-syscall'), inSplit.join());
});
