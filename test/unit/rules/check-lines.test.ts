import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  auditctlText, codeInfo, formatMessage, type FixData,
} from '../../../server/src/rules/codes';
import { checkRulesText } from '../../../server/src/rules/check';
import { columnOf, diagnosticsOf, expectClean, expectOne, rejects } from './check-helpers';

const b64 = '-a always,exit -F arch=b64';

// --- words and lines --------------------------------------------------------------------

test('CR line ending: a warning on the CR, and the name it breaks is unknown', () => {
  const line = `${b64} -S open\r`;
  expectOne(line, { code: 'crlf-line-ending', severity: 'warning', range: columnOf(line, '\r') });
  const unknown = expectOne(line, {
    code: 'unknown-syscall', severity: 'error', range: columnOf(line, 'open\r'),
  });
  assert.ok(unknown.message.includes(auditctlText('unknown-syscall', { value: 'open\r' })!));
});

test('a key with a CR is accepted but flagged', () => {
  const line = `${b64} -S open -k key\r`;
  expectOne(line, { code: 'key-has-cr', severity: 'warning', range: columnOf(line, 'key\r') });
  assert.equal(rejects(line), false);
});

test('a tab is part of the word: the watch takes a stray parameter', () => {
  const line = '-w /etc/passwd\t-p wa';
  expectOne(line, { code: 'tab-character', severity: 'warning', range: [14, 15] });
  expectOne(line, { code: 'stray-parameter', severity: 'error', range: [18, 20] });
});

test('an inline comment is an error from the # to the end of the line', () => {
  const line = '-w /etc/passwd -p wa # identity';
  const found = expectOne(line, { code: 'inline-comment', severity: 'error', range: [21, 31] });
  const fix = (found.data as FixData).fixes[0];
  assert.deepEqual(fix.edits[0].range.start.character, 20);
  assert.equal(rejects('-k #not-a-comment -w /x'), true);
  expectClean('-w /x -k #key');
});

test('a tab-only line fails without a specific message', () => {
  expectOne('\t', { code: 'no-option', severity: 'error', range: [0, 1] });
});

// --- options ------------------------------------------------------------------------------

test('unknown options and missing arguments', () => {
  expectOne('--foo', { code: 'unknown-option', severity: 'error', range: [0, 5] });
  const missing = expectOne('-w /x -k', {
    code: 'missing-argument', severity: 'error', range: [6, 8],
  });
  assert.ok(missing.message.includes('Option -k on line 1 is invalid'));
  expectOne('--reset', { code: 'ambiguous-option', severity: 'error', range: [0, 7] });
});

test('a key swallowing the next option: a warning on it and an error on the stray word', () => {
  const line = `${b64} -S open -k -F T1078`;
  const swallowed = expectOne(line, {
    code: 'option-as-argument', severity: 'warning', range: columnOf(line, '-F', 20),
  });
  expectOne(line, { code: 'stray-parameter', severity: 'error', range: columnOf(line, 'T1078') });
  const edit = (swallowed.data as FixData).fixes[0].edits[0];
  assert.deepEqual([edit.range.start.character, edit.range.end.character, edit.newText],
    [columnOf(line, '-F', 20)[0], columnOf(line, 'T1078')[0], '']);
});

test('-R inside a file and -h', () => {
  expectOne('-R /etc/audit/audit.rules', {
    code: 'nested-rules-file', severity: 'error', range: [0, 2],
  });
  expectOne('-h', { code: 'help-option', severity: 'error', range: [0, 2] },
    { auditVersion: '3.0.9' });
  expectClean('-h', ['error'], { auditVersion: '4.2' });
});

test('options that end the line: words after -i fail, words before are ignored', () => {
  expectOne('-i -e 1', { code: 'ignored-after-option', severity: 'error', range: [3, 7] });
  expectOne('x -i', { code: 'stray-parameter', severity: 'warning', range: [0, 1] });
  assert.equal(rejects('x -i'), false);
  expectClean('-b 8192 -i');
  expectOne('--loginuid-immutable x', {
    code: 'ignored-words', severity: 'warning', range: [21, 22],
  });
});

test('-D, -l and -s take only their documented extras', () => {
  expectClean('-D -k mykey');
  expectClean('-l -k mykey');
  expectClean('-s -i');
  expectOne('-D x', { code: 'option-alone', severity: 'error', range: [0, 2] });
  // auditctl looks at -D first: three words make a "Wrong number of options".
  expectOne('-D -k', { code: 'option-alone', severity: 'error', range: [0, 2] });
  expectOne('-s x', { code: 'option-alone', severity: 'error', range: [0, 2] });
});

test('a rule built before -i is not sent', () => {
  expectOne(`${b64} -S open -i`, { code: 'rule-not-sent', severity: 'warning', range: [35, 37] });
});

// --- control options ----------------------------------------------------------------------

test('-e and -f take exactly 0, 1 or 2', () => {
  const found = expectOne('-e 3', { code: 'bad-enable-value', severity: 'error', range: [3, 4] });
  assert.equal(found.message, formatMessage('bad-enable-value', { value: '3' }));
  expectOne('-f 01', { code: 'bad-failure-value', severity: 'error', range: [3, 5] });
  expectClean('-e 2');
});

test('-b, -r and --backlog_wait_time take numbers starting with a digit', () => {
  const rate = expectOne('-r -5', {
    code: 'bad-control-number', severity: 'error', range: [3, 5],
  });
  assert.ok(rate.message.includes('Rate must be a numeric value was -5'));
  expectOne('-b 99999999999999999999999', {
    code: 'control-number-range', severity: 'error', range: [3, 26],
  });
  expectOne('-b 99999999999', { code: 'number-truncated', severity: 'warning', range: [3, 14] });
  expectClean('-b 0x2000');
  expectOne('--backlog_wait_time 700000', {
    code: 'backlog-wait-time-range', severity: 'error', range: [20, 26],
  });
  expectOne('--backlog_wait_time 200000', {
    code: 'backlog-wait-time-hz', severity: 'warning', range: [20, 26], hostDependent: true,
  });
});

test('--signal: an unknown signal aborts the load; a known one needs auditd', () => {
  expectOne('--signal FOO', { code: 'unsupported-signal', severity: 'error', range: [9, 12] });
  expectOne('--signal hup', {
    code: 'signal-in-rules-file', severity: 'warning', range: [0, 8], hostDependent: true,
  });
});

test('-q takes two paths and one comma; -m takes no control characters', () => {
  expectOne('-q /a', { code: 'bad-equivalence', severity: 'error', range: [3, 5] });
  expectOne('-q /a,/b,/c', { code: 'bad-equivalence', severity: 'error', range: [3, 11] });
  expectOne('-m hello world', { code: 'option-alone', severity: 'error', range: [0, 2] });
});

// --- list and action ----------------------------------------------------------------------

test('actions are case-sensitive; lists only in 3.0.9', () => {
  const bad = expectOne('-a ALWAYS,exit', {
    code: 'bad-list-action', severity: 'error', range: [3, 14],
  });
  assert.ok(bad.message.includes('Append rule - bad keyword ALWAYS,exit'));
  expectOne('-a always,EXIT', { code: 'bad-list-action', severity: 'error', range: [3, 14] },
    { auditVersion: '3.0.9' });
  expectOne('-a always,EXIT', { code: 'list-case', severity: 'warning', range: [3, 14] });
  expectOne('-A foo,always', { code: 'bad-list-action', severity: 'error', range: [3, 13] });
  expectOne('-d always', { code: 'bad-list-action', severity: 'error', range: [3, 9] });
});

test('an unknown list in second place: 3.0.9 refuses it, 4.2 leaves it to the kernel', () => {
  expectOne('-a always,foo', { code: 'bad-list-action', severity: 'error', range: [3, 13] },
    { auditVersion: '3.0.9' });
  expectOne('-a always,foo', { code: 'unknown-list-kernel', severity: 'error', range: [3, 13] });
});

test('possible: dropped silently as list,possible, bad keyword the other way round', () => {
  expectOne('-a exit,possible', {
    code: 'deprecated-possible', severity: 'warning', range: [3, 16],
  });
  assert.equal(rejects('-a exit,possible -S foo'), false);
  expectOne('-a possible,exit', { code: 'bad-list-action', severity: 'error', range: [3, 16] });
  expectOne('-a always,entry', { code: 'bad-list-action', severity: 'error', range: [3, 15] },
    { auditVersion: '3.0.9' });
  assert.equal(rejects('-a always,entry'), true);
});

test('the io_uring list needs 4.2', () => {
  expectClean('-a always,io_uring -S openat');
  assert.equal(rejects('-a always,io_uring -S openat', { auditVersion: '3.0.9' }), true);
  expectOne('-a always,io_uring -S opn', {
    code: 'unknown-uring-op', severity: 'error', range: [22, 25],
  });
});

test('two rules on one line', () => {
  const line = `${b64} -S open -k a -a always,exit -S close`;
  const second = columnOf(line, '-a', 5);
  const found = expectOne(line, { code: 'multiple-rules', severity: 'error', range: second });
  const edit = (found.data as FixData).fixes[0].edits[0];
  assert.deepEqual([edit.range.start.character, edit.range.end.character, edit.newText],
    [second[0] - 1, second[0], '\n']);
  expectOne('-w /etc/a -p wa -w /etc/b', {
    code: 'watch-with-rule', severity: 'error', range: [16, 18],
  });
});

// --- syscalls -----------------------------------------------------------------------------

test('an unknown syscall with did-you-mean fixes', () => {
  const line = `${b64} -S opne`;
  const found = expectOne(line, {
    code: 'unknown-syscall', severity: 'error', range: columnOf(line, 'opne'),
  });
  const titles = (found.data as FixData).fixes.map((fix) => fix.edits[0].newText);
  assert.ok(titles.includes('open'), JSON.stringify(titles));
});

test('a syscall the target version lacks names the version that has it', () => {
  const line = `${b64} -S chmod,fchmodat2 -k perm`;
  const found = expectOne(line, { code: 'syscall-version', severity: 'error', range: [36, 45] },
    { auditVersion: '3.0.9' });
  assert.ok(found.message.startsWith(
    "fchmodat2 is not in auditctl 3.0.9's x86_64 table (auditctl 4.2's has it)."));
  assert.doesNotMatch(found.message, /added in/, 'it was added after 3.0.9, not in 4.2');
  const removal = (found.data as FixData).fixes[0].edits[0];
  assert.deepEqual([removal.range.start.character, removal.range.end.character], [35, 45]);
  expectClean(line);
});

test('a name only in the 32-bit table needs -F arch=b32', () => {
  const found = expectOne('-a always,exit -S socketcall', {
    code: 'unknown-syscall', severity: 'error', range: [18, 28],
  });
  assert.ok(found.message.includes('i386'));
  assert.match(found.message, /use -F arch=b32 for it/);
  expectClean('-a always,exit -F arch=b32 -S socketcall');
});

test('for a rule on another machine than the host, the twin table is named, not b32', () => {
  // On an x86_64 host b32 means i386: the aarch64 rule's twin is named itself.
  const found = expectOne('-a always,exit -F arch=aarch64 -S open', {
    code: 'unknown-syscall', severity: 'error', range: [34, 38],
  });
  assert.match(found.message, /use -F arch=armeb for it/);
  const onArm = expectOne('-a always,exit -F arch=aarch64 -S open', {
    code: 'unknown-syscall', severity: 'error', range: [34, 38],
  }, { hostMachine: 'aarch64' });
  assert.match(onArm.message, /use -F arch=b32 for it/);
});

test('syscall numbers: named, unassigned, trailing characters, out of range', () => {
  const found = expectOne(`${b64} -S 263`, {
    code: 'syscall-number', severity: 'warning', range: [30, 33],
  });
  assert.equal((found.data as FixData).fixes[0].edits[0].newText, 'unlinkat');
  expectOne(`${b64} -S 2abc`, {
    code: 'syscall-number-trailing', severity: 'warning', range: [30, 34],
  });
  expectOne(`${b64} -S 2000`, {
    code: 'syscall-number-unassigned', severity: 'warning', range: [30, 34],
  });
  expectOne(`${b64} -S 2048`, { code: 'unknown-syscall', severity: 'error', range: [30, 34] });
  expectOne(`${b64} -S ALL`, { code: 'unknown-syscall', severity: 'error', range: [30, 33] });
});

test('syscalls on the task, user, exclude and filesystem lists', () => {
  for (const list of ['task', 'user', 'exclude', 'filesystem']) {
    expectOne(`-a always,${list} -S open`, {
      code: 'syscall-on-list', severity: 'error', range: [list.length + 11, list.length + 13],
    });
  }
  expectOne('-S open -a always,task', {
    code: 'syscall-on-list', severity: 'error', range: [8, 10],
  });
  expectOne('-S open', { code: 'syscall-without-list', severity: 'error', range: [0, 7] });
});

test('-S without -F arch warns with the mismatch; with an arch no warning', () => {
  const found = expectOne('-a always,exit -S open', {
    code: 'missing-arch', severity: 'warning', range: [15, 17],
  });
  assert.equal((found.data as FixData).fixes[0].edits[0].newText, '-F arch=b64 ');
  assert.equal(diagnosticsOf(`${b64} -S open`).some((d) => d.code === 'missing-arch'), false);
});

test('-F arch after -S, bad arch values, two arches', () => {
  const line = '-a always,exit -S open -F arch=b64';
  const found = expectOne(line, {
    code: 'arch-after-syscall', severity: 'error', range: [26, 30],
  });
  const edits = (found.data as FixData).fixes[0].edits;
  assert.deepEqual(edits.map((e) => [e.range.start.character, e.range.end.character, e.newText]),
    [[15, 15, '-F arch=b64 '], [22, 34, '']]);
  expectOne('-w /etc/passwd -F arch=b64', {
    code: 'arch-after-syscall', severity: 'error', range: [18, 22],
  });
  expectOne('-a always,exit -F arch=foo', { code: 'bad-arch', severity: 'error', range: [23, 26] });
  expectOne('-a always,exit -F arch=40000003', {
    code: 'bad-arch', severity: 'error', range: [23, 31],
  });
  expectClean('-a always,exit -F arch=c000003e -S open');
  expectOne('-a always,exit -F arch=riscv64', {
    code: 'bad-arch', severity: 'error', range: [23, 30],
  }, { auditVersion: '3.0.9' });
  expectOne('-a always,exit -F arch=b32 -F arch=b64 -S open', {
    code: 'multiple-arch', severity: 'warning', range: [30, 38],
  });
});

test('a b64 rule without its b32 twin, and the twin that satisfies it', () => {
  const rule = `${b64} -S adjtimex,settimeofday -k time`;
  const found = expectOne(rule, { code: 'missing-b32-twin', severity: 'warning', range: [18, 26] });
  const insert = (found.data as FixData).fixes[0].edits[0];
  assert.equal(insert.newText,
    '\n-a always,exit -F arch=b32 -S adjtimex,settimeofday -k time');
  assert.deepEqual(insert.range.start, { line: 0, character: rule.length });
  const twin = rule.replace('b64', 'b32');
  assert.equal(diagnosticsOf(`${rule}\n${twin}`).some((d) => d.code === 'missing-b32-twin'),
    false);
  assert.equal(diagnosticsOf(`${b64} -S openat2 -k x`).some((d) =>
    d.code === 'missing-b32-twin'), true);
});

test('the missing twin names each syscall once, in the order first written', () => {
  const twice = (rule: string) =>
    expectOne(rule, { code: 'missing-b32-twin', severity: 'warning', range: [18, 26] }).message;
  // 59 is execve on x86_64, and 4294967298abc is read as 2, open.
  assert.match(twice(`${b64} -S 59,execve -k x`), /calling execve escape/);
  assert.match(twice(`${b64} -S 2 -S 4294967298abc -k x`), /calling open escape/);
  assert.match(twice(`${b64} -S close,open,2,close -k x`), /calling close, open escape/);
});

test('a never rule for one ABI is a deliberate exclusion, not a missing twin', () => {
  const exclusion = '-a never,exit -F arch=b64 -S finit_module -F exe=/usr/bin/kmod -k x';
  assert.equal(diagnosticsOf(exclusion).some((d) => d.code === 'missing-b32-twin'), false);
});

// --- fields -------------------------------------------------------------------------------

test('-F before a list, missing operator, name or value, unknown field', () => {
  expectOne('-F arch=b64 -S open', {
    code: 'list-before-field', severity: 'error', range: [0, 11],
  });
  expectClean('-F arch=b64 -t');
  const line = '-a always,exit -F auid';
  const missing = expectOne(line, { code: 'missing-operator', severity: 'error', range: [18, 22] });
  assert.ok(missing.message.endsWith('auditctl: "-F missing operation for auid"'));
  expectOne('-a always,exit -F =1', {
    code: 'missing-field-name', severity: 'error', range: [18, 19],
  });
  expectOne('-a always,exit -F uid=', {
    code: 'missing-value', severity: 'error', range: [21, 22],
  });
  const unknown = expectOne('-a always,exit -F obj=/x', {
    code: 'unknown-field', severity: 'error', range: [18, 21],
  });
  assert.ok(unknown.message.includes('-F unknown field: obj'));
});

test('operators split at the first two-character operator anywhere in the word', () => {
  expectOne('-a always,exit -F auid >= 1000', {
    code: 'missing-operator', severity: 'error', range: [18, 22],
  });
  const found = checkRulesText('-a always,exit -F path=/a<=b').rules[0];
  assert.equal(found, undefined);
});

test('fields not allowed on a list', () => {
  expectOne('-a always,task -F exit=1', {
    code: 'field-not-on-list', severity: 'error', range: [18, 22],
  });
  expectOne(`${b64} -S open -F msgtype=SYSCALL`, {
    code: 'field-not-on-list', severity: 'error', range: [38, 45],
  });
  expectOne('-a always,exclude -F euid=0', {
    code: 'field-not-on-list', severity: 'error', range: [21, 25],
  }, { auditVersion: '3.0.9' });
  expectClean('-a always,exclude -F euid=0');
  expectOne('-a never,filesystem -F uid=0', {
    code: 'field-not-on-list', severity: 'error', range: [23, 26],
  });
  expectClean('-a never,filesystem -F fstype=tracefs -k trace');
  expectClean('-a always,task -F obj_uid=0');
  expectOne('-a always,task -F sessionid=1', {
    code: 'field-not-on-list', severity: 'error', range: [18, 27],
  });
});

test('operators: auditctl refuses some, the kernel more', () => {
  expectOne('-a always,exit -F arch<b64', {
    code: 'operator-not-allowed', severity: 'error', range: [22, 23],
  });
  expectOne(`${b64} -S open -F perm!=r`, {
    code: 'operator-not-allowed', severity: 'error', range: [42, 44],
  });
  const kernel = expectOne(`${b64} -S open -F uid&1`, {
    code: 'operator-kernel', severity: 'error', range: [41, 42],
  });
  assert.equal((kernel.data as FixData).fixes[0].edits[0].newText, '=');
  expectClean(`${b64} -S open -F a0&1`);
  expectOne(`${b64} -S open -F key<k1`, {
    code: 'operator-kernel', severity: 'error', range: [41, 42],
  });
  expectOne(`${b64} -S open -F path!=/etc/x`, {
    code: 'operator-kernel', severity: 'error', range: [42, 44],
  });
});

test('uid and gid values: names are host-dependent, unset only for uid', () => {
  expectOne(`${b64} -S open -F uid=chrony`, {
    code: 'unknown-user', severity: 'warning', range: [42, 48], hostDependent: true,
  });
  expectOne(`${b64} -S open -F gid=adm`, {
    code: 'unknown-group', severity: 'warning', range: [42, 45], hostDependent: true,
  });
  expectOne(`${b64} -S open -F gid=unset`, {
    code: 'bad-group', severity: 'error', range: [42, 47],
  });
  expectClean(`${b64} -S open -F auid!=unset -F auid>=1000`);
  expectOne(`${b64} -S open -F uid=-1`, {
    code: 'value-too-large', severity: 'error', range: [42, 44],
  });
  expectOne(`${b64} -S open -F auid>unset`, {
    code: 'value-too-large', severity: 'error', range: [43, 48],
  });
});

test('numeric fields: no sign, trailing characters ignored with a warning', () => {
  expectOne('-a always,exit -F pid=-1', {
    code: 'not-a-number', severity: 'error', range: [22, 24],
  });
  expectOne('-a always,exit -F pid=12abc', {
    code: 'value-trailing-characters', severity: 'warning', range: [22, 27],
  });
  expectOne('-a always,exit -F a0=foo', {
    code: 'not-a-number', severity: 'error', range: [21, 24],
  });
  expectClean('-a always,exit -F a0=-1');
  expectOne('-a always,exit -F a0=0x1ffffffff', {
    code: 'value-truncated', severity: 'warning', range: [21, 32],
  });
  expectOne('-a always,exit -F success=yes', {
    code: 'not-a-number', severity: 'error', range: [26, 29],
  });
  expectOne('-a always,exit -F sessionid=foo', {
    code: 'value-silently-zero', severity: 'warning', range: [28, 31],
  });
  expectOne('-a always,exit -F saddr_fam=99', {
    code: 'value-too-large', severity: 'error', range: [28, 30],
  });
});

test('errno, msgtype, filetype, fstype and perm values', () => {
  expectClean(`${b64} -S open -F exit=-EACCES -F exit!=eperm`);
  expectOne(`${b64} -S open -F exit=-EFOO`, {
    code: 'unknown-errno', severity: 'error', range: [43, 48],
  });
  expectClean('-a always,exclude -F msgtype=cwd');
  expectOne('-a always,exclude -F msgtype=unknown[1338]', {
    code: 'unknown-msgtype', severity: 'error', range: [29, 42],
  });
  expectClean('-a always,exclude -F msgtype=UNKNOWN[1338]');
  expectOne(`${b64} -S open -F filetype=foo`, {
    code: 'unknown-filetype', severity: 'error', range: [47, 50],
  });
  expectOne('-a never,filesystem -F fstype=cgroup', {
    code: 'unknown-fstype', severity: 'error', range: [30, 36],
  }, { auditVersion: '3.0.9' });
  expectClean('-a never,filesystem -F fstype=cgroup');
  expectOne(`${b64} -S open -F perm=rwxab`, {
    code: 'bad-perm', severity: 'error', range: [43, 48],
  });
  expectOne(`${b64} -S open -F perm=q`, { code: 'bad-perm', severity: 'error', range: [43, 44] });
});

test('paths: absolute, no trailing slash for path, one of path/dir/inode, one exe', () => {
  expectOne('-a always,exit -F path=etc/passwd', {
    code: 'path-not-absolute', severity: 'error', range: [23, 33],
  });
  const slash = expectOne('-a always,exit -F path=/etc/passwd/', {
    code: 'path-trailing-slash', severity: 'error', range: [23, 35],
  });
  assert.equal((slash.data as FixData).fixes[0].edits[0].newText, '/etc/passwd');
  expectClean('-a always,exit -F dir=/etc/ -F perm=wa');
  expectOne('-a always,exit -F path=/a -F path=/b', {
    code: 'multiple-paths', severity: 'error', range: [29, 33],
  });
  expectOne('-a always,exit -F path=/etc/shadow -F inode=12', {
    code: 'multiple-paths', severity: 'error', range: [38, 43],
  });
  expectOne('-a always,exit -F exe=/a -F exe=/b', {
    code: 'multiple-exe', severity: 'error', range: [28, 31],
  });
  expectOne('-a always,exit -F dir=+', {
    code: 'path-not-absolute', severity: 'error', range: [22, 23],
  });
});

test('deprecated forms: auid 4294967295 and the legacy watch', () => {
  const found = expectOne(`${b64} -S open -F auid!=4294967295`, {
    code: 'deprecated-form', severity: 'information', range: [44, 54],
  });
  assert.equal((found.data as FixData).fixes[0].edits[0].newText, 'unset');
  expectOne('-w /etc/passwd -p wa', { code: 'legacy-watch', severity: 'hint', range: [0, 2] });
  assert.equal(diagnosticsOf('-w /etc/passwd -p wa', { auditVersion: '3.0.9' })
    .some((d) => d.code === 'legacy-watch'), false);
});

test('a path the kernel must find is a host-dependent hint', () => {
  expectOne('-a always,exit -F dir=/srv/app/ -F perm=wa', {
    code: 'path-parent-host', severity: 'hint', range: [22, 31], hostDependent: true,
  });
  expectOne('-a never,exit -F arch=b64 -S bind -F exe=/opt/app/run', {
    code: 'path-parent-host', severity: 'hint', range: [41, 53], hostDependent: true,
  });
});

test('an exe in a directory every Linux host has needs no host hint', () => {
  for (const exe of ['/usr/bin/kmod', '/usr/sbin/named', '/bin/sh']) {
    const line = `-a never,exit -F arch=b64 -S bind -F exe=${exe}`;
    assert.equal(diagnosticsOf(line).some((d) => d.code === 'path-parent-host'), false, exe);
  }
});

test('a field written without -F', () => {
  const found = expectOne('-a always,exit -F arch=b64 -S all -a0=2', {
    code: 'field-missing-F', severity: 'error', range: [34, 39],
  });
  const edit = (found.data as FixData).fixes[0].edits[0];
  assert.deepEqual([edit.range.start.character, edit.range.end.character, edit.newText],
    [34, 35, '-F ']);
  assert.equal(diagnosticsOf('-a always,exit -F arch=b64 -S all -a0=2')
    .some((d) => d.code === 'multiple-rules'), false);
});

test('-C comparisons', () => {
  expectClean(`${b64} -S open -C auid!=uid`);
  expectOne('-a always,exit -C uid>=euid', {
    code: 'unknown-field', severity: 'error', range: [18, 22],
  });
  expectOne('-a always,exit -C uid=gid', {
    code: 'bad-comparison', severity: 'error', range: [18, 25],
  });
  expectOne('-a always,user -C uid=euid', {
    code: 'bad-comparison', severity: 'error', range: [18, 26],
  });
});

test('63 fields at most, the key included', () => {
  const fields = Array.from({ length: 62 }, (_, i) => `-F a0!=${i}`).join(' ');
  expectClean(`${b64} ${fields}`);
  const over = `${b64} ${fields} -F a1=0`;
  const found = expectOne(over, {
    code: 'too-many-fields', severity: 'error', range: [over.length - 4, over.length],
  });
  assert.ok(found.message.includes('Too many fields in rule: a1=0'));
  assert.equal(rejects(`${b64} ${fields} -k key`), true);
});

// --- keys ---------------------------------------------------------------------------------

test('-k needs a syscall, watch, path, perm, exe or fstype before it; -F key= anywhere', () => {
  expectOne('-a always,exit -F auid>=1000 -k x', {
    code: 'key-without-rule', severity: 'error', range: [29, 31],
  });
  expectClean('-a always,exit -S all -k x');
  expectOne('-a always,exit -k x -S open', {
    code: 'key-without-rule', severity: 'error', range: [15, 17],
  });
  expectClean('-a always,exit -F key=x -S open');
  expectClean('-a always,exit -F exe=/usr/bin/ls -k x');
  expectOne('-a never,user -F uid=0 -F key=x', {
    code: 'key-field-without-rule', severity: 'error', range: [30, 31],
  });
});

test('keys join up to 256 bytes; a second key field is refused', () => {
  const long = 'k'.repeat(200);
  expectOne(`${b64} -S open -k ${long} -k ${'q'.repeat(60)}`, {
    code: 'key-too-long', severity: 'error', range: [242, 302],
  });
  expectClean(`${b64} -S open -k a -F key=b`);
  assert.equal(rejects(`${b64} -S open -F key=x -F KEY=y`), true);
});

test('one -F key= value over 256 bytes is "String value too long", as libaudit says', () => {
  const line = `${b64} -S open -F key=${'k'.repeat(257)}`;
  const found = expectOne(line, {
    code: 'string-too-long', severity: 'error', range: [38, 38 + 4 + 257],
  });
  assert.match(found.message, /auditctl: "String value too long"/);
  expectOne(`-w /x -p wa -F key=${'k'.repeat(257)}`, {
    code: 'string-too-long', severity: 'error', range: [15, 15 + 4 + 257],
  });
});

// --- watches ------------------------------------------------------------------------------

test('watch paths and permissions', () => {
  expectOne('-w relative/path', { code: 'watch-path', severity: 'error', range: [3, 16] });
  expectOne('-w /etc/../passwd -p wa', {
    code: 'watch-path-notation', severity: 'warning', range: [3, 17],
  });
  expectOne('-w /etc/passwd -p rwxaa', { code: 'bad-perm', severity: 'error', range: [18, 23] });
  const letter = expectOne('-w /etc/passwd -p z', {
    code: 'bad-perm', severity: 'error', range: [18, 19],
  });
  assert.ok(letter.message.includes("Permission z isn't supported"));
  expectClean('-w /etc/passwd -p WA');
  expectOne('-p wa', { code: 'perm-without-watch', severity: 'error', range: [0, 2] });
  expectOne('-a always,exit -p r', {
    code: 'perm-without-fields', severity: 'error', range: [15, 17],
  });
  expectOne('-w /etc/passwd -p wa -F uid=0', {
    code: 'watch-extra-fields', severity: 'warning', range: [24, 29],
  });
});

test('the resolved model of a watch and of a syscall rule', () => {
  const { rules } = checkRulesText(
    '-w /etc/passwd -p wa -k identity\n-A exit,never -F arch=b32 -S open,2 -F auid>=1000\n');
  assert.equal(rules.length, 2);
  const [watch, rule] = rules;
  assert.deepEqual(watch.watch && [watch.watch.path, watch.watch.perms, watch.watch.permBits],
    ['/etc/passwd', 'wa', 10]);
  assert.deepEqual([watch.list, watch.action, watch.operation, watch.syscalls.all, watch.keys],
    ['exit', 'always', 'append', true, ['identity']]);
  assert.deepEqual([rule.operation, rule.action, rule.machine, rule.machineFromHost],
    ['prepend', 'never', 'i386', false]);
  assert.deepEqual(rule.syscalls.numbers, [2, 5]);
  assert.deepEqual(rule.syscalls.names, ['open', 'fork']);
  assert.deepEqual(rule.fields.map((f) => [f.field, f.operator, f.value]),
    [['auid', '>=', 1000]]);
  assert.deepEqual([rule.fields[0].range.start.character, rule.fields[0].range.end.character],
    [39, 49]);
});

// --- whole file ---------------------------------------------------------------------------

test('rules after -e 2 are refused by the kernel', () => {
  const text = '-e 2\n-w /etc/passwd -p wa\n';
  const found = expectOne(text, {
    code: 'after-immutable', severity: 'error', range: [0, 20], line: 1,
  });
  const edits = (found.data as FixData).fixes[0].edits;
  assert.equal(edits[0].newText, '-w /etc/passwd -p wa\n');
});

test('a duplicate rule is refused; -D in between clears the list', () => {
  const rule = `${b64} -S open -k x`;
  expectOne(`${rule}\n${rule}\n`, {
    code: 'duplicate-rule', severity: 'error', range: [0, rule.length], line: 1,
  });
  expectClean(`${rule}\n-D\n${rule}\n`);
});

test('every code used has an entry in the code table', () => {
  const text = ['-e 3', '-a ALWAYS,exit', '-w rel', `${b64} -S opne`].join('\n');
  for (const entry of diagnosticsOf(text)) {
    assert.equal(codeInfo(entry.code).code, entry.code);
  }
});
