import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText, counts, record, syscallRecord } from './log-helpers';

test('records of one event group by (node, time, serial), interleaved or not', async () => {
  const text = [
    syscallRecord('1700000000.100:10', { exe: '"/usr/bin/a"' }),
    syscallRecord('1700000000.100:11', { exe: '"/usr/bin/b"' }),
    record('CWD', '1700000000.100:10', 'cwd="/"'),
    record('PATH', '1700000000.100:11', 'item=0 name="/etc/hosts" inode=1'),
    record('EOE', '1700000000.100:11', ''),
    record('EOE', '1700000000.100:10', ''),
    // Same serial, other time: another event (serials restart after a boot).
    syscallRecord('1700000099.000:10', { exe: '"/usr/bin/c"' }),
  ].join('\n') + '\n';
  const report = await analyzeText(text);
  assert.equal(report.records, 7);
  assert.equal(report.events, 3);
  assert.deepEqual(counts(report.byExe, (e) => e.exe, (e) => e.events), {
    '/usr/bin/a': 1, '/usr/bin/b': 1, '/usr/bin/c': 1,
  });
});

test('a record that arrives before its SYSCALL still joins the event', async () => {
  const text = [
    record('PATH', '1700000000.100:10', 'item=0 name="/etc/shadow" inode=1'),
    record('CWD', '1700000000.100:10', 'cwd="/root"'),
    syscallRecord('1700000000.100:10', { exe: '"/usr/bin/cat"', key: '"shadow"' }),
  ].join('\n') + '\n';
  const report = await analyzeText(text);
  assert.equal(report.events, 1);
  assert.deepEqual(report.byKey, [{ key: 'shadow', events: 1 }]);
  assert.deepEqual(report.profile.buckets[0].types, ['CWD', 'PATH', 'SYSCALL']);
});

test('the SYSCALL record decides exe and ids over a user-space record of the event', async () => {
  const text = [
    record('LOGIN', '1700000000.100:10',
      'pid=5 uid=0 subj=unconfined old-auid=4294967295 auid=1000 tty=(none) res=1'),
    syscallRecord('1700000000.100:10', { exe: '"/usr/sbin/cron"', auid: '1000', uid: '0' }),
  ].join('\n') + '\n';
  const report = await analyzeText(text);
  assert.equal(report.events, 1);
  assert.deepEqual(report.byExe.map((e) => e.exe), ['/usr/sbin/cron']);
  assert.deepEqual(report.byAuid, [{ id: 1000, events: 1 }]);
});

test('the grouping window is bounded: interleaving deeper than it splits an event', async () => {
  const lines = [syscallRecord('1700000000.100:1', { exe: '"/usr/bin/first"' })];
  for (let serial = 2; serial <= 6; serial++) {
    lines.push(syscallRecord(`1700000000.100:${serial}`, { exe: '"/usr/bin/other"' }));
  }
  lines.push(record('EOE', '1700000000.100:1', ''));
  const text = lines.join('\n') + '\n';

  const wide = await analyzeText(text, { window: 16 });
  assert.equal(wide.events, 6);
  const narrow = await analyzeText(text, { window: 3 });
  // Event 1 was closed when the window overflowed; its late EOE starts a new event.
  assert.equal(narrow.events, 7);
  assert.equal(narrow.eventsWithoutExe, 1);
});

test('serial gaps count lost records; out-of-order serials are not gaps', async () => {
  const text = [10, 11, 14, 12, 13, 20].map((serial) =>
    syscallRecord(`1700000000.${serial}:${serial}`)).join('\n') + '\n';
  const report = await analyzeText(text);
  assert.equal(report.events, 6);
  // 10..20 is 11 serials, 6 were seen: 15..19 are missing.
  assert.equal(report.lostRecords, 5);
  assert.deepEqual(report.serialGaps, [
    { node: null, firstSerial: 10, lastSerial: 20, events: 6, lost: 5 },
  ]);
});

test('DAEMON_START is counted and starts a new serial run (serials restart at boot)', async () => {
  const text = [
    syscallRecord('1700000000.1:5000'),
    syscallRecord('1700000000.2:5001'),
    record('DAEMON_END', '1700000001.0:9001',
      'auditd normal halt, sending auid=0 pid=1 res=success'),
    record('DAEMON_START', '1700000100.0:9002',
      'op=start ver=3.0.9 format=raw kernel=6.1.0 auid=4294967295 pid=300 res=success'),
    syscallRecord('1700000100.5:3'),
    syscallRecord('1700000100.6:5'),
  ].join('\n') + '\n';
  const report = await analyzeText(text);
  assert.equal(report.restarts, 1);
  assert.equal(report.events, 6);
  // auditd's own DAEMON_* serials are not the kernel's: they make no gap. Only 4 is lost.
  assert.equal(report.lostRecords, 1);
});

test('gaps are counted per node', async () => {
  const text = [
    syscallRecord('1700000000.1:1', {}, 'a'),
    syscallRecord('1700000000.1:1', {}, 'b'),
    syscallRecord('1700000000.2:3', {}, 'a'),
    syscallRecord('1700000000.2:2', {}, 'b'),
  ].join('\n') + '\n';
  const report = await analyzeText(text);
  assert.equal(report.events, 4);
  assert.equal(report.lostRecords, 1);
  assert.deepEqual(report.serialGaps.map((gap) => gap.node), ['a']);
});

test('an EOE ends its event, and a user-space message is an event of one record', async () => {
  const text = [
    syscallRecord('1700000000.100:10', { exe: '"/usr/bin/a"' }),
    record('EOE', '1700000000.100:10', ''),
    // Written after the EOE with the same stamp: auparse makes it an event of its own.
    record('PATH', '1700000000.100:10', 'item=0 name="/tmp/x" inode=1'),
    record('USER_LOGIN', '1700000000.200:11',
      "pid=7 uid=0 auid=1000 ses=3 msg='op=login id=1000 exe=\"/usr/sbin/sshd\" res=success'"),
    record('CWD', '1700000000.200:11', 'cwd="/"'),
  ].join('\n') + '\n';
  const report = await analyzeText(text);
  assert.equal(report.records, 5);
  assert.equal(report.events, 4);
  assert.deepEqual(counts(report.byExe, (e) => e.exe, (e) => e.events), {
    '/usr/bin/a': 1, '/usr/sbin/sshd': 1,
  });
});
