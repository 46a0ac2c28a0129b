import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkRulesText } from '../../../server/src/rules/check';
import type { FixData } from '../../../server/src/rules/codes';
import { applyEdits } from '../../protocol/lspClient';

/** Codes of the errors on line 1 of the text. */
function lineOneErrors(text: string): string[] {
  return checkRulesText(text).diagnostics
    .filter((entry) => entry.severity === 'error' && entry.range.start.line === 0)
    .map((entry) => entry.code);
}

test('a BOM before -D is one byte-order-mark error, not no-option and stray-parameter', () => {
  const text = '\ufeff-D\n-w /etc/passwd -p wa -k p\n';
  const errors = lineOneErrors(text).filter((code) => code !== 'load-stops');
  assert.deepEqual(errors, ['byte-order-mark']);

  const found = checkRulesText(text).diagnostics
    .find((entry) => entry.code === 'byte-order-mark')!;
  const [fix] = (found.data as FixData).fixes;
  assert.equal(applyEdits(text, fix.edits), '-D\n-w /etc/passwd -p wa -k p\n');
  assert.deepEqual(checkRulesText(applyEdits(text, fix.edits)).diagnostics
    .filter((entry) => entry.severity === 'error'), []);
});

test('a BOM before a comment: one error, not one per word of the comment', () => {
  const errors = lineOneErrors('\ufeff# audit rules for the web servers\n-D\n');
  assert.deepEqual(errors.filter((code) => code !== 'load-stops'), ['byte-order-mark']);
});

test('the line still fails, as auditctl fails it', () => {
  const result = checkRulesText('\ufeff-D\n');
  assert.ok(result.diagnostics.some((entry) => entry.severity === 'error'));
});

test('a BOM-like character later in a file is not this error', () => {
  assert.deepEqual(lineOneErrors('-D\n\ufeff-D\n'), []);
});
