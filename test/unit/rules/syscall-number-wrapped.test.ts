// libaudit reads a -S number with strtol into a long, then keeps it in an int: only the low
// 32 bits count, read signed, and the int must be 0..2047. Every value below was loaded with
// auditctl 3.0.9 on x86_64 (-F arch=b64), the accepted ones listed back by auditctl -l.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../cliRun';
import type { FixData } from '../../../server/src/rules/codes';
import { readSyscallNumber } from '../../../server/src/rules/checks/syscalls';
import { columnOf, diagnosticsOf, expectOne, rejects } from './check-helpers';

const run = (...args: string[]) => runCli(args);

test('-S numbers are cut to a signed 32-bit int as auditctl 3.0.9 loads them', () => {
  const loaded: [string, number][] = [
    ['4294967355', 59], // execve
    ['4294967296', 0], // read
    ['0x10000003b', 59],
    ['0x7fffffff0000003b', 59], // just below LONG_MAX
    ['4294969343', 2047],
    ['2047', 2047],
  ];
  for (const [written, number] of loaded) {
    assert.equal(readSyscallNumber(written)?.number, number, written);
    assert.equal(readSyscallNumber(written)?.wrapped, written !== '2047', written);
  }

  // "Syscall name unknown": negative after the cut, above 2047, or strtol's LONG_MAX.
  const refused = [
    '4294967295', // -1
    '2147483648', // INT_MIN
    '2147483647',
    '6442450944', // 0x180000000: INT_MIN
    '9223372036854775807', // LONG_MAX: -1
    '9223372036854775808', // saturates to LONG_MAX
    '99999999999999999999999',
    '0xffffffff0000003b', // above LONG_MAX: saturates, not cut to 59
    '2048',
  ];
  for (const written of refused) {
    assert.equal(readSyscallNumber(written), undefined, written);
    const text = `-a always,exit -F arch=b64 -S ${written} -k t`;
    assert.equal(rejects(text), true, written);
  }
});

test('a number cut to another syscall is a warning that names what auditctl reads', () => {
  const text = '-a always,exit -F arch=b64 -S 4294967355 -k t';
  assert.equal(rejects(text), false);
  const found = expectOne(text, {
    code: 'syscall-number-wrapped', severity: 'warning', range: columnOf(text, '4294967355'),
  });
  assert.equal(found.message, 'auditctl keeps the low 32 bits of 4294967355 as a signed int ' +
    'and reads it as syscall 59 (execve on x86_64).');
  assert.equal((found.data as FixData).fixes[0].edits[0].newText, '59');
  const named = diagnosticsOf(text).find((entry) => entry.code === 'syscall-number');
  assert.match(named!.message, /^Syscall 59 is execve on x86_64/);

  // A number read as itself is no such warning.
  const plain = diagnosticsOf('-a always,exit -F arch=b64 -S 59 -k t');
  assert.equal(plain.some((entry) => entry.code === 'syscall-number-wrapped'), false);
});

test('syscall reads a number cut to 32 bits as -S does', async () => {
  const cut = await run('syscall', '4294967355');
  assert.equal(cut.status, 0);
  assert.match(cut.stdout,
    /^4294967355 \(read as 59; auditctl keeps the low 32 bits\) on x86_64 is execve$/m);

  const negative = await run('syscall', '4294967295');
  assert.equal(negative.status, 1);
  assert.match(negative.stdout, new RegExp('^4294967295 \\(read as -1; auditctl keeps the low ' +
    '32 bits\\): no such syscall on x86_64 in auditctl 4\\.2', 'm'));
});
