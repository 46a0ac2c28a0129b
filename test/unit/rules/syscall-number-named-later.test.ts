import { test } from 'node:test';
import assert from 'node:assert/strict';
import { main } from '../../../server/src/cli';
import { columnOf, diagnosticsOf, expectOne, rejects } from './check-helpers';

const line = '-a never,exit -F arch=b64 -S 452,clone3,write,2000 -F exe=/usr/bin/newsc -k x';

test('3.0.9: a number only a newer table names matches on kernels that have the syscall', () => {
  const found = diagnosticsOf(line, { auditVersion: '3.0.9' })
    .filter((entry) => entry.code === 'syscall-number-unassigned');
  assert.equal(found.length, 2);
  const [named, unnamed] = found;
  assert.deepEqual([named.range.start.character, named.range.end.character],
    columnOf(line, '452'));
  assert.equal(named.severity, 'warning');
  assert.equal(named.message, "auditctl 3.0.9's x86_64 table has no name for syscall 452 " +
    "(auditctl 4.2's names it fchmodat2): auditctl accepts the number, and the rule matches " +
    'it on kernels that have fchmodat2.');
  assert.doesNotMatch(named.message, /never matches/);
  assert.deepEqual([unnamed.range.start.character, unnamed.range.end.character],
    columnOf(line, '2000'));
  assert.equal(unnamed.message,
    'No syscall has number 2000 on x86_64; auditctl accepts it but it never matches.');
  assert.equal(rejects(line, { auditVersion: '3.0.9' }), false);
});

test('the newer table is the one of the rule\'s machine', () => {
  // b32 on x86_64 is i386, whose 4.2 table also names 452 fchmodat2.
  const text = '-a always,exit -F arch=b32 -S 452 -k x';
  const found = expectOne(text, {
    code: 'syscall-number-unassigned', severity: 'warning', range: columnOf(text, '452'),
  }, { auditVersion: '3.0.9' });
  assert.match(found.message, /auditctl 3\.0\.9's i386 table has no name for syscall 452 /);
});

test('4.2 names 452, so it is a syscall by number there', () => {
  const text = '-a always,exit -F arch=b64 -S 452 -k x';
  const found = expectOne(text, {
    code: 'syscall-number', severity: 'warning', range: columnOf(text, '452'),
  });
  assert.match(found.message, /Syscall 452 is fchmodat2 on x86_64/);
  const unassigned = diagnosticsOf(text).filter((entry) =>
    entry.code === 'syscall-number-unassigned');
  assert.deepEqual(unassigned, []);
});

test('syscall says of a number what the checker says of it in -S', async () => {
  for (const [version, number] of [
    ['3.0.9', '452'], ['4.2', '2000'], ['4.2', '2039'], ['3.0.9', '0x1c4'],
  ] as const) {
    const text = `-a always,exit -F arch=b64 -S ${number} -k x`;
    const [checked] = diagnosticsOf(text, { auditVersion: version })
      .filter((entry) => entry.code === 'syscall-number-unassigned');
    let stdout = '';
    const status = await main(['syscall', '--audit-version', version, number], {
      stdout: (chunk) => { stdout += chunk; },
      stderr: () => {},
    });
    assert.equal(status, 1, number);
    // Lines wider than 100 columns go on at an indent.
    const [first, second] = stdout.replace(/\n {2}(?=\S)/g, ' ').split('\n');
    const shown = number === '0x1c4' ? '0x1c4 (452)' : number;
    assert.equal(first, `${shown}: no such syscall on x86_64 in auditctl ${version}`);
    assert.equal(second, checked.message, number);
  }
});
