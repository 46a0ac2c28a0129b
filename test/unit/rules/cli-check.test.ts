import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { formatMessage } from '../../../server/src/rules/codes';
import { repoRoot } from './check-helpers';
import { tempFolder } from '../../tempFolders';

const cli = join(repoRoot, 'dist', 'cli.js');

function run(args: string[]) {
  const result = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function workspace(files: Record<string, string>): string {
  const dir = tempFolder('auditd-tools-check-');
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const needCli = (t: { skip: (why: string) => void }) => {
  if (existsSync(cli)) return true;
  t.skip('dist/cli.js is not built (npm run build)');
  return false;
};

test('text output reads like a compiler, with the line and a caret; exit 1 on errors', (t) => {
  if (!needCli(t)) return;
  const dir = workspace({ 'bad.rules': '-w /etc/passwd -p wa\n-e 3\n' });
  const file = join(dir, 'bad.rules');
  const result = run(['check', file]);
  assert.equal(result.status, 1, result.stderr);
  const lines = result.stdout.split('\n');
  const at = lines.indexOf(`${file}:2:4: error bad-enable-value: ` +
    formatMessage('bad-enable-value', { value: '3' }));
  assert.ok(at !== -1, result.stdout);
  assert.equal(lines[at + 1], '  -e 3');
  assert.equal(lines[at + 2], '     ^');
  assert.match(lines[lines.length - 2], /^1 error, 0 warnings, 0 notes in 1 file$/);
});

test('JSON output: 1-based lines and columns, the listed fields', (t) => {
  if (!needCli(t)) return;
  const dir = workspace({ 'a.rules': '-a always,exit -F arch=b64 -S opne -k x\n' });
  const result = run(['check', '--format', 'json', join(dir, 'a.rules')]);
  assert.equal(result.status, 1);
  const found = JSON.parse(result.stdout) as Record<string, unknown>[];
  const unknown = found.find((entry) => entry.code === 'unknown-syscall')!;
  assert.deepEqual(Object.keys(unknown).sort(),
    ['code', 'column', 'endColumn', 'endLine', 'file', 'line', 'message', 'severity']);
  assert.deepEqual([unknown.line, unknown.column, unknown.endLine, unknown.endColumn],
    [1, 31, 1, 35]);
  assert.equal(unknown.severity, 'error');
});

test('SARIF 2.1.0 output for code scanning', (t) => {
  if (!needCli(t)) return;
  const dir = workspace({ 'a.rules': '-a always,exit -S open\n' });
  const result = run(['check', '--format', 'sarif', join(dir, 'a.rules')]);
  assert.equal(result.status, 0, 'a warning alone exits 0');
  const sarif = JSON.parse(result.stdout);
  assert.equal(sarif.version, '2.1.0');
  const run0 = sarif.runs[0];
  assert.equal(run0.tool.driver.name, 'auditd-tools');
  const result0 = run0.results.find((r: { ruleId: string }) => r.ruleId === 'missing-arch');
  assert.equal(result0.level, 'warning');
  assert.equal(run0.tool.driver.rules[result0.ruleIndex].id, 'missing-arch');
  assert.match(run0.tool.driver.rules[result0.ruleIndex].help.text,
    /docs\/diagnostics\.md#missing-arch/);
  // Outside the working directory: an absolute file: URI, as SARIF asks where no base is.
  assert.equal(result0.locations[0].physicalLocation.artifactLocation.uri,
    pathToFileURL(join(dir, 'a.rules')).href);
  assert.deepEqual(result0.locations[0].physicalLocation.region,
    { startLine: 1, startColumn: 16, endLine: 1, endColumn: 18 });
});

test('a rules.d directory is one stream in sort -V order', (t) => {
  if (!needCli(t)) return;
  const dir = workspace({
    'rules.d/9-first.rules': '-a always,exit -F arch=b64 -S ptrace -k trace\n',
    'rules.d/10-second.rules': '-a always,exit -F arch=b64 -S ptrace -k trace\n',
    'rules.d/notes.txt': '-e 3\n',
  });
  const result = run(['check', '--format', 'json', join(dir, 'rules.d')]);
  const found = JSON.parse(result.stdout) as { file: string; code: string }[];
  const duplicate = found.find((entry) => entry.code === 'duplicate-rule');
  assert.ok(duplicate, result.stdout);
  assert.ok(duplicate.file.endsWith('10-second.rules'), duplicate.file);
  assert.equal(found.some((entry) => entry.file.endsWith('notes.txt')), false);
  assert.equal(result.status, 1);
});

test('exit 0 when clean, 2 on bad usage or a missing path', (t) => {
  if (!needCli(t)) return;
  const dir = workspace({ 'ok.rules': '-D\n-w /etc/passwd -p wa -k identity\n' });
  assert.equal(run(['check', join(dir, 'ok.rules')]).status, 0);
  assert.equal(run(['check', join(dir, 'missing.rules')]).status, 2);
  assert.equal(run(['check', '--format', 'xml', join(dir, 'ok.rules')]).status, 2);
  assert.equal(run(['check', '--audit-version', '5', join(dir, 'ok.rules')]).status, 2);
  assert.equal(run(['check']).status, 2);
  assert.equal(run(['frobnicate']).status, 2);
});

test('--audit-version 3.0.9 rejects a newer syscall', (t) => {
  if (!needCli(t)) return;
  const dir = workspace({ 'a.rules': '-a always,exit -F arch=b64 -S fchmodat2 -k perm\n' +
    '-a always,exit -F arch=b32 -S fchmodat2 -k perm\n' });
  assert.equal(run(['check', join(dir, 'a.rules')]).status, 0);
  const old = run(['check', '--audit-version', '3.0.9', join(dir, 'a.rules')]);
  assert.equal(old.status, 1);
  assert.match(old.stdout, /syscall-version: fchmodat2 is not in auditctl 3\.0\.9's x86_64 table/);
});

test('syscall: 263 is unlinkat on x86_64 and timer_delete on i386', (t) => {
  if (!needCli(t)) return;
  const byNumber = run(['syscall', '263']);
  assert.equal(byNumber.status, 0);
  assert.match(byNumber.stdout, /^263 on x86_64 is unlinkat$/m);
  assert.match(byNumber.stdout, /^ {2}i386 +timer_delete$/m);
  const i386 = run(['syscall', '263', '--arch', 'i386']);
  assert.match(i386.stdout, /^263 on i386 is timer_delete$/m);
  const byName = run(['syscall', 'openat', '--arch', 'b32']);
  assert.match(byName.stdout, /^openat on i386 is 295$/m);
  assert.equal(run(['syscall', 'nosuchcall']).status, 1);
});
