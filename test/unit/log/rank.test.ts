import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mergeEventProfiles } from '../../../server/src/log/report';
import { analyzeText, counts, hex, record, syscallRecord } from './log-helpers';

test('syscall names come from the record\'s own arch', async () => {
  const text = [
    syscallRecord('1700000000.1:1', { arch: 'c000003e', syscall: '59' }),
    syscallRecord('1700000000.1:2', { arch: '40000003', syscall: '11' }),
    syscallRecord('1700000000.1:3', { arch: 'c00000b7', syscall: '221' }),
    syscallRecord('1700000000.1:4', { arch: 'c00000b7', syscall: '56' }),
    syscallRecord('1700000000.1:5', { arch: 'c000003e', syscall: '0' }),
    syscallRecord('1700000000.1:6', { arch: 'deadbeef', syscall: '7' }),
    // Numbers past 16 bits stay whole and with their arch (an x32 call has bit 30 set).
    syscallRecord('1700000000.1:7', { arch: 'c000003e', syscall: '99999' }),
    syscallRecord('1700000000.1:8', { arch: 'c000003e', syscall: '1073741825' }),
  ].join('\n') + '\n';
  const report = await analyzeText(text);
  assert.deepEqual(
    counts(report.bySyscall, (s) => `${s.arch} ${s.number}`, (s) => s.name as unknown as number),
    {
      'x86_64 59': 'execve', 'i386 11': 'execve', 'aarch64 221': 'execve',
      'aarch64 56': 'openat', 'x86_64 0': 'read', 'deadbeef 7': undefined,
      'x86_64 99999': undefined, 'x86_64 1073741825': undefined,
    },
  );
  assert.ok(report.bySyscall.every((s) => s.events === 1));
});

test('counts are per event, types per record; bytes per exe are whole events', async () => {
  const lines = [
    syscallRecord('1700000000.1:1', { exe: '"/usr/sbin/named"', syscall: '44' }),
    record('SOCKADDR', '1700000000.1:1', 'saddr=0200003500000000'),
    record('PROCTITLE', '1700000000.1:1', 'proctitle="named"'),
    record('EOE', '1700000000.1:1', ''),
    syscallRecord('1700000000.2:2', { exe: '"/usr/sbin/named"', syscall: '44' }),
    syscallRecord('1700000000.3:3', { exe: '"/usr/sbin/named"', syscall: '45' }),
    syscallRecord('1700000000.4:4', { exe: '"/usr/bin/cat"', syscall: '0', uid: '1000',
      auid: '1000' }),
  ];
  const text = lines.join('\n') + '\n';
  const report = await analyzeText(text);

  assert.equal(report.records, 7);
  assert.equal(report.events, 4);
  assert.equal(report.bytes, Buffer.byteLength(text));
  const namedBytes = lines.slice(0, 6).reduce((sum, line) => sum + line.length + 1, 0);
  assert.deepEqual(report.byExe, [
    { exe: '/usr/sbin/named', events: 3, bytes: namedBytes, deleted: false },
    { exe: '/usr/bin/cat', events: 1, bytes: lines[6].length + 1, deleted: false },
  ]);
  assert.deepEqual(counts(report.byType, (t) => t.type, (t) => t.records), {
    SYSCALL: 4, SOCKADDR: 1, PROCTITLE: 1, EOE: 1,
  });
  assert.deepEqual(report.byExeSyscall.map((r) => [r.exe, r.name, r.events]), [
    ['/usr/sbin/named', 'sendto', 2],
    ['/usr/bin/cat', 'read', 1],
    ['/usr/sbin/named', 'recvfrom', 1],
  ]);
  assert.deepEqual(report.byUid, [{ id: 0, events: 3 }, { id: 1000, events: 1 }]);
  assert.deepEqual(report.byAuid, [{ id: 4294967295, events: 3 }, { id: 1000, events: 1 }]);

  // Per record type, inside the profile: what an exclude-list rule would remove.
  const sendto = report.profile.buckets.find((b) => b.syscall === 44 && b.types.length > 1);
  assert.equal(sendto?.events, 1);
  assert.deepEqual(sendto?.types, ['EOE', 'PROCTITLE', 'SOCKADDR', 'SYSCALL']);
  assert.deepEqual(sendto?.recordsByType, {
    EOE: { records: 1, bytes: lines[3].length + 1 },
    PROCTITLE: { records: 1, bytes: lines[2].length + 1 },
    SOCKADDR: { records: 1, bytes: lines[1].length + 1 },
    SYSCALL: { records: 1, bytes: lines[0].length + 1 },
  });
});

test('time span, events per minute and the rotation forecast', async () => {
  // 6 events of 1000 bytes each over 5 minutes: 1200 bytes a minute.
  const lines: string[] = [];
  for (let i = 0; i < 6; i++) {
    const line = syscallRecord(`${1700000040 + i * 60}.000:${i + 1}`);
    lines.push(line + ' '.repeat(999 - line.length));
  }
  const report = await analyzeText(lines.join('\n') + '\n', { maxLogFileMB: 1 });
  assert.equal(report.firstTime, '2023-11-14T22:14:00.000Z');
  assert.equal(report.lastTime, '2023-11-14T22:19:00.000Z');
  assert.equal(report.spanSeconds, 300);
  assert.deepEqual(report.perMinute.map((m) => [m.minute.slice(11, 16), m.events, m.bytes]), [
    ['22:14', 1, 1000], ['22:15', 1, 1000], ['22:16', 1, 1000], ['22:17', 1, 1000],
    ['22:18', 1, 1000], ['22:19', 1, 1000],
  ]);
  assert.equal(report.rotation.maxLogFileMB, 1);
  assert.equal(report.rotation.bytesPerMinute, 1200);
  assert.equal(report.rotation.minutesPerRotation, 1048576 / 1200);
});

test('an empty log reports nothing and does not divide by zero', async () => {
  const report = await analyzeText('');
  assert.equal(report.events, 0);
  assert.equal(report.firstTime, null);
  assert.equal(report.format, 'empty');
  assert.equal(report.rotation.minutesPerRotation, null);
  assert.equal((await analyzeText('\n\n')).format, 'empty');
});

test('lines but no audit record: the format says not-audit, not empty', async () => {
  const report = await analyzeText('-w /etc/shadow -p wa -k shadow\nhello\n');
  assert.equal(report.records, 0);
  assert.equal(report.skippedLines, 2);
  assert.equal(report.format, 'not-audit');
});

test('profile buckets hold what rules match, not pid or time; they merge', async () => {
  const text = [
    syscallRecord('1700000000.1:1', { pid: '10', exit: '-13', success: 'no', key: '"k"' }),
    syscallRecord('1700000001.1:2', { pid: '11', exit: '-13', success: 'no', key: '"k"' }),
    syscallRecord('1700000002.1:3', { pid: '12', exit: '812', success: 'yes' }),
    syscallRecord('1700000003.1:4', { pid: '13', exit: '4096', success: 'yes' }),
  ].join('\n') + '\n';
  const report = await analyzeText(text);
  const buckets = report.profile.buckets;
  assert.equal(buckets.length, 2);
  assert.deepEqual(buckets.map((b) => [b.events, b.success, b.exit, b.exitPositive, b.keys]), [
    [2, false, -13, false, ['k']],
    [2, true, null, true, []],
  ]);
  assert.equal(buckets[0].machine, 'x86_64');
  assert.equal(buckets[0].arch, 0xc000003e);
  assert.equal(buckets[0].syscall, 257);
  assert.equal(buckets[0].exe, '/usr/sbin/named');

  const merged = mergeEventProfiles([report.profile, report.profile]);
  assert.deepEqual(merged.buckets.map((b) => b.events), [4, 4]);
});

test('etcWrite: events that change a path under /etc', async () => {
  const path = (stamp: string, name: string, nametype = 'NORMAL') =>
    record('PATH', stamp, `item=0 name=${name} inode=5 dev=08:01 mode=0100644 ouid=0 ogid=0 ` +
      `rdev=00:00 nametype=${nametype} cap_fp=0`);
  const text = [
    // openat(..., O_WRONLY|O_CREAT|O_TRUNC) of /etc/hosts
    syscallRecord('1700000000.1:1', { syscall: '257', a2: '241', exe: '"/usr/bin/w1"' }),
    path('1700000000.1:1', '"/etc/hosts"'),
    // openat read-only of /etc/hosts
    syscallRecord('1700000000.1:2', { syscall: '257', a2: '0', exe: '"/usr/bin/r1"' }),
    path('1700000000.1:2', '"/etc/hosts"'),
    // unlink("/etc/old")
    syscallRecord('1700000000.1:3', { syscall: '87', exe: '"/usr/bin/w2"' }),
    path('1700000000.1:3', '"/etc/old"', 'DELETE'),
    // openat for writing, but not under /etc ("/etcetera" is not /etc)
    syscallRecord('1700000000.1:4', { syscall: '257', a2: '241', exe: '"/usr/bin/r2"' }),
    path('1700000000.1:4', '"/etcetera/x"'),
    // a hex-encoded name under /etc, created (nametype=CREATE) by a syscall not in the list
    syscallRecord('1700000000.1:5', { syscall: '9999', exe: '"/usr/bin/w3"' }),
    path('1700000000.1:5', hex('/etc/new file'), 'CREATE'),
  ].join('\n') + '\n';
  const report = await analyzeText(text);
  const flagged = Object.fromEntries(
    report.profile.buckets.map((bucket) => [bucket.exe, bucket.etcWrite]));
  assert.deepEqual(flagged, {
    '/usr/bin/w1': true, '/usr/bin/r1': false, '/usr/bin/w2': true, '/usr/bin/r2': false,
    '/usr/bin/w3': true,
  });
});
