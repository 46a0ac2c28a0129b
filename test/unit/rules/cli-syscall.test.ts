import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../cliRun';
import { checkRulesText } from '../../../server/src/rules/check';
import { syscallTable } from '../../../server/src/tables';

const run = (...args: string[]) => runCli(args);

/** The output with each wrapped line joined again. */
const unwrapped = (stdout: string) => stdout.replace(/\n {2}(?=\S)/g, ' ');

test('syscall takes a hex number as -S does: 0x3b is execve on x86_64', async () => {
  const result = await run('syscall', '0x3b');
  assert.equal(result.status, 0, result.stdout);
  assert.match(result.stdout, /^0x3b \(59\) on x86_64 is execve$/m);
  assert.match(result.stdout, /^number 0x3b \(59\) on every arch \(auditctl 4\.2\):$/m);
  assert.match(result.stdout, /^ {2}i386 +oldolduname$/m);
  assert.equal(result.stderr, '');
});

test('syscall reads each number form to the syscall the checker reads from -S', async () => {
  const table = syscallTable('x86_64', '4.2')!;
  for (const form of ['59', '0x3b', '0X3B', '073', '2abc', '0']) {
    const [rule] = checkRulesText(`-a always,exit -F arch=b64 -S ${form} -k n\n`).rules;
    const number = rule.syscalls.numbers[0];
    const result = await run('syscall', form, '--arch', 'b64');
    assert.equal(result.status, 0, form);
    const name = /^.* on x86_64 is (\w+)$/m.exec(result.stdout)?.[1];
    assert.equal(name, table.byNumber.get(number), form);
  }
  const trailing = await run('syscall', '2abc');
  assert.match(trailing.stdout, /^2abc \(read as 2; auditctl ignores "abc"\) on x86_64 is open$/m);
});

test('a number -S refuses is no syscall, with the range -S takes', async () => {
  for (const [form, shown] of [
    ['2048', '2048'],
    ['0x800', '0x800 \\(2048\\)'],
    ['4294967295', '4294967295 \\(read as -1; auditctl keeps the low 32 bits\\)'],
    ['99999999999999999999', '99999999999999999999 \\(read as -1; auditctl stops at ' +
      'LONG_MAX and keeps its low 32 bits\\)'],
  ]) {
    const result = await run('syscall', form);
    assert.equal(result.status, 1, form);
    assert.match(unwrapped(result.stdout),
      new RegExp(`^${shown}: no such syscall on x86_64 in auditctl 4\\.2 ` +
        '\\(-S takes numbers from 0 to 2047\\)$', 'm'));
  }
  assert.match((await run('syscall', '--help')).stdout, /decimal, 0x hex or 0 octal/);
});

test('the first line says what a number is read as, found or not', async () => {
  const both = await run('syscall', '4294967355abc');
  assert.equal(both.status, 0);
  assert.match(both.stdout, new RegExp('^4294967355abc \\(read as 59; auditctl keeps the ' +
    'low 32 bits and ignores "abc"\\) on x86_64 is execve$', 'm'));

  const cutToClass = await run('syscall', '4294969343');
  assert.equal(cutToClass.status, 1);
  const [first, ...rest] = unwrapped(cutToClass.stdout).split('\n');
  assert.equal(first, '4294969343 (read as 2047; auditctl keeps the low 32 bits): no such ' +
    'syscall on x86_64 in auditctl 4.2');
  assert.match(rest[0], /^2047 is a syscall class, not a syscall: /);
});

test('syscall keeps its lines within 100 columns, wrapped at spaces with an indent', async () => {
  for (const args of [
    ['2047'], ['2032'], ['452', '--audit-version', '3.0.9'], ['2046'], ['2047', '--arch', 'b32'],
    ['4294969343'], ['99999999999999999999'],
  ]) {
    const result = await run('syscall', ...args);
    const lines = result.stdout.split('\n');
    for (const line of lines) assert.ok(line.length <= 100, `${args.join(' ')}: ${line}`);
    assert.ok(lines.some((line) => /^ {2}\S/.test(line) && !/^ {2}[a-z0-9_]+ +\S+$/.test(line)),
      `${args.join(' ')} wraps:\n${result.stdout}`);
  }

  // Joined again, the explanation is the checker's message word for word.
  const result = await run('syscall', '2047', '--arch', 'b32');
  const [checked] = checkRulesText('-a always,exit -F arch=b32 -S 2047 -k x').diagnostics
    .filter((entry) => entry.code === 'syscall-number-unassigned');
  assert.equal(unwrapped(result.stdout).split('\n')[1], checked.message);
});
