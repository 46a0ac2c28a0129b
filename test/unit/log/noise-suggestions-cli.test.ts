/** The noise command's suggestions on the recorded sample, with and without --rules. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { runCli } from '../cliRun';

const samples = join(__dirname, '..', '..', '..', '..', 'samples');

const run = (args: string[]) => runCli(args);

test('noise --format json: suggestions with their detail and the combined impact', async () => {
  const plain = await run(['noise', '--format', 'json', join(samples, 'audit.log')]);
  assert.equal(plain.status, 0, plain.stderr);
  const report = JSON.parse(plain.stdout);
  assert.deepEqual(report.suggestions.map((s: { rule: string; events: number }) =>
    [s.rule, s.events]), [
    ['-a never,exit -F arch=b64 -S bind,sendmmsg -F exe=/usr/sbin/named -k exclude_named', 2956],
    ['-a never,exit -F arch=b64 -S execve -F exe=/usr/bin/env -k exclude_env', 474],
    ['-a never,exit -F arch=b64 -S bind,connect -F exe=/usr/bin/dig -k exclude_dig', 52],
  ]);
  for (const suggestion of report.suggestions) {
    assert.deepEqual(Object.keys(suggestion).slice(0, 4), ['rule', 'events', 'bytes',
      'warnings']);
  }
  assert.equal(report.suggestionImpact.events, 3482);
  assert.equal(report.suggestionImpact.undecidedEvents, 0);
  assert.ok(report.suggestionImpact.rotation.minutesPerRotationAfter > 9);

  // With the ruleset the sample was recorded under (the exclusions loaded first), the
  // never rules decide before any always rule: the same events go.
  const withRules = await run(['noise', '--format', 'json', '--rules',
    join(samples, 'noise-recording.rules'), join(samples, 'audit.log')]);
  assert.equal(withRules.status, 0, withRules.stderr);
  assert.deepEqual(JSON.parse(withRules.stdout).suggestionImpact, report.suggestionImpact);
});

test('noise text: the suggestions, their notes and the new rotation interval', async () => {
  const { status, stdout } = await run(['noise', join(samples, 'audit.log')]);
  assert.equal(status, 0);
  const tail = stdout.slice(stdout.indexOf('Suggested exclusions'));
  const lines = tail.split('\n');
  for (const expected of [
    '    -a never,exit -F arch=b64 -S bind,sendmmsg -F exe=/usr/sbin/named -k exclude_named',
    '    note: execve is left out: the log keeps a record of each start of /usr/sbin/named',
    '    warning: drops execve: program executions by /usr/bin/env would no longer be recorded',
    'All suggestions together remove 3,482 events (92.5%) and 2.9 MiB (88.5%)',
    '  the log would rotate every 9.2 minutes instead of every 1.1 minutes',
  ]) {
    assert.ok(lines.includes(expected), expected);
  }
});
