import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Machine } from '../../../server/src/tables';
import { columnOf, diagnosticsOf, expectOne, rejects } from './check-helpers';

function rule(arch: string): string {
  return `-a always,exit -F arch=${arch} -S openat -k b`;
}

function foreignArch(text: string, hostMachine: Machine = 'x86_64') {
  return diagnosticsOf(text, { hostMachine }).filter((entry) => entry.code === 'foreign-arch');
}

test('an arch of another machine loads but never matches on an x86_64 target', () => {
  for (const [arch, machine, checkWith] of [
    ['aarch64', 'aarch64', 'aarch64'], ['ppc64', 'ppc64', 'ppc64'], ['s390x', 's390x', 's390x'],
    ['armv7l', 'armeb', 'aarch64'], ['c00000b7', 'aarch64', 'aarch64'],
    ['0xc00000b7', 'aarch64', 'aarch64'],
  ]) {
    const text = rule(arch);
    const found = expectOne(text, {
      code: 'foreign-arch', severity: 'warning', range: columnOf(text, `arch=${arch}`),
    });
    assert.match(found.message, new RegExp(`-F arch=${arch} names ${machine} syscalls`));
    assert.match(found.message,
      /never matches on x86_64 kernels, which report only x86_64 and i386 syscalls/);
    assert.match(found.message, new RegExp(`use --arch ${checkWith} `));
    // auditctl accepts the rule: a warning, never a refusal.
    assert.equal(rejects(text), false, text);
  }
});

test('the target machine and the 32-bit machine it runs as compat are not foreign', () => {
  const reported: [Machine, string[]][] = [
    ['x86_64', ['b64', 'b32', 'x86_64', 'i386', 'i686', 'c000003e', '40000003']],
    ['aarch64', ['b64', 'b32', 'aarch64', 'armv7l', 'arm']],
    ['s390x', ['b64', 'b32', 's390x', 's390']],
    ['ppc64', ['b64', 'b32', 'ppc64', 'ppc']],
    ['ppc64le', ['b64', 'ppc64le', 'ppc']],
    ['riscv64', ['b64', 'b32', 'riscv64', 'riscv32']],
    ['i386', ['b32', 'i386']],
  ];
  for (const [hostMachine, arches] of reported) {
    for (const arch of arches) {
      assert.deepEqual(foreignArch(rule(arch), hostMachine), [], `${hostMachine}: ${arch}`);
    }
  }
});

test('other targets name their own machines in the warning', () => {
  const cases: [Machine, string, string][] = [
    ['aarch64', 'x86_64', 'aarch64 and armeb'],
    ['ppc64le', 'ppc64', 'ppc64le and ppc'],
    ['ppc64', 'ppc64le', 'ppc64 and ppc'],
    ['s390x', 'i386', 's390x and s390'],
    ['i386', 'x86_64', 'i386'],
  ];
  for (const [hostMachine, arch, reported] of cases) {
    const found = foreignArch(rule(arch), hostMachine);
    assert.equal(found.length, 1, `${hostMachine}: ${arch}`);
    assert.match(found[0].message,
      new RegExp(`on ${hostMachine} kernels, which report only ${reported} syscalls`));
  }
});

test('a 32-bit machine is checked as the 64-bit one that runs it as compat', () => {
  const cases: [Machine, string, string, string][] = [
    ['x86_64', 'arm', 'aarch64 or armeb', 'aarch64'],
    ['x86_64', 'armeb', 'aarch64 or armeb', 'aarch64'],
    ['aarch64', 'i386', 'x86_64 or i386', 'x86_64'],
    ['x86_64', 'ppc', 'ppc64 or ppc', 'ppc64'],
    ['x86_64', 's390', 's390x or s390', 's390x'],
    ['x86_64', 'riscv32', 'riscv64 or riscv32', 'riscv64'],
  ];
  for (const [hostMachine, arch, meantFor, checkWith] of cases) {
    const found = foreignArch(rule(arch), hostMachine);
    assert.equal(found.length, 1, `${hostMachine}: ${arch}`);
    assert.match(found[0].message, new RegExp(`To check rules meant for ${meantFor}, use ` +
      `--arch ${checkWith} \\(auditd\\.defaultArch in the editor\\)\\.$`));
  }

  // The advice holds: the 64-bit machine accepts the 64-bit rule and its compat twin.
  const pair = `${rule('aarch64')}\n${rule('arm')}\n`;
  assert.equal(foreignArch(pair, 'x86_64').length, 2);
  assert.deepEqual(foreignArch(pair, 'aarch64'), []);
});

test('arch!= of another machine, a delete and a non-exit list give no warning', () => {
  assert.deepEqual(foreignArch('-a always,exit -F arch!=aarch64 -S all -k b'), []);
  assert.deepEqual(foreignArch('-d always,exit -F arch=aarch64 -S openat -k b'), []);
  assert.deepEqual(foreignArch('-a always,user -F arch=aarch64 -F uid=0'), []);
});
