import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { parseNoiseArguments, runNoise } from '../../../server/src/cli/noise';
import { syscallRecord } from './log-helpers';

test('-- ends the options; a single-dash word is an unknown option, - is stdin', () => {
  const parsed = parseNoiseArguments(['--top', '2', '--', '--odd.log', '-x.log']);
  assert.equal(typeof parsed, 'object');
  assert.deepEqual((parsed as { logs: string[] }).logs, ['--odd.log', '-x.log']);
  assert.equal(parseNoiseArguments(['-x', 'a.log']), 'unknown option -x');
  assert.deepEqual((parseNoiseArguments(['-']) as { logs: string[] }).logs, ['-']);
});

test('--max-log-file takes whole megabytes, as auditd.conf does', () => {
  assert.match(String(parseNoiseArguments(['--max-log-file', '0.001', 'a.log'])),
    /--max-log-file takes a whole number of MB/);
  assert.equal((parseNoiseArguments(['--max-log-file', '50', 'a.log']) as
    { maxLogFileMB: number }).maxLogFileMB, 50);
});

test('counts of one are singular in the text output', async () => {
  const log = [syscallRecord('1700000000.0:1', { exe: '"/usr/sbin/named"', syscall: '44' }),
    syscallRecord('1700000001.0:2', { exe: '"/usr/sbin/named"', syscall: '44' }),
    'not a record'].join('\n') + '\n';
  let stdout = '';
  await runNoise(['--suggest', '1', '-'], {
    stdout: (text) => { stdout += text; }, stderr: () => undefined,
    stdin: Readable.from([log]),
  });
  assert.match(stdout, /Skipped 1 line that is not an audit record/);
  assert.match(stdout, /\(1 second\)/);
  assert.doesNotMatch(stdout, /\b1 (events|lines|seconds|rules)\b|\(s\)/);
});
