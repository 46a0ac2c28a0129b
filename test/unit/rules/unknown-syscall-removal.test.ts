import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkRulesText, type CheckRulesOptions } from '../../../server/src/rules/check';
import type { FixData, FixEdit, FixOption } from '../../../server/src/rules/codes';
import { fixAllFor } from '../../../server/src/rules/fixes';

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

function fixesOf(text: string, code: string, options: CheckRulesOptions = {}): FixOption[] {
  const found = checkRulesText(text, options).diagnostics.filter((d) => d.code === code);
  assert.ok(found.length >= 1, `${code} in ${JSON.stringify(text)}`);
  return (found[0].data as FixData | undefined)?.fixes ?? [];
}

function removed(text: string, element: string, code = 'unknown-syscall'): string | undefined {
  const fix = fixesOf(text, code).find((each) => each.title === `Remove ${element}`);
  return fix && applyEdits(text, fix.edits);
}

/** The codes of the errors auditctl would report for a text. */
function errorCodes(text: string): string[] {
  return checkRulesText(text).diagnostics.filter((d) => d.severity === 'error')
    .map((d) => d.code);
}

test('an unknown syscall alone in the rule gets no removal, which would leave -S empty', () => {
  for (const text of [
    '-a always,exit -S 4294967295 -k neg',
    '-a always,exit -F arch=b64 -S 99999999999999999999 -k huge',
    '-a always,exit -F arch=b64 -S qqqqqqqqqq -k x',
    '-a always,exit -F arch=b64 -S qqqqqqqqqq',
    '-a always,exit -F arch=b64 -S qqqqqqqqqq,, -k x',
  ]) {
    const titles = fixesOf(text, 'unknown-syscall').map((fix) => fix.title);
    assert.deepEqual(titles.filter((title) => title.startsWith('Remove')), [], text);
  }
});

test('an unknown syscall alone in its -S removes that -S when another names a syscall', () => {
  assert.equal(removed('-a always,exit -F arch=b64 -S qqqqqqqqqq -S open -k x', 'qqqqqqqqqq'),
    '-a always,exit -F arch=b64 -S open -k x');
  assert.equal(removed('-a always,exit -F arch=b64 -S open -S qqqqqqqqqq', 'qqqqqqqqqq'),
    '-a always,exit -F arch=b64 -S open');
  assert.equal(removed('-a always,exit -S 2 -S 4294967295 -k neg', '4294967295'),
    '-a always,exit -S 2 -k neg');
  assert.equal(removed('-a always,exit -F arch=b64 -Sqqqqqqqqqq -S all -k x', 'qqqqqqqqqq'),
    '-a always,exit -F arch=b64 -S all -k x');

  // A key between this -S and the next would lose the syscall it needs before it.
  assert.equal(removed('-a always,exit -F arch=b64 -S qqqqqqqqqq -k x -S open', 'qqqqqqqqqq'),
    undefined);
  assert.equal(removed('-a always,exit -F arch=b64 -S qqqqqqqqqq -S zzzzzzzzzz -k x',
    'qqqqqqqqqq'), undefined);
});

test('an unknown syscall in a list goes with its commas, empty elements included', () => {
  assert.equal(removed('-a always,exit -F arch=b64 -S qqqqqqqqqq,,open -k x', 'qqqqqqqqqq'),
    '-a always,exit -F arch=b64 -S open -k x');
  assert.equal(removed('-a always,exit -F arch=b64 -S open,qqqqqqqqqq,, -k x', 'qqqqqqqqqq'),
    '-a always,exit -F arch=b64 -S open -k x');
  assert.equal(removed('-a always,exit -F arch=b64 -S open,qqqqqqqqqq,close -k x', 'qqqqqqqqqq'),
    '-a always,exit -F arch=b64 -S open,close -k x');
});

test('a syscall too new for the version gets no removal when it is the only one', () => {
  const options: CheckRulesOptions = { auditVersion: '3.0.9' };
  const alone = '-a always,exit -F arch=b64 -S fchmodat2 -k x';
  assert.deepEqual(fixesOf(alone, 'syscall-version', options), []);
  const listed = '-a always,exit -F arch=b64 -S fchmodat2,chmod -k x';
  const [fix] = fixesOf(listed, 'syscall-version', options);
  assert.equal(applyEdits(listed, fix.edits), '-a always,exit -F arch=b64 -S chmod -k x');
});

test('the did-you-mean fixes stay for a misspelt syscall alone in the rule', () => {
  const titles = fixesOf('-a always,exit -F arch=b64 -S opne -k x', 'unknown-syscall')
    .map((fix) => fix.title);
  assert.ok(titles.includes('Change to "open"'), JSON.stringify(titles));
});

test('fix-all of unknown syscalls never leaves an empty -S or a rule without one', () => {
  let text = [
    '-a always,exit -F arch=b64 -S qqqqqqqqqq,zzzzzzzzzz -k a',
    '-a always,exit -F arch=b64 -S qqqqqqqqqq,,zzzzzzzzzz -k b',
    '-a always,exit -F arch=b64 -S qqqqqqqqqq,zzzzzzzzzz,, -k c',
    '-a always,exit -F arch=b64 -S qqqqqqqqqq -S zzzzzzzzzz -S open -k d',
    '-a always,exit -F arch=b64 -S qqqqqqqqqq,zzzzzzzzzz -S close -k e',
    '-a always,exit -S 4294967295 -k neg',
    '',
  ].join('\n');
  // Fix-all again after each run, as long as it offers something.
  for (let run = 0; run < 10; run++) {
    const all = fixAllFor(checkRulesText(text).diagnostics, 'unknown-syscall');
    if (!all) break;
    text = applyEdits(text, all.edits);
  }
  assert.deepEqual(text.split('\n'), [
    '-a always,exit -F arch=b64 -S zzzzzzzzzz -k a',
    '-a always,exit -F arch=b64 -S zzzzzzzzzz -k b',
    // Trailing empty elements are skipped by auditctl.
    '-a always,exit -F arch=b64 -S zzzzzzzzzz,, -k c',
    '-a always,exit -F arch=b64 -S open -k d',
    '-a always,exit -F arch=b64 -S close -k e',
    '-a always,exit -S 4294967295 -k neg',
    '',
  ]);
  // Only the unknown names remain wrong: no bare -S, no key without a syscall.
  assert.deepEqual([...new Set(errorCodes(text))], ['unknown-syscall']);
});
