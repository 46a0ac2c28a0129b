/**
 * The suggestions on the recorded sample (samples/audit.log: named answering a query loop
 * under a hardened ruleset). The expected counts were cross-checked with grep on the log:
 * 2957 SYSCALL records of /usr/sbin/named, 2956 of them not execve; 52 of /usr/bin/dig
 * that are not execve; 474 of /usr/bin/env (all execve).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { analyzeLogs } from '../../../server/src/log/analyze';
import { suggestExclusions } from '../../../server/src/log/suggestions';

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
