/**
 * The suggestions on the recorded sample (samples/audit.log: named answering a query loop
 * under a hardened ruleset). The expected counts were cross-checked with grep on the log:
 * 2957 SYSCALL records of /usr/sbin/named, 2956 of them not execve; 52 of /usr/bin/dig
 * that are not execve; 474 of /usr/bin/env (all execve).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeLogs } from '../../../server/src/log/analyze';
import { proposeExclusion } from '../../../server/src/log/exclusions';
import { simulateImpact } from '../../../server/src/log/impact';
import { suggestExclusions } from '../../../server/src/log/suggestions';
import { checkRulesText } from '../../../server/src/rules/check';

const sample = join(__dirname, '..', '..', '..', '..', 'samples', 'audit.log');

test('sample log: the busy daemon comes first, execve kept out of its rule', async () => {
  const report = await analyzeLogs([sample], { workers: 0 });
  const { suggestions, combined, refused } = suggestExclusions(report);

  assert.deepEqual(suggestions.map((s) => [s.rule, s.events]), [
    ['-a never,exit -F arch=b64 -S bind,sendmmsg -F exe=/usr/sbin/named -k exclude_named', 2956],
    ['-a never,exit -F arch=b64 -S execve -F exe=/usr/bin/env -k exclude_env', 474],
    ['-a never,exit -F arch=b64 -S bind,connect -F exe=/usr/bin/dig -k exclude_dig', 52],
  ]);
  assert.deepEqual(suggestions[0].warnings, []);
  assert.deepEqual(suggestions[0].notes,
    ['execve is left out: the log keeps a record of each start of /usr/sbin/named']);
  assert.deepEqual(suggestions[1].warnings,
    ['drops execve: program executions by /usr/bin/env would no longer be recorded']);
  assert.deepEqual(refused, []);

  // Every event of the three rules is removed, once.
  assert.equal(combined.events, 2956 + 474 + 52);
  assert.equal(combined.undecidedEvents, 0);
  assert.equal(combined.bytes, suggestions.reduce((sum, s) => sum + s.bytes, 0));
  assert.ok(combined.rotation.minutesPerRotationAfter! >
    combined.rotation.minutesPerRotationBefore! * 5);
});

test('sample log: a key selection names its programs and the rules that log the key', async () => {
  const report = await analyzeLogs([sample], { workers: 0 });
  const rulesFile = join(__dirname, '..', '..', '..', '..', 'samples', 'noise-recording.rules');
  const existing = checkRulesText(readFileSync(rulesFile, 'utf8'),
    { file: 'noise-recording.rules' }).rules;

  const proposal = proposeExclusion({ kind: 'key', key: 'net_ipv4' }, report.profile,
    { existingRules: existing });
  assert.deepEqual(proposal.rules.map((r) => r.text), [
    '-a never,exit -F arch=b64 -S bind,sendmmsg -F exe=/usr/sbin/named -k exclude_named',
    '-a never,exit -F arch=b64 -S bind,connect -F exe=/usr/bin/dig -k exclude_dig',
    '-a never,exit -F arch=b64 -S sendto -F exe=/usr/sbin/auditctl -k exclude_auditctl',
    '-a never,exit -F arch=b64 -S connect -F exe=/usr/bin/python3.11 -k exclude_python3.11',
  ]);
  assert.deepEqual(proposal.warnings.map((w) => w.code), ['audit-program', 'interpreter']);
  assert.deepEqual(proposal.notes, [
    'the rules for /usr/sbin/auditctl also remove 36 event(s) of the same calls logged ' +
      'under other keys',
    ...[12, 13].map((line) => `the rule at noise-recording.rules:${line} logs these events ` +
      'under net_ipv4; removing or narrowing it stops them at the source'),
  ]);

  // Loaded first, the never rules remove every event of those programs with those calls,
  // whatever its key: 3,047 events, more than the key's 3,011, because auditctl's 38
  // sendto events (rule loads, logged under each loaded rule's key) all go.
  const first = simulateImpact(proposal.rules, report.profile, report,
    { existingRules: existing });
  assert.deepEqual(first.perRule.map((r) => r.events), [2956, 52, 38, 1]);
  assert.equal(first.undecidedEvents, 0);

  // Appended after the always rules, their effect hangs on saddr_fam, which the log's
  // profile does not keep: undecided, not claimed.
  const after = simulateImpact(proposal.rules, report.profile, report,
    { existingRules: existing, placement: 'after' });
  assert.equal(after.events, 0);
  assert.equal(after.undecidedEvents, 3047);
});

test('sample log: dropping PROCTITLE records is exact per record type', async () => {
  const report = await analyzeLogs([sample], { workers: 0 });
  const proposal = proposeExclusion({ kind: 'type', type: 'PROCTITLE' }, report.profile);
  assert.deepEqual(proposal.rules.map((r) => r.text), ['-a always,exclude -F msgtype=PROCTITLE']);

  // grep 'type=PROCTITLE ' samples/audit.log | awk '{ n += length($0) + 1 } END { print NR, n }'
  const impact = simulateImpact(proposal.rules, report.profile, report);
  assert.equal(impact.estimated, false);
  assert.equal(impact.records, 3764);
  assert.equal(impact.bytes, 758887);
  assert.equal(impact.events, 0);
});
