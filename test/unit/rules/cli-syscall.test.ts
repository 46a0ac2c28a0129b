import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../cliRun';
import { checkRulesText } from '../../../server/src/rules/check';
import { syscallTable } from '../../../server/src/tables';

const run = (...args: string[]) => runCli(args);

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
  for (const form of ['2048', '0x800', '99999999999999999999']) {
    const result = await run('syscall', form);
    assert.equal(result.status, 1, form);
    assert.match(result.stdout,
      new RegExp(`^${form}: no such syscall on x86_64 in auditctl 4\\.2 ` +
        '\\(-S takes numbers from 0 to 2047\\)$', 'm'));
  }
  assert.match((await run('syscall', '--help')).stdout, /decimal, 0x hex or 0 octal/);
});
