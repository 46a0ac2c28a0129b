import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkRulesText } from '../../../server/src/rules/check';
import {
  EventFacts,
  factsNeeded,
  firstMatch,
  kernelOrder,
  matchCounts,
  matchEvent,
  matchesEvent,
  permSyscallNumbers,
  subsumes,
} from '../../../server/src/rules/match';
import type { RuleModel } from '../../../server/src/rules/model';

/** The rules of a text, as the engine parses them (host x86_64, auditctl 4.2). */
function rules(text: string): RuleModel[] {
  const checked = checkRulesText(text);
  const errors = checked.diagnostics.filter((d) => d.severity === 'error');
  assert.deepEqual(errors.map((d) => d.message), [], 'the test rules are valid');
  return checked.rules;
}

function one(text: string): RuleModel {
  const [rule] = rules(text);
  assert.ok(rule, `no rule in ${text}`);
  return rule;
}

const openat = 257;
const open = 2;
const execve = 59;

function event(facts: Partial<EventFacts>): EventFacts {
  return {
    list: 'exit', machine: 'x86_64', syscall: openat, success: true, exit: 3,
    a0: 0, a1: 0, a2: 0, a3: 0, pid: 100, ppid: 1, uid: 1000, euid: 1000, suid: 1000,
    fsuid: 1000, gid: 1000, egid: 1000, sgid: 1000, fsgid: 1000, auid: 1000,
    sessionid: 3, pers: 0, exe: '/usr/bin/cat', items: [], ...facts,
  };
}

test('syscall, arch and numeric fields: the issue example rule', () => {
  const rule = one('-a always,exit -F arch=b64 -S open,openat -F success=0 -F auid>=1000 '
    + '-F auid!=unset -k access');
  assert.equal(matchEvent(rule, event({ success: false, exit: -13 })).verdict, 'match');
  assert.equal(matchEvent(rule, event({ success: true })).verdict, 'no-match');
  assert.equal(matchEvent(rule, event({ success: false, auid: 999 })).verdict, 'no-match');
  assert.equal(matchEvent(rule, event({ success: false, auid: 4294967295 })).verdict, 'no-match');
  assert.equal(matchEvent(rule, event({ success: false, machine: 'i386' })).verdict, 'no-match');
  assert.equal(matchEvent(rule, event({ success: false, syscall: execve })).verdict, 'no-match');
});

test('success=1 compares AUDITSC_SUCCESS, success!=1 means failed', () => {
  const failed = one('-a always,exit -S all -F success!=1 -k f');
  assert.ok(matchesEvent(failed, event({ success: false })));
  assert.ok(!matchesEvent(failed, event({ success: true })));
});

test('numbers compare as u32: exit=-EACCES matches -13, exit<0 never holds', () => {
  const eacces = one('-a always,exit -S openat -F exit=-EACCES -k e');
  assert.ok(matchesEvent(eacces, event({ exit: -13, success: false })));
  assert.ok(!matchesEvent(eacces, event({ exit: -1, success: false })));
  const negative = one('-a always,exit -S openat -F exit<0 -k n');
  assert.equal(matchEvent(negative, event({ exit: -13 })).verdict, 'no-match');
});

test('without -F arch the mask holds numbers, so they match on every ABI', () => {
  // -S open is 2 on x86_64; on i386, 2 is fork.
  const rule = one('-a always,exit -S open -k o');
  assert.ok(matchesEvent(rule, event({ machine: 'i386', syscall: 2 })));
  assert.ok(!matchesEvent(rule, event({ machine: 'i386', syscall: 5 })));
});

test('bit tests: & needs one bit, &= needs all', () => {
  const any = one('-a always,exit -F arch=b64 -S openat -F a2&0100 -k c');
  assert.ok(matchesEvent(any, event({ a2: 0o101 })));
  assert.ok(!matchesEvent(any, event({ a2: 0o1 })));
  const all = one('-a always,exit -F arch=b64 -S openat -F a2&=03 -k c');
  assert.ok(matchesEvent(all, event({ a2: 0o3 })));
  assert.ok(!matchesEvent(all, event({ a2: 0o1 })));
});

test('path and dir match some PATH item; without items the verdict is unknown', () => {
  const watch = one('-w /etc/passwd -p wa -k identity');
  const write = event({ syscall: openat, a2: 1, items: [{ name: '/etc/passwd' }] });
  assert.equal(matchEvent(watch, write).verdict, 'match');
  assert.equal(matchEvent(watch, { ...write, items: [{ name: '/etc/group' }] }).verdict,
    'no-match');
  const unknown = matchEvent(watch, { ...write, items: undefined });
  assert.equal(unknown.verdict, 'unknown');
  assert.deepEqual(unknown.missing, ['items']);

  const tree = one('-a always,exit -F dir=/etc/sudoers.d/ -F perm=wa -k actions');
  const inTree = event({ syscall: 87, items: [{ name: '/etc/sudoers.d/admins' }] });
  assert.equal(matchEvent(tree, inTree).verdict, 'match');
  assert.equal(matchEvent(tree, { ...inTree, items: [{ name: '/etc/sudoers' }] }).verdict,
    'no-match');
});

test('perm: open and openat by access mode, execve by x, others by class', () => {
  const writes = one('-w /etc/shadow -p w -k s');
  const item = { items: [{ name: '/etc/shadow' }] };
  assert.ok(matchesEvent(writes, event({ syscall: openat, a2: 1, ...item })), 'O_WRONLY');
  assert.ok(matchesEvent(writes, event({ syscall: openat, a2: 2, ...item })), 'O_RDWR');
  assert.ok(!matchesEvent(writes, event({ syscall: openat, a2: 0, ...item })), 'O_RDONLY');
  assert.ok(matchesEvent(writes, event({ syscall: open, a1: 0o1101, ...item })));
  assert.ok(matchesEvent(writes, event({ syscall: 87, ...item })), 'unlink is in w');
  assert.ok(!matchesEvent(writes, event({ syscall: execve, ...item })), 'execve only for x');

  const exec = one('-w /usr/bin/passwd -p x -k p');
  assert.ok(matchesEvent(exec, event({ syscall: execve, items: [{ name: '/usr/bin/passwd' }] })));
  assert.deepEqual(permSyscallNumbers(1, 'x86_64'), [59, 322]);
});

test('gid=: a differing primary group may still match through a supplementary one', () => {
  const rule = one('-a always,exit -S openat -F gid=27 -k g');
  assert.equal(matchEvent(rule, event({ gid: 27 })).verdict, 'match');
  assert.equal(matchEvent(rule, event({ gid: 1000 })).verdict, 'unknown');
  const notIn = one('-a always,exit -S openat -F gid!=27 -k g');
  assert.equal(matchEvent(notIn, event({ gid: 27 })).verdict, 'no-match');
});

test('exe, -C comparisons and facts a rule needs', () => {
  const rule = one('-a always,exit -F arch=b64 -S execve -C uid!=euid -F euid=0 -k setuid');
  assert.ok(matchesEvent(rule, event({ syscall: execve, uid: 1000, euid: 0 })));
  assert.ok(!matchesEvent(rule, event({ syscall: execve, uid: 0, euid: 0 })));
  assert.deepEqual(factsNeeded(rule).sort(), ['euid', 'machine', 'syscall', 'uid']);

  const never = one('-a never,exit -F arch=b64 -S all -F exe=/usr/bin/vmtoolsd');
  assert.ok(matchesEvent(never, event({ exe: '/usr/bin/vmtoolsd' })));
  assert.ok(!matchesEvent(never, event({ exe: '/usr/bin/vmtoolsd2' })));
  assert.equal(matchEvent(never, event({ exe: undefined })).verdict, 'unknown');
});

test('exclude and user lists match records by msgtype', () => {
  const [cwd, user] = rules('-a always,exclude -F msgtype=CWD\n'
    + '-a never,user -F subj_type=crond_t\n');
  assert.ok(matchesEvent(cwd, { list: 'exclude', msgtype: 1307 }));
  assert.ok(!matchesEvent(cwd, { list: 'exclude', msgtype: 1300 }));
  assert.ok(!matchesEvent(cwd, { list: 'exit', msgtype: 1307 }), 'lists never meet');
  assert.ok(matchesEvent(user, {
    list: 'user', subj: 'system_u:system_r:crond_t:s0-s0:c0.c1023',
  }));
});

test('matching order (§2.2): first match wins, -A goes first, the latest -A first', () => {
  const set = rules([
    '-a always,exit -F arch=b64 -S openat -k first-appended',
    '-a always,exit -F arch=b64 -S openat -F uid=0 -k second-appended',
    '-A always,exit -F arch=b64 -S openat -F auid=0 -k prepended-early',
    '-A never,exit -F arch=b64 -S openat -F auid=5 -k prepended-late',
  ].join('\n'));
  assert.deepEqual(kernelOrder(set).map((r) => r.keys[0]),
    ['prepended-late', 'prepended-early', 'first-appended', 'second-appended']);

  assert.equal(firstMatch(set, event({ uid: 0 })).rule?.keys[0], 'first-appended');
  assert.equal(firstMatch(set, event({ auid: 0 })).rule?.keys[0], 'prepended-early');
  const suppressed = firstMatch(set, event({ auid: 5 }));
  assert.equal(suppressed.rule?.keys[0], 'prepended-late');
  assert.equal(suppressed.outcome, 'suppress');
  assert.equal(firstMatch(set, event({ syscall: execve })).outcome, 'default');
});

test('matching order: a never rule after an always rule that matches is too late', () => {
  const set = rules('-a always,exit -F arch=b64 -S openat -k all-opens\n'
    + '-a never,exit -F arch=b64 -S openat -F exe=/usr/bin/noisy\n');
  const noisy = firstMatch(set, event({ exe: '/usr/bin/noisy' }));
  assert.equal(noisy.outcome, 'record');
  assert.equal(noisy.rule?.keys[0], 'all-opens');
});

test('matching order: on the exclude list any match drops, whatever the action', () => {
  const set = rules('-a always,exclude -F msgtype=CWD\n-a never,exclude -F msgtype=EOE\n');
  assert.equal(firstMatch(set, { list: 'exclude', msgtype: 1320 }).outcome, 'suppress');
  assert.equal(firstMatch(set, { list: 'exclude', msgtype: 1307 }).outcome, 'suppress');
  assert.equal(firstMatch(set, { list: 'exclude', msgtype: 1300 }).outcome, 'default');
});

test('matching order: an undecided earlier rule makes the outcome unknown', () => {
  const set = rules('-a never,exit -F arch=b64 -S openat -F exe=/usr/bin/x\n'
    + '-a always,exit -F arch=b64 -S openat -k opens\n');
  const result = firstMatch(set, event({ exe: undefined }));
  assert.equal(result.outcome, 'unknown');
  assert.equal(result.undecided.length, 1);
  assert.equal(result.rule?.keys[0], 'opens');
});

test('subsumption on parsed rules', () => {
  const [general, specific, other, tree, subtree] = rules([
    '-a always,exit -F arch=b64 -S ptrace -F key=tracing',
    '-a always,exit -F arch=b64 -S ptrace -F a0=0x4 -F key=code-injection',
    '-a always,exit -F arch=b32 -S ptrace -F a0=0x4 -F key=code-injection',
    '-w /etc/systemd/ -p wa -k systemd',
    '-w /etc/systemd/system-generators/ -p wa -k systemd_generator',
  ].join('\n'));
  assert.ok(subsumes(general, specific));
  assert.ok(!subsumes(specific, general));
  assert.ok(!subsumes(general, other), 'different arch');
  assert.ok(subsumes(tree, subtree));
  assert.ok(!subsumes(subtree, tree));

  const [auidWide, auidNarrow] = rules('-a always,exit -S all -F auid>=500 -k wide\n'
    + '-a always,exit -F arch=b64 -S openat -F auid>=1000 -F auid!=unset -k narrow\n');
  assert.ok(subsumes(auidWide, auidNarrow));
  assert.ok(!subsumes(auidNarrow, auidWide));

  const [bits, value] = rules('-a always,exit -F arch=b64 -S clone -F a0&0x7C020000 -k c\n'
    + '-a always,exit -F arch=b64 -S clone -F a0=0x20000 -k d\n');
  assert.ok(subsumes(bits, value), 'a0=0x20000 always has a bit of 0x7C020000');

  const [readWatch, writeWatch] = rules('-w /etc/passwd -p rwa -k r\n-w /etc/passwd -p wa -k w\n');
  assert.ok(subsumes(readWatch, writeWatch));
  assert.ok(!subsumes(writeWatch, readWatch));
});

test('match counts for hovers: matched, decided (first match) and unknown', () => {
  const set = rules('-a always,exit -F arch=b64 -S ptrace -k tracing\n'
    + '-a always,exit -F arch=b64 -S ptrace -F a0=0x4 -k code-injection\n'
    + '-a never,exit -F arch=b64 -S openat -F exe=/usr/bin/noisy\n');
  const counts = matchCounts(set, [
    { facts: event({ syscall: 101, a0: 4 }), events: 10 },
    { facts: event({ syscall: 101, a0: 0 }), events: 5 },
    { facts: event({ syscall: openat, exe: '/usr/bin/noisy' }), events: 7 },
    { facts: event({ syscall: openat, exe: undefined }), events: 2 },
  ]);
  assert.deepEqual(counts.get(set[0]), { matched: 15, decided: 15, unknown: 0 });
  assert.deepEqual(counts.get(set[1]), { matched: 10, decided: 0, unknown: 0 });
  assert.deepEqual(counts.get(set[2]), { matched: 7, decided: 7, unknown: 2 });
});
