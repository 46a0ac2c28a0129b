import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import {
  syscallTable, versionsWithSyscall, resolveArch, machineForElf, messageTypes, fieldInfo,
  uringOpTable,
} from '../../../server/src/tables';

const ausyscall = '/usr/bin/ausyscall';

for (const machine of ['x86_64', 'i386', 'aarch64'] as const) {
  test(`the 3.0.9 ${machine} table agrees with ausyscall entry for entry`, (t) => {
    if (!existsSync(ausyscall)) {
      t.skip('ausyscall is not installed (Debian package auditd)');
      return;
    }
    const dump = execFileSync(ausyscall, [machine, '--dump'], { encoding: 'utf8' });
    const rows = dump.split('\n').slice(1).filter((row) => row.includes('\t'));
    const table = syscallTable(machine, '3.0.9')!;
    assert.ok(rows.length > 300, `ausyscall printed only ${rows.length} rows`);
    assert.equal(table.byNumber.size, rows.length);
    for (const row of rows) {
      const [number, name] = row.split('\t');
      assert.equal(table.byNumber.get(Number(number)), name, `syscall ${number}`);
      assert.equal(table.byName.get(name), Number(number), `syscall ${name}`);
    }
  });
}

test('263 is unlinkat on x86_64 and timer_delete on i386', () => {
  assert.equal(syscallTable('x86_64', '4.2')!.byNumber.get(263), 'unlinkat');
  assert.equal(syscallTable('i386', '4.2')!.byNumber.get(263), 'timer_delete');
});

test('names added after 3.0.9 are only in the 4.2 tables', () => {
  for (const name of ['fchmodat2', 'file_setattr', 'lsm_set_self_attr']) {
    assert.deepEqual(versionsWithSyscall(name, 'x86_64'), ['4.2'], name);
  }
  assert.deepEqual(versionsWithSyscall('openat', 'x86_64'), ['3.0.9', '4.2']);
});

test('every architecture auditctl knows has a table, and riscv only upstream', () => {
  for (const machine of ['x86_64', 'i386', 'aarch64', 'armeb', 'ppc', 'ppc64', 'ppc64le',
    's390', 's390x'] as const) {
    assert.ok(syscallTable(machine, '3.0.9'), `3.0.9 ${machine}`);
    assert.ok(syscallTable(machine, '4.2'), `4.2 ${machine}`);
  }
  assert.equal(syscallTable('riscv64', '3.0.9'), undefined);
  assert.equal(syscallTable('riscv64', '4.2')!.byNumber.size, 328);
  assert.equal(uringOpTable('4.2')!.byNumber.size, 30);
});

test('arch values resolve like auditctl', () => {
  const b32 = resolveArch('b32', 'x86_64', '4.2');
  assert.ok(b32.ok && b32.machine === 'i386');
  const hex = resolveArch('c000003e', 'x86_64', '4.2');
  assert.ok(hex.ok && hex.machine === 'x86_64');
  assert.equal(resolveArch('foo', 'x86_64', '4.2').ok, false);
  assert.equal(resolveArch('riscv64', 'x86_64', '3.0.9').ok, false);
  assert.equal(resolveArch('b32', 'ppc64le', '4.2').ok, false);
  assert.equal(machineForElf(0xc00000b7), 'aarch64');
  assert.equal(machineForElf(0x40000003), 'i386');
});

test('message types and fields', () => {
  assert.equal(messageTypes('4.2').byName.get('SYSCALL'), 1300);
  assert.equal(messageTypes('4.2').byName.get('LANDLOCK_ACCESS'), 1423);
  assert.equal(messageTypes('3.0.9').byName.get('LANDLOCK_ACCESS'), undefined);
  assert.equal(fieldInfo('loginuid')!.name, 'auid');
  assert.equal(fieldInfo('AUID')!.id, 9);
  assert.equal(fieldInfo('exe')!.id, 112);
  assert.deepEqual(fieldInfo('msgtype')!.lists, ['user', 'exclude']);
});
