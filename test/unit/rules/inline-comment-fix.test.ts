import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkRulesText } from '../../../server/src/rules/check';
import type { FixData } from '../../../server/src/rules/codes';
import { applyEdits } from '../../protocol/lspClient';

/** The text after the preferred fix of the first diagnostic with `code`. */
function fixed(text: string, code: string): string {
  const found = checkRulesText(text).diagnostics.find((entry) => entry.code === code);
  assert.ok(found, `no ${code} in ${JSON.stringify(text)}`);
  const fix = (found.data as FixData).fixes.find((option) => option.preferred)!;
  return applyEdits(text, fix.edits);
}

test('moving an inline comment keeps it, on its own line above the rule', () => {
  assert.equal(fixed('-w /etc/passwd -p wa -k p # inline\n', 'inline-comment'),
    '# inline\n-w /etc/passwd -p wa -k p\n');
  assert.equal(fixed('-D\n-w /etc/shadow -p wa  #  two  words\r\n', 'inline-comment'),
    '-D\n#  two  words\n-w /etc/shadow -p wa\r\n');
});
