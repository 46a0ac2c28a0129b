import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Machine } from '../../../server/src/tables';
import { diagnosticsOf, expectOne } from './check-helpers';

const line = '-a always,exit -F arch=b64 -S openat -k a';

test('-F arch=b64 fails on a 32-bit host, as libaudit finds no 64-bit machine there', () => {
  for (const hostMachine of ['i386', 'armeb', 'ppc', 's390', 'riscv32'] as Machine[]) {
    const found = expectOne(line, { code: 'bad-arch', severity: 'error', range: [23, 26] },
      { hostMachine });
    assert.match(found.message, new RegExp(`loading host is ${hostMachine}, a 32-bit machine`));
    assert.match(found.message, /auditctl: "arch elf mapping not found"/);
  }
});

test('-F arch=b64 still names the host on 64-bit hosts', () => {
  for (const hostMachine of ['x86_64', 'aarch64', 'ppc64le', 's390x', 'riscv64'] as Machine[]) {
    const codes = diagnosticsOf(line, { hostMachine }).map((entry) => entry.code);
    assert.ok(!codes.includes('bad-arch'), `${hostMachine}: ${codes.join(', ')}`);
  }
});
