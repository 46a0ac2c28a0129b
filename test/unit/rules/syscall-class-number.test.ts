// -S 2032 to 2047 set the bits the kernel reads as syscall classes (AUDIT_CLASS_* of
// linux/audit.h), not syscalls: measured with auditctl 3.0.9 on a 6.x x86_64 kernel, 2039
// loads as kill,tkill,tgkill and 2032 to 2037 load with no syscall at all.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../cliRun';
import { columnOf, diagnosticsOf, expectOne, rejects } from './check-helpers';

const run = (...args: string[]) => runCli(args);

test('a class number is reported as the class the kernel expands, not as never matching', () => {
  const cases: [string, string][] = [
    ['2047', 'expands 2047 (class 0, dir_write) into the syscalls of that class'],
    ['2039', 'expands 2039 (class 8, signal) into the syscalls of that class'],
    ['2038', 'expands 2038 (class 9, signal_32) into the syscalls of that class'],
    ['2037', '2037 is an unregistered class (class 10): it adds no syscall'],
    ['2032', '2032 is an unregistered class (class 15): it adds no syscall'],
  ];
  for (const [number, what] of cases) {
    const text = `-a always,exit -F arch=b64 -S ${number} -k t`;
    const found = expectOne(text, {
      code: 'syscall-number-unassigned', severity: 'warning', range: columnOf(text, number),
    });
    assert.equal(found.message, `${number} is a syscall class, not a syscall: the kernel ` +
      `reads 2032 to 2047 as classes, and ${what}.`);
    assert.equal(rejects(text), false);
  }
});

test('the class is the same in hex, under 3.0.9, and on another arch', () => {
  for (const [text, options] of [
    ['-a always,exit -F arch=b64 -S 0x7f7 -k t', {}],
    ['-a always,exit -F arch=b64 -S 2039 -k t', { auditVersion: '3.0.9' as const }],
    ['-a always,exit -F arch=b32 -S 2039 -k t', {}],
  ] as const) {
    const found = diagnosticsOf(text, options)
      .filter((entry) => entry.code === 'syscall-number-unassigned');
    assert.equal(found.length, 1, text);
    assert.match(found[0].message, /\(class 8, signal\)/, text);
  }
});

test('2031, below the classes, is still a number no syscall has', () => {
  const text = '-a always,exit -F arch=b64 -S 2031 -k t';
  const found = expectOne(text, {
    code: 'syscall-number-unassigned', severity: 'warning', range: columnOf(text, '2031'),
  });
  assert.equal(found.message,
    'No syscall has number 2031 on x86_64; auditctl accepts it but it never matches.');
});

test('syscall names the class of a class number', async () => {
  const signal = await run('syscall', '2039');
  assert.equal(signal.status, 1);
  assert.match(signal.stdout, /^2039: no such syscall on x86_64 in auditctl 4\.2$/m);
  assert.match(signal.stdout, new RegExp('^2039 is a syscall class, not a syscall: .* ' +
    'expands 2039 \\(class 8, signal\\) into the syscalls of that class\\.$', 'm'));

  const hex = await run('syscall', '0x7ff');
  assert.match(hex.stdout, /^2047 is a syscall class, .*\(class 0, dir_write\)/m);

  const unregistered = await run('syscall', '2034');
  assert.match(unregistered.stdout, new RegExp('^2034 is a syscall class, .* ' +
    '2034 is an unregistered class \\(class 13\\): it adds no syscall\\.$', 'm'));

  const plain = await run('syscall', '2031');
  assert.doesNotMatch(plain.stdout, /class/);
});
