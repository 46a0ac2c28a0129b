import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Machine } from '../../../server/src/tables';
import { diagnosticsOf } from './check-helpers';

const warning = 'auditctl: "WARNING - 32/64 bit syscall mismatch in line 1';

function missingArch(line: string, hostMachine: Machine) {
  const found = diagnosticsOf(`${line}\n`, { hostMachine })
    .find((entry) => entry.code === 'missing-arch');
  assert.ok(found, `${hostMachine}: no missing-arch for ${line}`);
  return found;
}

test('the mismatch warning is quoted where auditctl prints it: x86_64, masks differing', () => {
  assert.ok(missingArch('-a always,exit -S open -k a', 'x86_64').message.includes(warning));
});

test('hosts without a 32-bit twin table get the advice without the quote', () => {
  for (const host of ['i386', 'armeb', 'ppc64le'] as Machine[]) {
    const found = missingArch('-a always,exit -S open -k a', host);
    assert.ok(!found.message.includes('auditctl:'), `${host}: ${found.message}`);
  }
});

test('no quote when the 32-bit table gives the same numbers, or for -d', () => {
  // open is 5 in both s390x and s390 tables, so auditctl's two masks are equal.
  assert.ok(!missingArch('-a always,exit -S open -k a', 's390x').message.includes('auditctl:'));
  assert.ok(!missingArch('-d always,exit -S open -k a', 'x86_64').message.includes('auditctl:'));
});
