import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkRulesText } from '../../../server/src/rules/check';
import type { FixData, FixEdit, FixOption } from '../../../server/src/rules/codes';
import { twinSyscallEdits } from '../../../server/src/rules/checks/twin';
import { parseRulesLine } from '../../../server/src/rules/parse';
import { syscallTable } from '../../../server/src/tables';

/** Applies fix edits to a text as an editor does (none overlap). */
function applyEdits(text: string, edits: readonly FixEdit[]): string {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const offset = (p: FixEdit['range']['start']) =>
    Math.min(text.length, (lineStarts[p.line] ?? text.length) + p.character);
  const ordered = edits.map((edit, index) => ({ edit, index }))
    .sort((a, b) => offset(b.edit.range.start) - offset(a.edit.range.start) || b.index - a.index);
  let result = text;
  for (const { edit } of ordered) {
    result = result.slice(0, offset(edit.range.start)) + edit.newText +
      result.slice(offset(edit.range.end));
  }
  return result;
}

function fixesOf(text: string, code: string): FixOption[] {
  const found = checkRulesText(text).diagnostics.filter((d) => d.code === code);
  assert.equal(found.length, 1, `one ${code} in ${JSON.stringify(text)}`);
  return (found[0].data as FixData).fixes;
}

function codesOf(text: string): string[] {
  return checkRulesText(text).diagnostics.map((d) => d.code);
}

test('the b32 twin of a rule with syscalls by number maps each number by name', () => {
  const i386 = syscallTable('i386', '4.2')!;
  const unlinkat = i386.byName.get('unlinkat')!;
  const renameat = i386.byName.get('renameat')!;
  assert.notEqual(unlinkat, 263, 'the numbers differ between the tables');

  const text = '-a always,exit -F arch=b64 -S 263 -k delete\n';
  const [fix] = fixesOf(text, 'missing-b32-twin');
  assert.equal(applyEdits(text, fix.edits),
    `${text}-a always,exit -F arch=b32 -S ${unlinkat} -k delete\n`);

  // 264 is renameat on x86_64; a name written beside numbers stays a name.
  const mixed = '-a always,exit -F arch=b64 -S 263,rmdir,264 -k delete';
  const [mixedFix] = fixesOf(mixed, 'missing-b32-twin');
  assert.equal(applyEdits(mixed, mixedFix.edits),
    `${mixed}\n-a always,exit -F arch=b32 -S ${unlinkat},rmdir,${renameat} -k delete`);
});

test('the b32 twin drops an -S whose syscalls the b32 table lacks, option and all', () => {
  // kexec_file_load has no i386 number; open has one.
  const text = '-a always,exit -F arch=b64 -S kexec_file_load -S open -k x\n';
  const [fix] = fixesOf(text, 'missing-b32-twin');
  const fixed = applyEdits(text, fix.edits);
  assert.equal(fixed, `${text}-a always,exit -F arch=b32 -S open -k x\n`);
  assert.equal(codesOf(fixed).includes('missing-b32-twin'), false);
});

test('the b32 twin of a last line without a final newline goes on a line of its own', () => {
  const text = '-w /etc/passwd -p wa -k identity\n-a always,exit -F arch=b64 -S open -k x';
  const [fix] = fixesOf(text, 'missing-b32-twin');
  const fixed = applyEdits(text, fix.edits);
  assert.equal(fixed, `${text}\n-a always,exit -F arch=b32 -S open -k x`);
  assert.equal(codesOf(fixed).includes('missing-b32-twin'), false);

  // A CRLF line: the twin gets the same line ending.
  const crlf = '-a always,exit -F arch=b64 -S open -k x\r\n';
  const [crlfFix] = fixesOf(crlf, 'missing-b32-twin');
  assert.equal(applyEdits(crlf, crlfFix.edits),
    `${crlf}-a always,exit -F arch=b32 -S open -k x\r\n`);
});

test('moving a last line without a final newline above -e 2 leaves no line break behind', () => {
  const text = '-D\n-e 2\n-w /etc/shadow -p wa -k identity';
  const [fix] = fixesOf(text, 'after-immutable');
  assert.equal(applyEdits(text, fix.edits), '-D\n-w /etc/shadow -p wa -k identity\n-e 2');

  const withNewline = `${text}\n`;
  const [fixNewline] = fixesOf(withNewline, 'after-immutable');
  assert.equal(applyEdits(withNewline, fixNewline.edits),
    '-D\n-w /etc/shadow -p wa -k identity\n-e 2\n');

  // The line right after -e 2 and last: both edits touch the -e line and must not collide.
  const [next] = fixesOf('-e 2\n-w /etc/shadow -p wa', 'after-immutable');
  assert.equal(applyEdits('-e 2\n-w /etc/shadow -p wa', next.edits), '-w /etc/shadow -p wa\n-e 2');
});

test('removing a duplicate last line without a final newline leaves no line break behind', () => {
  const rule = '-a always,exit -F arch=b64 -S open -k x';
  const [fix] = fixesOf(`${rule}\n${rule}`, 'duplicate-rule');
  assert.equal(applyEdits(`${rule}\n${rule}`, fix.edits), rule);
  const [middle] = fixesOf(`${rule}\n${rule}\n-e 1\n`, 'duplicate-rule');
  assert.equal(applyEdits(`${rule}\n${rule}\n-e 1\n`, middle.edits), `${rule}\n-e 1\n`);
});

test('a rule without -F arch is offered -F arch=b64 alone, or with its b32 twin', () => {
  const text = '-a always,exit -S unlinkat,kexec_file_load -F auid>=1000 -k delete\n';
  const fixes = fixesOf(text, 'missing-arch');
  assert.deepEqual(fixes.map((fix) => [fix.title, fix.preferred]), [
    ['Add -F arch=b64 before -S', true],
    ['Add -F arch=b64 before -S, and the b32 twin rule', false],
  ]);
  assert.equal(applyEdits(text, fixes[0].edits),
    '-a always,exit -F arch=b64 -S unlinkat,kexec_file_load -F auid>=1000 -k delete\n');
  const both = applyEdits(text, fixes[1].edits);
  assert.equal(both,
    '-a always,exit -F arch=b64 -S unlinkat,kexec_file_load -F auid>=1000 -k delete\n' +
    '-a always,exit -F arch=b32 -S unlinkat -F auid>=1000 -k delete\n');
  const after = codesOf(both);
  assert.equal(after.includes('missing-arch'), false);
  assert.equal(after.includes('missing-b32-twin'), false);
  assert.equal(checkRulesText(both).diagnostics.some((d) => d.severity === 'error'), false);

  // By number, on a last line without a final newline.
  const byNumber = '-a always,exit -S 263 -k delete';
  const numbered = fixesOf(byNumber, 'missing-arch');
  const unlinkat = syscallTable('i386', '4.2')!.byName.get('unlinkat');
  assert.equal(applyEdits(byNumber, numbered[1].edits),
    '-a always,exit -F arch=b64 -S 263 -k delete\n' +
    `-a always,exit -F arch=b32 -S ${unlinkat} -k delete`);
});

test('no twin is offered when the b32 table has none of the syscalls', () => {
  const fixes = fixesOf('-a always,exit -S kexec_file_load -k x', 'missing-arch');
  assert.deepEqual(fixes.map((fix) => fix.title), ['Add -F arch=b64 before -S']);
});

test('the b32 twin names the syscall a -S number is read as, cut or with trailing characters',
  () => {
    // 4294967355 keeps its low 32 bits, 59 (execve on x86_64); execve is 11 on i386.
    const execve = syscallTable('i386', '4.2')!.byName.get('execve')!;
    const text = '-a always,exit -F arch=b64 -S 4294967355 -k b\n' +
      '-a always,exit -F arch=b64 -S 4294967355\n';
    const found = checkRulesText(text).diagnostics.filter((d) => d.code === 'missing-b32-twin');
    assert.equal(found.length, 2);
    assert.equal(applyEdits(text, (found[0].data as FixData).fixes[0].edits),
      '-a always,exit -F arch=b64 -S 4294967355 -k b\n' +
      `-a always,exit -F arch=b32 -S ${execve} -k b\n` +
      '-a always,exit -F arch=b64 -S 4294967355\n');
    assert.equal(applyEdits(text, (found[1].data as FixData).fixes[0].edits),
      `${text}-a always,exit -F arch=b32 -S ${execve}\n`);

    const trailing = '-a always,exit -F arch=b64 -S 59abc,0x10000003b -k b';
    const [fix] = fixesOf(trailing, 'missing-b32-twin');
    assert.equal(applyEdits(trailing, fix.edits),
      `${trailing}\n-a always,exit -F arch=b32 -S ${execve},${execve} -k b`);

    // The missing-arch fix writes the same twin, beside a name it keeps.
    const noArch = '-a always,exit -S open,4294967355 -k k';
    const [, withTwin] = fixesOf(noArch, 'missing-arch');
    assert.equal(applyEdits(noArch, withTwin.edits),
      '-a always,exit -F arch=b64 -S open,4294967355 -k k\n' +
      `-a always,exit -F arch=b32 -S open,${execve} -k k`);
    const alone = '-a always,exit -S 4294967355 -k k';
    const [, aloneTwin] = fixesOf(alone, 'missing-arch');
    assert.equal(applyEdits(alone, aloneTwin.edits),
      '-a always,exit -F arch=b64 -S 4294967355 -k k\n' +
      `-a always,exit -F arch=b32 -S ${execve} -k k`);
  });

test('no twin fix writes a rule without -S where the rule had one', () => {
  const rules = [
    '-a always,exit -F arch=b64 -S 4294967355 -k b',
    '-a always,exit -F arch=b64 -S 4294967355',
    '-a always,exit -F arch=b64 -S 0x10000003b,kexec_file_load -S 4294967296',
    '-a always,exit -F arch=b64 -S 59abc -F auid>=1000',
    '-a always,exit -S 4294967355 -k k',
    '-a always,exit -S open,4294967355',
    '-a always,exit -S 0100000000073 -S kexec_file_load -k k',
    '-a always,exit -S 2046,263 -k k',
  ];
  for (const rule of rules) {
    for (const code of ['missing-b32-twin', 'missing-arch']) {
      const found = checkRulesText(rule).diagnostics.filter((d) => d.code === code);
      for (const fix of found.flatMap((d) => (d.data as FixData | undefined)?.fixes ?? [])) {
        const fixed = applyEdits(rule, fix.edits);
        for (const line of fixed.split('\n')) {
          assert.match(line, / -S [^ ]/, `${fix.title} of ${rule}: ${line}`);
        }
        assert.equal(checkRulesText(fixed).diagnostics.some((d) => d.severity === 'error'),
          false, `${fix.title} of ${rule}`);
      }
    }
  }

  // Given syscalls the 32-bit table lacks, the twin's -S edits are refused, not emptied.
  const text = '-a always,exit -F arch=b64 -S kexec_file_load -k x';
  const line = parseRulesLine(text, 0);
  const [rule] = checkRulesText(text).rules;
  const twinTable = syscallTable('i386', '4.2')!;
  assert.equal(twinSyscallEdits(line, rule, syscallTable('x86_64', '4.2'), twinTable,
    new Set(['kexec_file_load'])), undefined);
});
