import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkRulesText } from '../../../server/src/rules/check';
import { ruleIdentity } from '../../../server/src/rules/model';

/** The syscall rule the legacy-watch hint offers for a -w line. */
function offeredRule(line: string): string {
  const hint = checkRulesText(`${line}\n`).diagnostics
    .find((entry) => entry.code === 'legacy-watch');
  assert.ok(hint, line);
  const rule = /the same watch as a rule is "([^"]*)"/.exec(hint.message)?.[1];
  assert.ok(rule, hint.message);
  return rule;
}

test('the offered rule keeps the -p letters and the key of the watch', () => {
  assert.equal(offeredRule('-w /etc/passwd -p wa -k p'),
    '-a always,exit -F path=/etc/passwd -F perm=wa -k p');
  assert.equal(offeredRule('-w /etc/shadow'), '-a always,exit -F path=/etc/shadow -F perm=rwxa');
  assert.equal(offeredRule('-w /etc/ssh/ -p w'), '-a always,exit -F dir=/etc/ssh -F perm=w');
  assert.equal(offeredRule('-w /tmp/a\\ b -p x -k a\\ key'),
    '-a always,exit -F path=/tmp/a\\ b -F perm=x -k a\\ key');
});

test('the offered rule is the same kernel rule as the watch', () => {
  for (const line of ['-w /etc/passwd -p wa -k p', '-w /etc/shadow', '-w /tmp/a\\ b -p x -k k']) {
    const watch = checkRulesText(`${line}\n`).rules[0];
    const rule = checkRulesText(`${offeredRule(line)}\n`).rules[0];
    assert.equal(ruleIdentity(rule), ruleIdentity(watch), line);
  }
});

test('the hint says path= or dir= depends on the loading host when the path has no /', () => {
  const hint = checkRulesText('-w /etc/ssh -p wa\n').diagnostics
    .find((entry) => entry.code === 'legacy-watch')!;
  assert.match(hint.message, /dir= if the path is a directory on the loading host/);
});
