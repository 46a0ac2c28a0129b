import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkRulesText } from '../../../server/src/rules/check';
import { describeRule } from '../../../server/src/rules/describe';

function describe(line: string, options = {}): string {
  const [rule] = checkRulesText(line).rules;
  assert.ok(rule, `no rule in ${line}`);
  return describeRule(rule, options);
}

test('the issue example: failed opens by login users on 64-bit, tagged access', () => {
  assert.equal(
    describe('-a always,exit -F arch=b64 -S open,openat -F success=0 -F auid>=1000 '
      + '-F auid!=unset -k access'),
    'logs every failed open or openat by users with auid ≥ 1000 (login sessions only) '
      + 'on 64-bit, tagged access',
  );
});

test('errno outcome, bit tests and other conditions are named', () => {
  assert.equal(
    describe('-a always,exit -F arch=b32 -S creat -F a1&0100 -F exit=-EPERM -F auid>=1000 '
      + '-F key=unsuccessful-create'),
    'logs every creat by users with auid ≥ 1000 that fails with EPERM where a1 has a bit of '
      + '0100 on 32-bit, tagged unsuccessful-create',
  );
});

test('watches name their permissions and object', () => {
  assert.equal(describe('-w /etc/passwd -p wa -k identity'),
    'logs every write or attribute change of /etc/passwd, tagged identity');
  assert.equal(describe('-a always,exit -F arch=b64 -F dir=/etc/sudoers.d/ -F perm=wa -k a'),
    'logs every write or attribute change under /etc/sudoers.d/ on 64-bit, tagged a');
});

test('never, exclude, user, task and filesystem rules', () => {
  assert.equal(describe('-a never,exit -F arch=b64 -S all -F exe=/usr/bin/vmtoolsd'),
    'keeps out of the log every syscall run by /usr/bin/vmtoolsd on 64-bit');
  assert.equal(describe('-a always,exclude -F msgtype=CWD'), 'drops records whose type is CWD');
  assert.equal(describe('-a never,user -F subj_type=crond_t'),
    'drops every user-space message where subj_type = crond_t');
  assert.equal(describe('-a task,never'), 'turns off syscall auditing for every new task');
  assert.equal(describe('-a never,filesystem -F fstype=tracefs'),
    'ignores file events on tracefs');
});

test('a rule without arch says its numbers come from the host table', () => {
  assert.equal(describe('-a always,exit -S openat -k n'),
    'logs every openat on every arch (by x86_64 syscall numbers), tagged n');
});

test('the match count of the last analysed log, with its share', () => {
  assert.equal(describe('-a always,exit -F arch=b64 -S ptrace -k tracing',
    { matchCount: 3, eventCount: 200 }),
  'logs every ptrace on 64-bit, tagged tracing. Matched 3 events (1.5%) of the last analysed log');
  assert.match(describe('-a always,exclude -F msgtype=EOE', { matchCount: 1 }),
    /Matched 1 record of the last analysed log$/);
});
