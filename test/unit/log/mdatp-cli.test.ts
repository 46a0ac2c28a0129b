import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { runCli } from '../cliRun';

const fixtures = join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'mdatp');

const run = (args: string[], stdin?: string) => runCli(args, stdin);

test('mdatp command: ranking, commands and warnings as text', async () => {
  const { status, stdout, stderr } = await run(['mdatp', join(fixtures, 'build-server.json')]);
  assert.equal(status, 0, stderr);
  const lines = stdout.split('\n');
  assert.equal(lines[0], '9 processes, 71,610 files scanned, 7 executable paths');
  assert.equal(lines[3], '      35,190   49.1%  /usr/lib/gcc/x86_64-linux-gnu/12/cc1  [cc1]');
  assert.ok(lines.includes('  mdatp exclusion process add --path /usr/bin/python3.11'));
  // Only the 3 busiest paths with 1% or more get a command; python3.11 is an interpreter.
  assert.equal(lines.filter((l) => l.startsWith('    warning: ')).length, 1);
});

test('mdatp command: JSON, and noise opens the same file', async () => {
  const file = join(fixtures, 'string-counts.json');
  const json = JSON.parse((await run(['mdatp', '--format', 'json', file])).stdout);
  assert.equal(json.totalFilesScanned, 94031);
  assert.equal(json.byPath[0].command,
    "mdatp exclusion process add --path '/opt/build agent/jdk/bin/java'");
  const viaNoise = JSON.parse((await run(['noise', '--format', 'json', file])).stdout);
  assert.deepEqual(viaNoise, json);
});

test('mdatp command: bad input is a message with a position and status 2', async () => {
  const broken = await run(['mdatp', '-'], '{"counters": [\n  {"id": 1,}\n]}');
  assert.equal(broken.status, 2);
  assert.match(broken.stderr, /^auditd-tools mdatp: -:2:12: not valid JSON: /);
  const usage = await run(['mdatp']);
  assert.equal(usage.status, 2);
  assert.match(usage.stderr, /no statistics file given/);
});
