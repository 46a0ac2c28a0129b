import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkRulesText } from '../../../server/src/rules/check';
import { FixData } from '../../../server/src/rules/codes';
import { fixAllFor } from '../../../server/src/rules/fixes';
import { ruleIdentity } from '../../../server/src/rules/model';

/** The rewrites the legacy-watch hint offers for a -w line, as the line's new text. */
function offeredRules(line: string): { rule: string; preferred: boolean }[] {
  const hint = checkRulesText(`${line}\n`).diagnostics
    .find((entry) => entry.code === 'legacy-watch');
  assert.ok(hint, line);
  const data = hint.data as FixData | undefined;
  if (!data) return [];
  return data.fixes.map((fix) => {
    assert.equal(fix.edits.length, 1);
    const { range, newText } = fix.edits[0];
    assert.equal(range.start.line, 0);
    const rule = line.slice(0, range.start.character) + newText + line.slice(range.end.character);
    assert.ok(fix.title.endsWith(rule), fix.title);
    return { rule, preferred: fix.preferred === true };
  });
}

test('the hint is short, and says what auditctl 4.2 prints', () => {
  const hint = checkRulesText('-w /etc/passwd -p wa -k identity\n').diagnostics[0];
  assert.equal(hint.code, 'legacy-watch');
  assert.ok(hint.message.length < 140, hint.message);
  assert.match(hint.message, /auditctl: "Old style watch rules are slower"$/);
});

test('the rewrite keeps the -p letters and the key of the watch', () => {
  assert.deepEqual(offeredRules('-w /etc/passwd -p wa -k p').map((each) => each.rule), [
    '-a always,exit -F path=/etc/passwd -F perm=wa -k p',
    '-a always,exit -F dir=/etc/passwd -F perm=wa -k p',
  ]);
  assert.equal(offeredRules('-w /etc/shadow')[0].rule,
    '-a always,exit -F path=/etc/shadow -F perm=rwxa');
  assert.equal(offeredRules('-w /tmp/a\\ b -p x -k a\\ key')[0].rule,
    '-a always,exit -F path=/tmp/a\\ b -F perm=x -k a\\ key');
});

test('a path with a trailing / is a directory: one rewrite, not preferred', () => {
  // A -w on a directory missing on the loading host still loads; dir= then fails.
  assert.deepEqual(offeredRules('-w /etc/ssh/ -p w'),
    [{ rule: '-a always,exit -F dir=/etc/ssh -F perm=w', preferred: false }]);
});

test('a path without one may be a file or a directory: both, neither preferred', () => {
  const offered = offeredRules('-w /etc/ssh -p wa');
  assert.deepEqual(offered.map((each) => each.preferred), [false, false]);
  assert.match(offered[0].rule, / -F path=\/etc\/ssh /);
  assert.match(offered[1].rule, / -F dir=\/etc\/ssh /);
});

test('the rewrite is the same kernel rule as the watch', () => {
  for (const line of ['-w /etc/passwd -p wa -k p', '-w /etc/shadow', '-w /tmp/a\\ b -p x -k k',
    '-w /etc/ssh/ -p w -k k']) {
    const watch = checkRulesText(`${line}\n`).rules[0];
    const rule = checkRulesText(`${offeredRules(line)[0].rule}\n`).rules[0];
    assert.equal(ruleIdentity(rule), ruleIdentity(watch), line);
  }
});

test('a watch line with other options is offered no rewrite that would drop them', () => {
  assert.deepEqual(offeredRules('-w /etc/passwd -p wa -F arch=b64 -k p'), []);
});

test('a watch line with an error of its own is offered no rewrite', () => {
  // A bad -p would be carried into perm=; the words of an inline comment would be dropped.
  assert.deepEqual(offeredRules('-w /etc/pp/ -p ""'), []);
  assert.deepEqual(offeredRules('-w /etc/cron.d/ -p wa -k cron # trailing comment'), []);
  assert.deepEqual(offeredRules('-w /etc/pp/ -p wq'), []);
});

test('a path auditctl would split at an operator inside it is offered no rewrite', () => {
  for (const path of ['/tmp/a!=b/', '/tmp/x&=y/', '/tmp/a>=b', '/tmp/a<=b']) {
    const line = `-w ${path} -p wa -k k`;
    assert.deepEqual(offeredRules(line), [], line);
    // What the rewrite would have been: auditctl reads another field from it.
    const rewrite = `-a always,exit -F path=${path.replace(/\/$/, '')} -F perm=wa -k k\n`;
    assert.ok(checkRulesText(rewrite).diagnostics.some((d) => d.code === 'unknown-field'));
  }
  // A plain "=", "<" or ">" comes after the "=" of path=, and is kept in the value.
  assert.equal(offeredRules('-w /tmp/a=b<c>d -p wa')[0].rule,
    '-a always,exit -F path=/tmp/a=b<c>d -F perm=wa');
});

test('auditctl 3.0.9 prints nothing for a watch, and neither does the check', () => {
  const codes = checkRulesText('-w /etc/passwd -p wa\n', { auditVersion: '3.0.9' }).diagnostics
    .map((entry) => entry.code);
  assert.equal(codes.includes('legacy-watch'), false);
});

test('"fix all" never rewrites watches: each rewrite depends on the loading host', () => {
  const text = '-w /etc/ssh/ -p wa\n-w /etc/sudoers.d -p wa\n-w /var/log/audit/ -p wa\n';
  const diagnostics = checkRulesText(text).diagnostics;
  assert.equal(diagnostics.filter((each) => each.code === 'legacy-watch').length, 3);
  assert.equal(fixAllFor(diagnostics, 'legacy-watch'), undefined);
});

test('a line inserted above keeps the rewrites, on the moved line', () => {
  const before = checkRulesText('-w /etc/sudoers.d -p wa\n');
  const after = checkRulesText('# new\n-w /etc/sudoers.d -p wa\n', { previous: before });
  const hint = after.diagnostics.find((entry) => entry.code === 'legacy-watch');
  const data = hint?.data as FixData | undefined;
  assert.equal(data?.alone, true);
  assert.deepEqual(data.fixes.map((fix) => fix.edits[0].range.start.line), [1, 1]);
});
