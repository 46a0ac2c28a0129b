import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkRulesText } from '../../../server/src/rules/check';
import { kernelIdentity } from '../../../server/src/rules/checks/ruleset';
import { identityText } from '../../../server/src/rules/identityText';
import { ruleIdentity, type RuleModel } from '../../../server/src/rules/model';

/** The rule of a one-line text, checked as auditctl 4.2 on x86_64 would load it. */
function ruleOf(line: string): RuleModel {
  const [rule] = checkRulesText(`${line}\n`).rules;
  assert.ok(rule, line);
  return rule;
}

/** The same rule with its path value replaced (a value no rules file can spell today). */
function withPath(rule: RuleModel, path: string): RuleModel {
  return {
    ...rule,
    fields: rule.fields.map((field) => field.field === 'path'
      ? { ...field, value: path, raw: path } : field),
  };
}

test('a NUL inside a value never makes two different rules one identity', () => {
  const two = ruleOf('-a always,exit -F arch=b64 -S open -F path=/a -F uid=0 -k x');
  const one = ruleOf('-a always,exit -F arch=b64 -S open -F path=/a -k x');
  const fused = withPath(one, '/a\u0000uid=0');

  assert.notEqual(ruleIdentity(fused), ruleIdentity(two));
  assert.notEqual(kernelIdentity(fused), kernelIdentity(two));
});

test('identityText: different lists of parts never join to the same text', () => {
  // An identity always starts with the operation, so lists are never empty.
  const part = fc.string({ unit: fc.constantFrom('a', '\\', '0', '\u0000', '=') });
  const parts = fc.array(part, { minLength: 1, maxLength: 4 });
  fc.assert(fc.property(parts, parts,
    (left, right) => {
      const same = JSON.stringify(left) === JSON.stringify(right);
      return same === (identityText(left) === identityText(right));
    }), { numRuns: 5_000 });
});

test('identityText keeps ordinary parts as they are, joined with NUL', () => {
  assert.equal(identityText(['append', 'exit', 'always', '2', 'path=/etc/passwd']),
    'append\u0000exit\u0000always\u00002\u0000path=/etc/passwd');
});

test('the same rule written twice is still a duplicate, also with a backslash in a value', () => {
  const text = '-a always,exit -F arch=b64 -S open -F path=/a\\\\b -k x\n'.repeat(2);
  const codes = checkRulesText(text).diagnostics.map((entry) => entry.code);
  assert.ok(codes.includes('duplicate-rule'), codes.join(', '));
});
