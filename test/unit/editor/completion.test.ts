import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRulesDocument } from '../../../server/src/rules/parse';
import { CompletionOptions, completionsAt } from '../../../server/src/rules/completion';

const x86: CompletionOptions = { auditVersion: '4.2', hostMachine: 'x86_64' };

/** Completions with the cursor at the `|` of the text (which is removed). */
function complete(textWithCursor: string, options = x86) {
  const lines = textWithCursor.split('\n');
  const line = lines.findIndex((l) => l.includes('|'));
  const character = lines[line].indexOf('|');
  lines[line] = lines[line].replace('|', '');
  return completionsAt(parseRulesDocument(lines.join('\n')), { line, character }, options);
}

function labels(items: { label: string }[]): string[] {
  return items.map((item) => item.label);
}

test('an empty line offers options and the snippets', () => {
  const items = complete('|');
  const names = labels(items);
  for (const option of ['-a', '-w', '-D', '-b', '-e', '--backlog_wait_time']) {
    assert.ok(names.includes(option), option);
  }
  const snippets = items.filter((item) => item.kind === 'snippet');
  assert.deepEqual(labels(snippets), [
    'watch', 'syscall rule', 'exclusion rule (program)', 'exclusion rule (record type)',
  ]);
  assert.match(snippets[1].insertText, /^-a always,exit -F arch=b64 -S \$\{1:openat\}/);
  assert.ok(snippets.every((s) => s.snippet));
});

test('after -a: list,action pairs, always,exit first', () => {
  const items = complete('-a |');
  const names = labels(items);
  assert.ok(names.includes('always,exit'));
  assert.ok(names.includes('never,exclude'));
  assert.ok(names.includes('always,io_uring'));
  const sorted = [...items].sort((a, b) => (a.sortText! < b.sortText! ? -1 : 1));
  assert.equal(sorted[0].label, 'always,exit');
  assert.deepEqual(items[0].range, {
    start: { line: 0, character: 3 }, end: { line: 0, character: 3 },
  });
});

test('3.0.9 has no io_uring list to offer', () => {
  assert.ok(!labels(complete('-a |', { ...x86, auditVersion: '3.0.9' })).includes(
    'always,io_uring',
  ));
});

test('a partly typed list,action replaces from the start of the argument', () => {
  const items = complete('-a always,ex|');
  const exit = items.find((item) => item.label === 'always,exit');
  assert.ok(exit);
  assert.equal(exit.range.start.character, 3);
  assert.equal(exit.range.end.character, 12);
});

test('after -F on an exit rule: fields of the exit list, not msgtype', () => {
  const names = labels(complete('-a always,exit -F |'));
  for (const field of ['auid', 'exe', 'path', 'perm', 'arch', 'a0', 'success']) {
    assert.ok(names.includes(field), field);
  }
  assert.ok(!names.includes('msgtype'));
  assert.ok(!names.includes('fstype'));
});

test('after -F on the exclude list: only what the version takes there', () => {
  const old = labels(complete('-a never,exclude -F |', { ...x86, auditVersion: '3.0.9' }));
  assert.ok(old.includes('msgtype'));
  assert.ok(old.includes('exe'));
  assert.ok(!old.includes('euid'));
  assert.ok(!old.includes('path'));
  const upstream = labels(complete('-a never,exclude -F |'));
  assert.ok(upstream.includes('euid'));
});

test('a complete field name offers its operators', () => {
  const items = complete('-a always,exit -S open -F auid|');
  const operators = items.filter((item) => item.kind === 'operator');
  assert.deepEqual(labels(operators), ['auid=', 'auid!=', 'auid<', 'auid>', 'auid<=', 'auid>=']);
  const arch = complete('-a always,exit -F arch|').filter((item) => item.kind === 'operator');
  assert.deepEqual(labels(arch), ['arch=', 'arch!=']);
});

test('values by field: arch, msgtype, exit, perm, success, auid', () => {
  assert.deepEqual(labels(complete('-a always,exit -F arch=|')).slice(0, 2), ['b64', 'b32']);
  assert.ok(labels(complete('-a never,exclude -F msgtype=|')).includes('CWD'));
  assert.ok(labels(complete('-a always,exit -S open -F exit=|')).includes('-EACCES'));
  assert.ok(labels(complete('-a always,exit -S open -F perm=|')).includes('wa'));
  assert.deepEqual(labels(complete('-a always,exit -S open -F success=|')), ['1', '0']);
  assert.ok(labels(complete('-a always,exit -S open -F auid!=|')).includes('unset'));
  const value = complete('-a always,exit -F arch=b|')[0];
  assert.equal(value.range.start.character, '-a always,exit -F arch='.length);
});

test('after -S: syscall names of the rule arch', () => {
  const b64 = complete('-a always,exit -F arch=b64 -S |');
  const open = b64.find((item) => item.label === 'open');
  assert.ok(open);
  assert.equal(open.detail, '2 on b64 (x86_64)');
  assert.match(open.documentation ?? '', /open and possibly create a file/);
  assert.ok(labels(b64).includes('all'));

  const b32 = complete('-a always,exit -F arch=b32 -S |');
  assert.equal(b32.find((item) => item.label === 'open')?.detail, '5 on b32 (i386)');
  assert.ok(labels(b32).includes('socketcall'));
  assert.ok(!labels(b64).includes('socketcall'));

  const arm = labels(complete('-a always,exit -F arch=aarch64 -S |'));
  assert.ok(!arm.includes('open'));
  assert.ok(arm.includes('openat'));
});

test('after a comma in -S only the current name is replaced', () => {
  const items = complete('-a always,exit -F arch=b64 -S open,op|');
  const openat = items.find((item) => item.label === 'openat');
  assert.ok(openat);
  assert.equal(openat.range.start.character, '-a always,exit -F arch=b64 -S open,'.length);
});

test('after -k: the keys of the document with their counts', () => {
  const items = complete([
    '-w /etc/passwd -p wa -k identity',
    '-w /etc/group -p wa -k identity',
    '-w /etc/sudoers -p wa -k scope',
    '-a always,exit -F arch=b64 -S execve -k |',
  ].join('\n'));
  assert.deepEqual(labels(items), ['identity', 'scope']);
  assert.equal(items[0].detail, '2 rules share this key');
});

test('-p, -e, -f and --signal values', () => {
  assert.ok(labels(complete('-w /etc/passwd -p |')).includes('rwxa'));
  assert.deepEqual(labels(complete('-e |')), ['0', '1', '2']);
  assert.deepEqual(labels(complete('-f |')), ['0', '1', '2']);
  assert.ok(labels(complete('--signal |')).includes('HUP'));
});

test('-C offers the fields of the same group on the right', () => {
  assert.deepEqual(labels(complete('-a always,exit -S all -C auid!=|')), [
    'uid', 'euid', 'suid', 'fsuid', 'obj_uid',
  ]);
});

test('on a rule line the options offered are the rule parts', () => {
  const names = labels(complete('-a always,exit -|'));
  assert.deepEqual(names.sort(), ['-C', '-F', '-S', '-k', '-p']);
});

test('comments complete nothing', () => {
  assert.deepEqual(complete('# -a |'), []);
});
