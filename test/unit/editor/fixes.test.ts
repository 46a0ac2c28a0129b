import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RuleDiagnostic } from '../../../server/src/rules/diagnostics';
import { lineRange } from '../../../server/src/rules/diagnostics';
import { codeActionsFor, fixAllFor } from '../../../server/src/rules/fixes';

// Diagnostics as the checks build them: the fix edits travel in `data`.
function numberDiagnostic(line: number, start: number, number: string, name: string) {
  const range = lineRange(line, start, start + number.length);
  const diagnostic: RuleDiagnostic = {
    code: 'syscall-number',
    severity: 'warning',
    range,
    message: `Syscall ${number} is ${name}`,
    data: { fixes: [{ title: `Replace ${number} with ${name}`, edits: [{ range, newText: name }],
      preferred: true }] },
  };
  return diagnostic;
}

test('the fixes of the diagnostic under the cursor, then a fix-all for its code', () => {
  const all = [numberDiagnostic(0, 30, '263', 'unlinkat'), numberDiagnostic(2, 30, '59', 'execve')];
  const actions = codeActionsFor(all, lineRange(0, 31, 31));
  assert.deepEqual(actions.map((a) => a.title), [
    'Replace 263 with unlinkat',
    'Fix all in the file: Syscall given by number (2)',
  ]);
  assert.equal(actions[0].preferred, true);
  assert.deepEqual(actions[1].edits.map((e) => e.newText), ['unlinkat', 'execve']);
  assert.equal(actions[1].fixAll, true);
});

test('a lone diagnostic gets no separate fix-all', () => {
  const lone = [numberDiagnostic(0, 30, '263', 'unlinkat')];
  const actions = codeActionsFor(lone, lineRange(0, 30, 33));
  assert.equal(actions.length, 1);
});

test('overlapping edits are left for a later run; insertions at one point are kept', () => {
  const overlapping: RuleDiagnostic[] = [0, 5].map((start) => ({
    code: 'tab-character', severity: 'warning', range: lineRange(0, start, start + 6), message: '',
    data: {
      fixes: [{ title: 't', edits: [{ range: lineRange(0, start, start + 6), newText: ' ' }] }],
    },
  }));
  assert.equal(fixAllFor(overlapping, 'tab-character')?.edits.length, 1);

  const insertions: RuleDiagnostic[] = [3, 4].map((line) => ({
    code: 'after-immutable', severity: 'error', range: lineRange(line, 0, 5), message: '',
    data: { fixes: [{ title: 'm', edits: [
      { range: lineRange(1, 0, 0), newText: `rule ${line}\n` },
      { range: lineRange(line, 0, 6), newText: '' },
    ] }] },
  }));
  assert.equal(fixAllFor(insertions, 'after-immutable')?.edits.length, 4);
  assert.deepEqual(codeActionsFor(insertions, lineRange(3, 0, 1)).map((a) => a.fixAll ?? false), [
    false, true,
  ]);
});

test('diagnostics without fix data give no action', () => {
  const plain: RuleDiagnostic = {
    code: 'unknown-option', severity: 'error', range: lineRange(0, 0, 2), message: 'x',
  };
  assert.deepEqual(codeActionsFor([plain], lineRange(0, 0, 2)), []);
});
