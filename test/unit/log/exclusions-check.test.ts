import { test } from 'node:test';
import assert from 'node:assert/strict';
import { proposeExclusion } from '../../../server/src/log/exclusions';
import type { EventProfile, EventProfileBucket } from '../../../server/src/log/report';
import { checkRulesText } from '../../../server/src/rules/check';
import { auditVersions, messageTypes, syscallTable } from '../../../server/src/tables';

const archOf: Record<string, number> = { x86_64: 0xc000003e, i386: 0x40000003 };

function bucket(facts: Partial<EventProfileBucket>): EventProfileBucket {
  const machine = facts.machine === undefined ? 'x86_64' : facts.machine;
  return {
    arch: machine ? archOf[machine] : null, machine, syscall: null, success: true, exit: null,
    exitPositive: false, exe: null, uid: 0, auid: 4294967295, euid: 0, suid: 0, fsuid: 0,
    gid: 0, egid: 0, sgid: 0, fsgid: 0, subj: null, keys: [], types: ['SYSCALL'], events: 1,
    records: 1, bytes: 300, ...facts,
  };
}

/** Diagnostics a generated rule may carry: none is an error. */
const acceptedCodes = new Set([
  // The issue asks for the b32 twin only when the log has b32 events.
  'missing-b32-twin',
  // Whether the exe's directory exists on the target host cannot be known here.
  'path-parent-host',
]);

const exes = ['/usr/sbin/named', '/x -k y', '/a\\ b', '/tmp/evil -F exe=/bin/true',
  '/opt/My Tools/run me', '/tmp/-F', '/srv/caf\u00e9/bin/d\u00e6mon'];

for (const version of auditVersions) {
  test(`every generated rule passes the rules engine's check for ${version}`, () => {
    const x64 = [...syscallTable('x86_64', version)!.byNumber.keys()];
    const i386 = [...syscallTable('i386', version)!.byNumber.keys()];
    const buckets: EventProfileBucket[] = [];
    for (const exe of exes) {
      for (const syscall of x64) buckets.push(bucket({ exe, syscall }));
      for (const syscall of i386.slice(0, 40)) buckets.push(bucket({ exe, machine: 'i386',
        syscall }));
    }
    // fchmodat2 (452) from a newer kernel: 3.0.9's table has no name for it, so the rule
    // gives the number, which the kernel matches all the same.
    buckets.push(bucket({ exe: '/usr/bin/future', syscall: 452 }));
    const profile: EventProfile = { buckets };

    const lines: string[] = [];
    for (const exe of [...exes, '/usr/bin/future']) {
      const proposal = proposeExclusion({ kind: 'exe', exe }, profile, { auditVersion: version });
      assert.deepEqual(proposal.refused, [], exe);
      assert.ok(proposal.rules.length >= (exe === '/usr/bin/future' ? 1 : 2), exe);
      lines.push(...proposal.rules.map((r) => r.text));
    }
    for (const type of [...messageTypes(version).byName.keys()].slice(0, 60)) {
      const proposal = proposeExclusion({ kind: 'type', type }, profile, { auditVersion: version });
      lines.push(...proposal.rules.map((r) => r.text));
    }

    assert.ok(lines.includes(version === '3.0.9'
      ? '-a never,exit -F arch=b64 -S 452 -F exe=/usr/bin/future -k exclude_future'
      : '-a never,exit -F arch=b64 -S fchmodat2 -F exe=/usr/bin/future -k exclude_future'));

    let checked = 0;
    for (const line of lines) {
      assert.ok(Buffer.byteLength(line) <= 6143, `line of ${Buffer.byteLength(line)} bytes`);
      const result = checkRulesText(`${line}\n`, { auditVersion: version,
        hostMachine: 'x86_64' });
      const unexpected = result.diagnostics.filter((d) => !acceptedCodes.has(d.code) &&
        !(d.code === 'syscall-number-unassigned' && line.includes(' -S 452 ')));
      assert.deepEqual(unexpected.map((d) => `${d.code}: ${d.message}`), [], line);
      assert.equal(result.rules.length, 1, line);
      checked++;
    }
    assert.equal(checked, version === '3.0.9' ? 75 : 76);
  });
}

test('the checker reads the exe and the syscalls the generator meant', () => {
  const profile: EventProfile = { buckets: [
    bucket({ exe: '/tmp/evil -F exe=/bin/true', syscall: 307 }),
    bucket({ exe: '/tmp/evil -F exe=/bin/true', syscall: 102, machine: 'i386' }),
  ] };
  const proposal = proposeExclusion({ kind: 'exe', exe: '/tmp/evil -F exe=/bin/true' }, profile);
  for (const generated of proposal.rules) {
    const [model] = checkRulesText(`${generated.text}\n`, { hostMachine: 'x86_64' }).rules;
    assert.deepEqual(model.fields.map((f) => [f.field, f.operator, f.value]),
      [['exe', '=', '/tmp/evil -F exe=/bin/true']]);
    assert.deepEqual([...model.syscalls.numbers].sort((a, b) => a - b),
      generated.model.syscalls.numbers);
    assert.equal(model.arches[0].machine, generated.machine);
    assert.match(model.keys.join(), /^exclude_evil_F_exe_bin_true_[0-9a-f]{8}$/);
  }
});
