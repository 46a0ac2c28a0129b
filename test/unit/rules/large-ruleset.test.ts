import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkRulesText } from '../../../server/src/rules/check';
import { checkRuleset } from '../../../server/src/rules/ruleset';

// A generated or concatenated ruleset can hold more rules than V8 takes arguments in one
// call: lists of them must never be spread into a call.
const count = 200_000;

test(`a ruleset of ${count} lines is checked whole`, () => {
  const text = '-w /etc/x\n'.repeat(count);
  const result = checkRuleset([{ file: 'audit.rules', text }], { mode: 'file' });
  const duplicates = result.diagnostics.filter((d) => d.code === 'duplicate-rule');
  assert.equal(duplicates.length, count - 1);
});

test(`a file of ${count} b64 rules without their b32 twins gets a warning on each`, () => {
  const text = '-a always,exit -F arch=b64 -S open -F key=k\n'.repeat(count);
  const twins = checkRulesText(text).diagnostics.filter((d) => d.code === 'missing-b32-twin');
  assert.equal(twins.length, count);
});
