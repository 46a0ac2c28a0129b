import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ExeFieldData,
  MoveRuleData,
  RulesFileText,
  RulesetOptions,
  checkRuleset,
} from '../../../server/src/rules/ruleset';
import type { Range, RuleDiagnostic } from '../../../server/src/rules/diagnostics';

const wholeFileCodes = new Set([
  'missing-final-newline', 'control-line-dropped', 'control-line-indented', 'load-stops',
  'delete-all-not-first', 'immutable-not-last', 'control-after-rules', 'error-mode-changed',
  'error-mode-late', 'never-after-always', 'always-under-never', 'shadowed-rule',
  'task-never-all', 'exclude-drops-everything', 'path-not-caller', 'duplicate-rule',
  'after-immutable',
]);

function analyse(files: RulesFileText[], options: RulesetOptions = {}): RuleDiagnostic[] {
  return checkRuleset(files, options).diagnostics.filter((d) => wholeFileCodes.has(d.code));
}

function only(found: RuleDiagnostic[], code: string): RuleDiagnostic {
  const matching = found.filter((d) => d.code === code);
  assert.equal(matching.length, 1, `one ${code} in ${JSON.stringify(found.map((d) => d.code))}`);
  return matching[0];
}

function lines(range: Range): [number, number, number, number] {
  return [range.start.line, range.start.character, range.end.line, range.end.character];
}

const ptraceAll = '-a always,exit -F arch=b64 -S ptrace -F key=tracing';

test('a duplicate in another file: Rule exists, related to the first, and the lost rules', () => {
  const found = analyse([
    { file: 'rules.d/30-stig.rules', text: `${ptraceAll}\n-w /etc/hosts -p wa -k net\n` },
    { file: 'rules.d/10-base.rules', text: `-b 8192\n${ptraceAll}\n` },
  ]);

  const duplicate = only(found, 'duplicate-rule');
  assert.equal(duplicate.file, 'rules.d/30-stig.rules');
  assert.deepEqual(lines(duplicate.range), [0, 0, 0, ptraceAll.length]);
  assert.match(duplicate.message, /line 2 of 10-base\.rules/);
  assert.equal(duplicate.related?.[0].file, 'rules.d/10-base.rules');
  assert.deepEqual(lines(duplicate.related![0].range), [1, 0, 1, ptraceAll.length]);

  const stops = only(found, 'load-stops');
  assert.equal(stops.file, 'rules.d/30-stig.rules');
  assert.match(stops.message, /nothing after it is loaded: 1 more line, from 30-stig\.rules:2/);
  // audit.rules: header, -D slot, -b, -f slot, then the body: this is its second line.
  assert.match(stops.message, /error in line 6 of \/etc\/audit\/audit\.rules/);
  assert.equal(stops.related?.[0].file, 'rules.d/30-stig.rules');
  assert.equal(stops.related?.[0].range.start.line, 1);
});

test('with -c or -i before it, a duplicate does not stop the load', () => {
  const found = analyse([
    { file: '10-a.rules', text: `-c\n${ptraceAll}\n` },
    { file: '20-b.rules', text: `${ptraceAll}\n-w /etc/hosts -p wa -k net\n` },
  ]);
  only(found, 'duplicate-rule');
  assert.equal(found.filter((d) => d.code === 'load-stops').length, 0);
});

test('a file without a final newline fuses with the next file', () => {
  const found = analyse([
    { file: '10-a.rules', text: '-w /etc/passwd -p wa -k identity' },
    { file: '20-b.rules', text: '-w /etc/group -p wa -k identity\n' },
  ]);
  const fused = only(found, 'missing-final-newline');
  assert.equal(fused.file, '10-a.rules');
  assert.deepEqual(lines(fused.range), [0, 0, 0, 32]);
  assert.match(fused.message, /-k identity-w \/etc\/group/);
  assert.equal(fused.related?.[0].file, '20-b.rules');
  const edit = (fused.data as { fixes: { edits: { newText: string; range: Range }[] }[] })
    .fixes[0].edits[0];
  assert.equal(edit.newText, '\n');
  assert.deepEqual(lines(edit.range), [0, 32, 0, 32]);
});

test('-D after rules deletes them (one file loaded as written)', () => {
  const found = analyse([{ file: 'audit.rules', text: `${ptraceAll}\n-D\n` }], { mode: 'file' });
  const deleteAll = only(found, 'delete-all-not-first');
  assert.deepEqual(lines(deleteAll.range), [1, 0, 1, 2]);
  assert.match(deleteAll.message, /the 1 rule loaded above it/);
  assert.equal(deleteAll.related?.[0].range.start.line, 0);
});

test('counts of one take the singular: "1 rule", "1 more line"', () => {
  const lock = only(analyse([{ file: 'audit.rules', text: `-e 2\n${ptraceAll}\n` }],
    { mode: 'file' }), 'immutable-not-last');
  assert.match(lock.message, /\(1 rule, /);
  const late = checkRuleset([{ file: 'audit.rules', text: `${ptraceAll}\n-c\n` }],
    { mode: 'file' }).diagnostics.find((d) => d.code === 'error-mode-late');
  assert.match(late?.message ?? '', /among the 1 rule above/);
  const stops = checkRuleset([{ file: 'audit.rules', text: '-x\n-w /etc/hosts -p wa\n' }],
    { mode: 'file' }).diagnostics.find((d) => d.code === 'load-stops');
  assert.match(stops?.message ?? '', /: 1 more line, /);
  for (const d of [lock, late, stops]) assert.doesNotMatch(d?.message ?? '', /\b1 \w+s\b/);
});

test('-e 2 before rules: every later rule rejected in a file; moved by augenrules', () => {
  const text = `-e 2\n${ptraceAll}\n-w /etc/hosts -p wa -k net\n`;
  const asFile = analyse([{ file: 'audit.rules', text }], { mode: 'file' });
  const lock = only(asFile, 'immutable-not-last');
  assert.deepEqual(lines(lock.range), [0, 0, 0, 4]);
  assert.match(lock.message, /every rule after it is rejected \(2 rules, /);
  assert.deepEqual(lock.related?.map((r) => r.range.start.line), [1, 2]);

  const asFolder = analyse([{ file: '99-finalize.rules', text }]);
  assert.deepEqual(asFolder.map((d) => d.code), [], 'augenrules moves -e to the end');
});

test('an indented -e 2 stays in place under Debian\'s mawk, and is moved under gawk', () => {
  const files = [{ file: '50-x.rules', text: `  -e 2\n${ptraceAll}\n` }];
  const mawk = analyse(files);
  const indented = only(mawk, 'control-line-indented');
  assert.deepEqual(lines(indented.range), [0, 2, 0, 6]);
  only(mawk, 'immutable-not-last');
  assert.deepEqual(analyse(files, { awk: 'gawk' }).map((d) => d.code), []);
});

test('augenrules keeps the last -b: an earlier different one is dropped with a warning', () => {
  const found = analyse([
    { file: '10-base.rules', text: '-b 8192\n' },
    { file: '50-site.rules', text: '-b 320\n' },
  ]);
  const dropped = only(found, 'control-line-dropped');
  assert.equal(dropped.file, '10-base.rules');
  assert.equal(dropped.severity, 'warning');
  assert.equal(dropped.related?.[0].file, '50-site.rules');
});

test('-i and -c: both given, and given after rules', () => {
  const found = analyse([{ file: 'audit.rules', text: `${ptraceAll}\n-c\n-i\n` }],
    { mode: 'file' });
  const late = only(found, 'error-mode-late');
  assert.equal(late.range.start.line, 1);
  const changed = only(found, 'error-mode-changed');
  assert.equal(changed.range.start.line, 2);
  assert.equal(changed.related?.[0].range.start.line, 1);
});

test('a never rule after an always rule that covers it: pre-empted, with move data', () => {
  const never = '-a never,exit -F arch=b64 -S ptrace -F exe=/usr/bin/gdb';
  const found = analyse([
    { file: '30-main.rules', text: `${ptraceAll}\n` },
    { file: '40-quiet.rules', text: `# quiet\n${never}\n` },
  ]);
  const preempted = only(found, 'never-after-always');
  assert.equal(preempted.file, '40-quiet.rules');
  assert.deepEqual(lines(preempted.range), [1, 0, 1, never.length]);
  assert.match(preempted.message, /30-main\.rules:1/);
  assert.equal(preempted.related?.[0].file, '30-main.rules');
  const data = preempted.data as MoveRuleData;
  assert.deepEqual(data.move, {
    file: '40-quiet.rules', line: 1, beforeFile: '30-main.rules', beforeLine: 0,
  });
  assert.deepEqual(data.fixes, [], 'no single-file edit across files');
});

test('pre-empted never rule in the same file: the fix moves it above', () => {
  const never = '-a never,exit -F arch=b64 -S ptrace -F exe=/usr/bin/gdb';
  const found = analyse([{ file: 'audit.rules', text: `${ptraceAll}\n${never}\n` }],
    { mode: 'file' });
  const data = only(found, 'never-after-always').data as MoveRuleData;
  const edits = data.fixes[0].edits;
  assert.equal(edits[0].newText, `${never}\n`);
  assert.deepEqual(lines(edits[0].range), [0, 0, 0, 0]);
  assert.deepEqual(lines(edits[1].range), [1, 0, 2, 0]);
  assert.equal(edits[1].newText, '');
});

test('a prepended never rule goes first and is not pre-empted', () => {
  const found = analyse([{
    file: 'audit.rules',
    text: `${ptraceAll}\n-A never,exit -F arch=b64 -S ptrace -F exe=/usr/bin/gdb\n`,
  }], { mode: 'file' });
  assert.deepEqual(found.map((d) => d.code), []);
});

test('an always rule under a never rule that covers it never fires', () => {
  const found = analyse([{
    file: 'audit.rules',
    text: '-a never,exit -F arch=b64 -S all -F exe=/usr/bin/vmtoolsd\n'
      + '-a always,exit -F arch=b64 -S ptrace -F exe=/usr/bin/vmtoolsd -k vm\n',
  }], { mode: 'file' });
  const hidden = only(found, 'always-under-never');
  assert.equal(hidden.range.start.line, 1);
  assert.equal(hidden.related?.[0].range.start.line, 0);
});

test('a specific rule after a general one: its key is never recorded', () => {
  const found = analyse([{
    file: '42-injection.rules',
    text: `${ptraceAll}\n-a always,exit -F arch=b64 -S ptrace -F a0=0x4 -F key=code-injection\n`,
  }]);
  const shadowed = only(found, 'shadowed-rule');
  assert.equal(shadowed.range.start.line, 1);
  assert.match(shadowed.message, /its key code-injection is never recorded \(events get tracing\)/);
});

test('exclude rules: msgtype>0 drops every record, msgtype=CWD does not', () => {
  const found = analyse([{
    file: 'audit.rules',
    text: '-a always,exclude -F msgtype>0\n-a always,exclude -F msgtype=CWD\n',
  }], { mode: 'file' });
  const everything = only(found, 'exclude-drops-everything');
  assert.deepEqual(lines(everything.range), [0, 0, 0, 30]);
});

test('dir= / path= used to silence a program: explained, with an exe= fix for a binary', () => {
  const found = analyse([{
    file: 'audit.rules',
    text: '-a never,exit -F arch=b64 -F path=/usr/bin/filebeat -F perm=wa\n'
      + '-a never,exit -F arch=b64 -F dir=/opt/agent/ -F perm=wa\n'
      + '-a never,exit -F arch=b64 -F dir=/dev/shm/ -F key=shm\n',
  }], { mode: 'file' });
  const flagged = found.filter((d) => d.code === 'path-not-caller');
  assert.deepEqual(flagged.map((d) => d.range.start.line), [0, 1]);

  const binary = flagged[0].data as ExeFieldData;
  assert.equal(binary.exe, '/usr/bin/filebeat');
  assert.equal(binary.fixes[0].edits[0].newText, 'exe=/usr/bin/filebeat');
  assert.deepEqual(lines(binary.fixes[0].edits[0].range), [0, 29, 0, 51]);
  assert.deepEqual(lines(flagged[0].range), [0, 29, 0, 51]);

  const folder = flagged[1].data as ExeFieldData;
  assert.equal(folder.exe, undefined);
  assert.deepEqual(folder.fixes, []);
});

test('-a never,task with no fields turns syscall auditing off for new tasks', () => {
  const found = analyse([
    { file: '10-no-audit.rules', text: '-D\n-a task,never\n' },
    { file: '30-main.rules', text: `${ptraceAll}\n` },
  ]);
  const off = only(found, 'task-never-all');
  assert.equal(off.file, '10-no-audit.rules');
  assert.equal(off.range.start.line, 1);
  assert.equal(off.related?.[0].file, '30-main.rules');
});

test('checkRuleset reads only *.rules, in sort -V order, and keeps provenance', () => {
  const result = checkRuleset([
    { file: 'd/10-b.rules', text: '-w /etc/b -k b\n' },
    { file: 'd/9-a.rules', text: '# comment\n-w /etc/a -k a\n' },
    { file: 'd/notes.txt', text: 'not rules\n' },
  ]);
  assert.deepEqual(result.files, ['d/9-a.rules', 'd/10-b.rules']);
  assert.deepEqual(result.stream.map((l) => [l.file, l.line]),
    [['d/9-a.rules', 1], ['d/10-b.rules', 0]]);
  assert.deepEqual(result.loadedRules.map((r) => r.file), ['d/9-a.rules', 'd/10-b.rules']);
});

test('-D -k deletes only the rules with that key', () => {
  const result = checkRuleset([{
    file: 'audit.rules',
    text: `${ptraceAll}\n-w /etc/hosts -p wa -k net\n-D -k net\n`,
  }], { mode: 'file' });
  assert.deepEqual(result.loadedRules.map((r) => r.keys[0]), ['tracing']);
  assert.deepEqual(result.diagnostics.filter((d) => d.code === 'delete-all-not-first'), []);
});

test('a cache keeps each unchanged file\'s check between calls', () => {
  const cache = new Map();
  const first = checkRuleset([
    { file: '10-a.rules', text: `${ptraceAll}\n` },
    { file: '20-b.rules', text: '-w /etc/hosts -p wa -k net\n' },
  ], { cache });
  const second = checkRuleset([
    { file: '10-a.rules', text: `${ptraceAll}\n` },
    { file: '20-b.rules', text: '-w /etc/group -p wa -k net\n' },
  ], { cache });
  assert.equal(second.perFile.get('10-a.rules'), first.perFile.get('10-a.rules'));
  assert.notEqual(second.perFile.get('20-b.rules'), first.perFile.get('20-b.rules'));
  assert.equal(second.loadedRules[1].watch?.path, '/etc/group');
  assert.deepEqual(second.diagnostics.filter((d) => wholeFileCodes.has(d.code)), []);
});

test('thousands of rules on one syscall are compared in near-linear time', () => {
  // 20,000 never rules and one always rule after them; then a chain in which every rule
  // covers the next. Both once took minutes (every rule walked every earlier one).
  const never = Array.from({ length: 20000 },
    (_, i) => `-a never,exit -F arch=b64 -S openat -F exe=/opt/app${i}/bin/worker -k n${i}`);
  const chain = Array.from({ length: 20000 },
    (_, i) => `-a always,exit -F arch=b64 -S openat -F auid>=${i} -k k`);
  const started = Date.now();
  const found = analyse([
    { file: 'never.rules', text: `${never.join('\n')}\n-a always,exit -F arch=b64 -S openat\n` },
    { file: 'chain.rules', text: `${chain.join('\n')}\n` },
  ]);
  const seconds = (Date.now() - started) / 1000;
  assert.ok(seconds < 60, `took ${seconds} s`);
  assert.equal(found.filter((d) => d.code === 'shadowed-rule').length, 20000);
});

test('a file the load never reaches gets no load-order verdicts, only load-stopped-earlier', () => {
  const watch = '-w /etc/shadow -p wa -k s\n';
  const found = checkRuleset([
    { file: '/etc/audit/rules.d/10-a.rules', text: 'garbage\n' },
    { file: '/etc/audit/rules.d/20-b.rules', text: `${watch}${watch}` },
  ]).diagnostics;
  const inLater = found.filter((d) => d.file === '/etc/audit/rules.d/20-b.rules')
    .map((d) => `${d.range.start.line}:${d.code}`);
  assert.ok(inLater.includes('0:load-stopped-earlier'), inLater.join());
  assert.ok(!inLater.some((entry) => entry.endsWith(':duplicate-rule')), inLater.join());
  // Loaded as written, the same file still tells its duplicate.
  const alone = checkRuleset([{ file: '/etc/audit/rules.d/20-b.rules', text: `${watch}${watch}` }])
    .diagnostics.map((d) => d.code);
  assert.ok(alone.includes('duplicate-rule'), alone.join());
});
