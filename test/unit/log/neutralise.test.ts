/**
 * scripts/neutralise-audit-log.mjs, which the sample recorder runs: host, user and address
 * replaced consistently in plain, quoted, ENRICHED, hex-encoded and sockaddr forms.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const script = join(__dirname, '..', '..', '..', '..', 'scripts', 'neutralise-audit-log.mjs');
const hex = (text: string) => Buffer.from(text, 'latin1').toString('hex').toUpperCase();
const unhex = (text: string) => Buffer.from(text, 'hex').toString('latin1');

test('host, user and addresses are replaced the same way everywhere', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'neutralise-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const input = [
    'node=buildhost01 type=SYSCALL msg=audit(1700000000.100:10): arch=c000003e syscall=42 ' +
      'success=yes exit=0 auid=1000 uid=1000 comm="curl" exe="/usr/bin/curl" key="net"' +
      '\x1dAUID="alice" UID="alice"',
    'node=buildhost01 type=SOCKADDR msg=audit(1700000000.100:10): ' +
      'saddr=020000500A010203000000000000000000\x1dSADDR={ saddr_fam=inet laddr=10.1.2.3 ' +
      'lport=80 }',
    'node=buildhost01 type=SOCKADDR msg=audit(1700000000.100:11): ' +
      'saddr=0A000050000000002001067C12340000000000000000000100000000\x1dSADDR={ ' +
      'saddr_fam=inet6 laddr=2001:67c:1234::1 lport=80 }',
    'node=buildhost01 type=PROCTITLE msg=audit(1700000000.100:10): proctitle=' +
      hex('curl\0http://buildhost01.corp:8080/alice/x\0--resolve\x0010.1.2.3'),
    "node=buildhost01 type=USER_LOGIN msg=audit(1700000000.200:12): pid=5 uid=0 auid=1000 " +
      "msg='op=login acct=\"alice\" exe=\"/usr/sbin/sshd\" hostname=buildhost01 " +
      "addr=198.51.100.7 terminal=ssh res=success'",
    'type=SYSCALL msg=audit(1700000000.300:13): arch=c000003e syscall=59 ' +
      'exe="/usr/bin/vmstat" cwd="/home/alicex" key=(null) a0="127.0.0.1"',
    '',
  ].join('\n');
  writeFileSync(join(dir, 'in.log'), input);

  const run = spawnSync(process.execPath, [script, join(dir, 'in.log'), join(dir, 'out.log'),
    '--alias', 'buildhost01', '--alias', 'buildhost01.corp', '--user', 'alice'],
  { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  const lines = readFileSync(join(dir, 'out.log'), 'latin1').split('\n');

  assert.ok(lines.slice(0, 5).every((line) => line.startsWith('node=sample-host ')));
  assert.match(lines[0], /\x1dAUID="user1" UID="user1"$/);
  assert.match(lines[1],
    /saddr=02000050C000020A0{18}\x1dSADDR=\{ saddr_fam=inet laddr=192\.0\.2\.10 /);
  assert.match(lines[2], /saddr=0A0000500000000020010DB80{22}100{8}\x1d.*laddr=2001:db8::10 /);
  const proctitle = unhex(/proctitle=([0-9A-F]+)/.exec(lines[3])![1]);
  assert.equal(proctitle, 'curl\0http://sample-host:8080/user1/x\0--resolve\x00192.0.2.10');
  assert.match(lines[4], /acct="user1" .* hostname=sample-host addr=192\.0\.2\.11 /);
  // Words that merely contain a name are left alone; loopback stays.
  assert.equal(lines[5], input.split('\n')[5]);
});
