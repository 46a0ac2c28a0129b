// -S 2032 to 2047 set the bits the kernel reads as syscall classes (AUDIT_CLASS_* of
// linux/audit.h), not syscalls: measured with auditctl 3.0.9 on a 6.x x86_64 kernel, 2039
// loads as kill,tkill,tgkill and 2032 to 2037 load with no syscall at all.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../cliRun';
import { quotedWordLimit } from '../../../server/src/rules/codes';
import { syscallClassWidth } from '../../../server/src/rules/checks/syscalls';
import { machines } from '../../../server/src/tables';
import { columnOf, diagnosticsOf, expectOne, rejects } from './check-helpers';

const run = (...args: string[]) => runCli(args);

test('a class number is reported as the class the kernel expands, not as never matching', () => {
  // Each class on a rule of its own width: b32 for the 32-bit one.
  const cases: [string, string, string][] = [
    ['2047', 'b64', 'expands 2047 (class 0, dir_write) into the syscalls of that class'],
    ['2039', 'b64', 'expands 2039 (class 8, signal) into the syscalls of that class'],
    ['2038', 'b32', 'expands 2038 (class 9, signal_32) into the syscalls of that class'],
    ['2037', 'b64', '2037 is an unregistered class (class 10): it adds no syscall'],
    ['2032', 'b64', '2032 is an unregistered class (class 15): it adds no syscall'],
  ];
  for (const [number, arch, what] of cases) {
    const text = `-a always,exit -F arch=${arch} -S ${number} -k t`;
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
  // Lines wider than 100 columns go on at an indent: joined again here.
  const run = async (...args: string[]) => {
    const result = await runCli(args);
    return { ...result, stdout: result.stdout.replace(/\n {2}(?=\S)/g, ' ') };
  };
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

// The kernel adds a class's numbers to the mask whatever -F arch says. Loaded with auditctl
// 3.0.9 on x86_64: b64 2046 (dir_write_32) as lseek,mmap,mprotect,... (i386's creat, link,
// ... read as x86_64 numbers), b32 2047 as select,symlink,oldlstat,..., b64 2038 as
// alarm,set_mempolicy,pselect6; b64 2047 and b32 2046 as rename,mkdir,... and creat,link,...
test('a class of the other width than the rule says it adds unrelated syscalls', () => {
  const mismatched: [string, string, string, string][] = [
    ['-F arch=b64 -S 2046', 'Class 1 holds i386 (32-bit compat)', 'x86_64', '2047 (dir_write)'],
    ['-F arch=b64 -S 2038', 'Class 9 holds i386 (32-bit compat)', 'x86_64', '2039 (signal)'],
    ['-S 2046', 'Class 1 holds i386 (32-bit compat)', 'x86_64', '2047 (dir_write)'],
    ['-F arch=b32 -S 2047', 'Class 0 holds x86_64 (native)', 'i386', '2046 (dir_write_32)'],
    ['-F arch=b32 -S 2039', 'Class 8 holds x86_64 (native)', 'i386', '2038 (signal_32)'],
  ];
  for (const [part, holds, machine, instead] of mismatched) {
    const text = `-a always,exit ${part} -k t`;
    const found = diagnosticsOf(text)
      .filter((entry) => entry.code === 'syscall-number-unassigned');
    assert.equal(found.length, 1, text);
    assert.equal(found[0].severity, 'warning');
    assert.ok(found[0].message.endsWith(`into the syscalls of that class. ${holds} numbers, ` +
      `and the kernel adds them unchanged to a rule for ${machine}, where they are unrelated ` +
      `syscalls: write ${instead} for ${machine}, or name the syscalls.`),
    `${text}: ${found[0].message}`);
  }

  // A class of the rule's own width, an unregistered one, and a target without a compat
  // machine get no such sentence.
  for (const [text, options] of [
    ['-a always,exit -F arch=b64 -S 2047 -k t', {}],
    ['-a always,exit -F arch=b32 -S 2046 -k t', {}],
    ['-a always,exit -F arch=b64 -S 0x7f9 -k t', {}],
    ['-a always,exit -F arch=b32 -S 2037 -k t', {}],
    ['-a always,exit -S 2046 -k t', { hostMachine: 'i386' as const }],
  ] as const) {
    const found = diagnosticsOf(text, options)
      .filter((entry) => entry.code === 'syscall-number-unassigned');
    assert.equal(found.length, 1, text);
    assert.doesNotMatch(found[0].message, /unrelated/, text);
  }
});

test('the width sentence is never cut as a long quoted word is', () => {
  for (const target of machines) {
    for (const machine of machines) {
      for (let number = 2032; number <= 2047; number++) {
        const width = syscallClassWidth(number, machine, target);
        assert.ok(width.length <= quotedWordLimit, `${number} on ${machine}: ${width}`);
      }
    }
  }
});

test('syscall says which width a class holds when --arch is of the other width', async () => {
  const b32 = await run('syscall', '2047', '--arch', 'b32');
  assert.match(b32.stdout.replace(/\n +/g, ' '), new RegExp('Class 0 holds x86_64 \\(native\\) ' +
    'numbers, and the kernel adds them unchanged to a rule for i386, where they are ' +
    'unrelated syscalls: write 2046 \\(dir_write_32\\) for i386'));
  const b64 = await run('syscall', '2047');
  assert.doesNotMatch(b64.stdout, /unrelated/);
});
