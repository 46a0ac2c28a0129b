import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { noiseUsage, parseNoiseArguments, runNoise } from '../../../server/src/cli/noise';
import { syscallRecord } from './log-helpers';

async function run(args: string[], stdin: string) {
  let stdout = '';
  let stderr = '';
  const status = await runNoise(args, {
    stdout: (text) => { stdout += text; },
    stderr: (text) => { stderr += text; },
    stdin: Readable.from([stdin]),
  });
  return { status, stdout, stderr };
}

/** Five programs, each with a few sendto events: five candidates for a suggestion. */
const fiveProgramsLog = ['alpha', 'bravo', 'charlie', 'delta', 'echo'].flatMap((name, p) =>
  Array.from({ length: 5 - p }, (_, i) => syscallRecord(`1700000000.${p}${i}:${p * 10 + i + 1}`,
    { exe: `"/usr/bin/${name}"`, syscall: '44' }))).join('\n') + '\n';

test('three suggestions by default, and --help says so', async () => {
  const { status, stdout } = await run(['--format', 'json', '-'], fiveProgramsLog);
  assert.equal(status, 0);
  assert.equal(JSON.parse(stdout).suggestions.length, 3);
  assert.match(noiseUsage, /--suggest N/);
  assert.match(noiseUsage, /default 3/);
});

test('--suggest N sets how many programs get a suggestion', async () => {
  const five = await run(['--format', 'json', '--suggest', '5', '-'], fiveProgramsLog);
  assert.equal(five.status, 0, five.stderr);
  assert.deepEqual(JSON.parse(five.stdout).suggestions.map(
    (s: { rule: string }) => /exe=(\S+)/.exec(s.rule)![1]),
  ['/usr/bin/alpha', '/usr/bin/bravo', '/usr/bin/charlie', '/usr/bin/delta', '/usr/bin/echo']);

  const one = await run(['--suggest=1', '-'], fiveProgramsLog);
  assert.equal(one.stdout.match(/^ {2}removes /gm)?.length, 1);

  const none = await run(['--format', 'json', '--suggest', '0', '-'], fiveProgramsLog);
  assert.equal(JSON.parse(none.stdout).suggestions.length, 0);
});

test('--suggest refuses what is not a whole number', () => {
  assert.match(String(parseNoiseArguments(['--suggest', 'x', 'a.log'])), /--suggest takes/);
  assert.match(String(parseNoiseArguments(['--suggest', '-1', 'a.log'])), /--suggest takes/);
  assert.match(String(parseNoiseArguments(['--suggest'])), /--suggest takes/);
});
