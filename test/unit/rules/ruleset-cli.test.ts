import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkCommand } from '../../../server/src/cli/check';
import { tempFolder } from '../../tempFolders';

async function check(args: string[]) {
  let stdout = '';
  let stderr = '';
  const status = await checkCommand.run(args, {
    stdout: (text) => { stdout += text; },
    stderr: (text) => { stderr += text; },
  });
  return { status, stdout, stderr };
}

test('check DIR runs the whole-ruleset analysis: a never rule pre-empted elsewhere', async () => {
  const dir = tempFolder('auditd-tools-ruleset-');
  mkdirSync(join(dir, 'rules.d'));
  writeFileSync(join(dir, 'rules.d', '30-main.rules'),
    '-a always,exit -F arch=b64 -S ptrace -k tracing\n');
  writeFileSync(join(dir, 'rules.d', '40-quiet.rules'),
    '-a never,exit -F arch=b64 -S ptrace -F exe=/usr/bin/gdb\n');

  const result = await check(['--format', 'json', join(dir, 'rules.d')]);
  assert.equal(result.status, 0, result.stderr);
  const found = JSON.parse(result.stdout) as { code: string; file: string; line: number }[];
  const preempted = found.find((entry) => entry.code === 'never-after-always');
  assert.ok(preempted, result.stdout);
  assert.ok(preempted.file.endsWith('40-quiet.rules'));
  assert.equal(preempted.line, 1);

  const text = await check([join(dir, 'rules.d')]);
  assert.match(text.stdout, /40-quiet\.rules:1:1: warning never-after-always: .*30-main\.rules:1/);
});

test('check given an audit log says so in one line instead of an error a line', async () => {
  const dir = tempFolder('auditd-tools-ruleset-');
  const log = join(dir, 'audit.log');
  writeFileSync(log, '\nnode=h1 type=SYSCALL msg=audit(1700000000.1:1): arch=c000003e ' +
    'syscall=59\ntype=EOE msg=audit(1700000000.1:1): \n');
  const result = await check([log]);
  assert.equal(result.status, 1);
  assert.equal(result.stdout, '');
  assert.equal(result.stderr, `auditd-tools check: ${log} is an audit log, not a rules file ` +
    '(its first line is an audit record): auditd-tools noise reads logs\n');
});
