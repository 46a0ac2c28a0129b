import { test } from 'node:test';
import assert from 'node:assert/strict';
import { proposeExclusion } from '../../../server/src/log/exclusions';
import { LogTotals, simulateImpact } from '../../../server/src/log/impact';
import type { EventProfile, EventProfileBucket } from '../../../server/src/log/report';
import type { RuleModel } from '../../../server/src/rules/model';
import { lineRange } from '../../../server/src/rules/diagnostics';

const archOf: Record<string, number> = { x86_64: 0xc000003e, i386: 0x40000003 };

function bucket(facts: Partial<EventProfileBucket>): EventProfileBucket {
  const machine = facts.machine === undefined ? 'x86_64' : facts.machine;
  const types = facts.types ?? ['PROCTITLE', 'SYSCALL'];
  const events = facts.events ?? 1;
  return {
    arch: machine ? archOf[machine] : null, machine, syscall: null, success: true, exit: null,
    exitPositive: false, exe: null, uid: 0, auid: 4294967295, euid: 0, suid: 0, fsuid: 0,
    gid: 0, egid: 0, sgid: 0, fsgid: 0, subj: null, keys: [], types, events,
    records: events * types.length, bytes: 400 * events, ...facts,
  };
}

const profile: EventProfile = {
  buckets: [
    bucket({ exe: '/usr/sbin/named', syscall: 307, events: 2957, bytes: 2_400_000 }),
    bucket({ exe: '/usr/sbin/named', syscall: 49, events: 6, bytes: 5000 }),
    bucket({ exe: '/usr/sbin/named', syscall: 59, events: 1, bytes: 1200 }),
    bucket({ exe: '/usr/sbin/named (deleted)', syscall: 307, events: 10, bytes: 8000 }),
    bucket({ exe: '/opt/legacy/bin/agent32', machine: 'i386', syscall: 102, events: 40,
      bytes: 30_000 }),
    bucket({ exe: '/usr/bin/dig', syscall: 42, events: 25, bytes: 20_000 }),
    bucket({ exe: '/usr/sbin/sshd', machine: null, syscall: null, types: ['USER_LOGIN'],
      events: 4, bytes: 900 }),
  ],
};

const totals: LogTotals = {
  events: 2957 + 6 + 1 + 10 + 40 + 25 + 4,
  records: (2957 + 6 + 1 + 10 + 40 + 25) * 2 + 4,
  bytes: 2_400_000 + 5000 + 1200 + 8000 + 30_000 + 20_000 + 900,
  rotation: { maxLogFileMB: 8, bytesPerMinute: 1_000_000, minutesPerRotation: 8.388608 },
};

const named = proposeExclusion({ kind: 'exe', exe: '/usr/sbin/named' }, profile).rules;

function existingRule(numbers: number[], names: string[], fields: RuleModel['fields'] = [])
  : RuleModel {
  const range = lineRange(0, 0, 0);
  return {
    line: 0, list: 'exit', action: 'always', operation: 'append', machine: 'x86_64',
    machineFromHost: false, arches: [{ machine: 'x86_64', operator: '=', raw: 'b64', range }],
    syscalls: { all: false, numbers, names, written: [] }, fields, comparisons: [],
    keys: ['net'], range, listRange: range,
  };
}

test('exe rules alone: the program\'s events go, a replaced binary\'s running copy stays', () => {
  const impact = simulateImpact(named, profile, totals);
  assert.equal(impact.events, 2964);
  assert.equal(impact.records, 2964 * 2);
  assert.equal(impact.bytes, 2_406_200);
  assert.equal(impact.undecidedEvents, 0);
  assert.equal(impact.estimated, false);
  assert.equal(impact.remainingEvents, totals.events - 2964);
  assert.equal(impact.remainingBytes, totals.bytes - 2_406_200);
  assert.deepEqual(impact.perRule.map((r) => [r.events, r.bytes]), [[2964, 2_406_200], [0, 0]]);

  const after = 1_000_000 * (totals.bytes - 2_406_200) / totals.bytes;
  assert.equal(impact.rotation.minutesPerRotationBefore, 8 * 1048576 / 1_000_000);
  assert.ok(Math.abs(impact.rotation.minutesPerRotationAfter! - 8 * 1048576 / after) < 1e-9);
});

test('placed after an always rule that matches, a never rule does nothing for those events', () => {
  const always = existingRule([307], ['sendmmsg']);
  const before = simulateImpact(named, profile, totals, { existingRules: [always] });
  assert.equal(before.events, 2964);

  const after = simulateImpact(named, profile, totals, { existingRules: [always],
    placement: 'after' });
  // Only bind and execve are left for the never rule: sendmmsg is recorded by `always`.
  assert.equal(after.events, 7);
  assert.equal(after.bytes, 6200);
});

test('an earlier rule the log cannot decide makes the events undecided, not removed', () => {
  const range = lineRange(0, 0, 0);
  const bySockaddr = existingRule([307], ['sendmmsg'], [{ field: 'saddr_fam', operator: '=',
    value: 2, raw: '2', range, valueRange: range }]);
  const impact = simulateImpact(named, profile, totals, { existingRules: [bySockaddr],
    placement: 'after' });
  assert.equal(impact.undecidedEvents, 2957);
  assert.equal(impact.events, 7);
});

test('record type exclusion: records go, events stay; estimated without per-type counts', () => {
  const proctitle = proposeExclusion({ kind: 'type', type: 'PROCTITLE' }, profile).rules;
  const impact = simulateImpact(proctitle, profile, totals);
  const syscallEvents = totals.events - 4;
  assert.equal(impact.records, syscallEvents);
  assert.equal(impact.bytes, (totals.bytes - 900) / 2);
  assert.equal(impact.events, 0);
  assert.equal(impact.estimated, true);

  const withCounts: EventProfile = { buckets: profile.buckets.map((b) => ({ ...b,
    recordsByType: Object.fromEntries(b.types.map((t) => [t, { records: b.events,
      bytes: t === 'PROCTITLE' ? 100 * b.events : b.bytes - 100 * b.events }])) })) };
  const exact = simulateImpact(proctitle, withCounts, totals);
  assert.equal(exact.estimated, false);
  assert.equal(exact.bytes, 100 * syscallEvents);
});

test('exit and exclude rules together never count a record twice', () => {
  const rules = [...named, ...proposeExclusion({ kind: 'type', type: 'PROCTITLE' }, profile)
    .rules];
  const impact = simulateImpact(rules, profile, totals);
  const others = totals.events - 4 - 2964;
  assert.equal(impact.events, 2964);
  assert.equal(impact.records, 2964 * 2 + others);
  assert.equal(impact.bytes, 2_406_200 + (totals.bytes - 900 - 2_406_200) / 2);
});
