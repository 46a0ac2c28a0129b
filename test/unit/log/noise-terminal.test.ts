import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { runNoise } from '../../../server/src/cli/noise';
import { syscallRecord } from './log-helpers';

async function run(args: string[], stdin: string) {
  let stdout = '';
  const status = await runNoise(args, {
    stdout: (text) => { stdout += text; },
    stderr: () => undefined,
    stdin: Readable.from([stdin]),
  });
  return { status, stdout };
}

const hex = (text: string) => Buffer.from(text, 'latin1').toString('hex').toUpperCase();

// The kernel logs a name with control bytes hex-encoded; the reader decodes it.
const title = '/tmp/\x1b]0;PWNED\x07\x1b[2Jevil';
const newline = '/tmp/fake\nline';
const hostileLog = [
  ...[1, 2, 3].map((i) => syscallRecord(`1700000000.00${i}:10${i}`,
    { exe: hex(title), syscall: '59', key: hex('k\x1b[31m') })),
  syscallRecord('1700000000.004:104', { exe: hex(newline), syscall: '2' }),
  'not a record \x1b[2J line',
].join('\n') + '\n';

/** Bytes a terminal acts on, newline excepted (it ends the output's own lines). */
const acting = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/;

test('text output: control bytes of executables, keys and lines are escaped', async () => {
  for (const by of [[], ['--by', 'exe-syscall'], ['--by', 'key']]) {
    const { status, stdout } = await run([...by, '--suggest', '5', '-'], hostileLog);
    assert.equal(status, 0);
    assert.doesNotMatch(stdout, acting, by.join(' '));
  }

  const { stdout } = await run(['-'], hostileLog);
  assert.match(stdout, /\/tmp\/\\x1b\]0;PWNED\\x07\\x1b\[2Jevil/);
  assert.match(stdout, /k\\x1b\[31m/);
  // A newline inside a value does not start a line of its own.
  assert.match(stdout, /\/tmp\/fake\\x0aline/);
  assert.doesNotMatch(stdout, /^line/m);
});

test('JSON output keeps the values exact (JSON escapes them itself)', async () => {
  const { stdout } = await run(['--format', 'json', '-'], hostileLog);
  assert.doesNotMatch(stdout, acting);
  const report = JSON.parse(stdout);
  assert.ok(report.byExe.some((row: { exe: string }) => row.exe === title));
});

test('events that name no executable are counted under the executables', async () => {
  const log = [
    syscallRecord('1700000000.001:1', { exe: '(null)', comm: '"kworker/0:1"' }),
    syscallRecord('1700000000.002:2', { exe: '(null)', comm: '"kworker/0:1"' }),
    syscallRecord('1700000000.003:3', { exe: '"/usr/bin/cat"' }),
  ].join('\n') + '\n';
  const { status, stdout } = await run(['--by', 'exe', '-'], log);
  assert.equal(status, 0);
  assert.match(stdout, /^ +1 +33\.3% .* \/usr\/bin\/cat$/m);
  assert.match(stdout,
    /^ {2}not ranked: 2 events \(66\.7%\) that name no executable \(exe=\(null\)/m);

  // With none that names one, the table says so instead of standing empty.
  const none = await run(['--by', 'exe', '-'], log.split('\n').slice(0, 2).join('\n') + '\n');
  assert.match(none.stdout,
    /^Executables \(events; log bytes\)\n {2}no event names an executable\n/m);
  assert.doesNotMatch(none.stdout, /not ranked/);

  // A log of user-space messages only: no syscall table, a line that says why.
  const userOnly = 'type=USER_LOGIN msg=audit(1700000000.001:1): pid=1 uid=0 auid=0 ses=1 ' +
    'msg=\'op=login acct="root" exe="/usr/sbin/sshd" res=success\'\n';
  const users = await run(['--by', 'syscall', '-'], userOnly);
  assert.equal(users.status, 0);
  assert.match(users.stdout, /^Syscalls \(events\)\n {2}no event carries a syscall\n/m);
});
