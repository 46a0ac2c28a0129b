import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkRulesText } from '../../../server/src/rules/check';
import type { FixData } from '../../../server/src/rules/codes';
import { applyEdits } from '../../protocol/lspClient';
import { expectOne } from './check-helpers';

const rule = (value: string) => `-a always,exit -F arch=b64 -S open -F exit=${value} -k x`;

// Recorded with auditctl 3.0.9 and kernel 6.18 under the shim (record-auditctl-verdicts.mjs
// --run-lines): the second line of each pair fails with "Rule exists" exactly when listed.
const recorded: [string, string, boolean][] = [
  ['EACCES', '13', true],
  ['EACCES', '-13', false],
  ['EACCES', '-EACCES', false],
  ['-EACCES', '-13', true],
];

test('exit=EACCES is +13, as libaudit reads it: duplicates as the kernel finds them', () => {
  for (const [first, second, duplicate] of recorded) {
    const codes = checkRulesText(`${rule(first)}\n${rule(second)}\n`).diagnostics
      .map((entry) => entry.code);
    assert.equal(codes.includes('duplicate-rule'), duplicate, `${first} vs ${second}`);
  }
});

test('an errno name without - is a warning with a fix that adds the -', () => {
  const line = rule('EACCES');
  const found = expectOne(line, { code: 'errno-without-minus', severity: 'warning',
    range: [43, 49] });
  assert.match(found.message, /compares with \+13/);
  const [fix] = (found.data as FixData).fixes;
  assert.equal(applyEdits(line, fix.edits), rule('-EACCES'));
  const fixed = checkRulesText(`${rule('-EACCES')}\n`).diagnostics.map((entry) => entry.code);
  assert.ok(!fixed.includes('errno-without-minus'));
});
