import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  execveArguments, parseRecordLine, splitKeys, type ParsedRecord,
} from '../../../server/src/log/scan';
import { analyzeText, counts, hex, record, syscallRecord } from './log-helpers';

const GS = '\x1d';

test('RAW record head: type, time, serial, fields', () => {
  const parsed = parseRecordLine(syscallRecord('1700000000.123:42', { syscall: '59' }));
  assert.ok(parsed);
  assert.equal(parsed.type, 'SYSCALL');
  assert.equal(parsed.seconds, 1700000000);
  assert.equal(parsed.millis, 123);
  assert.equal(parsed.serial, 42);
  assert.equal(parsed.node, undefined);
  assert.equal(parsed.fields.find((f) => f.name === 'syscall')?.value, '59');
});

test('ENRICHED: the part after 0x1D is the interpretation, not fields', () => {
  const line = syscallRecord('1700000000.123:42') +
    `${GS}ARCH=x86_64 SYSCALL=openat AUID="unset" UID="root"`;
  const parsed = parseRecordLine(line);
  assert.ok(parsed);
  assert.equal(parsed.fields.find((f) => f.name === 'key')?.raw, '(null)');
  assert.deepEqual(parsed.interpretation.map((f) => f.name), ['ARCH', 'SYSCALL', 'AUID', 'UID']);
  assert.equal(parsed.fields.some((f) => f.name === 'ARCH'), false);
});

test('ENRICHED separator right after a quoted msg=\'...\' of a user record', async () => {
  const line = record('USER_ACCT', '1700000000.500:7',
    `pid=9 uid=0 auid=1000 ses=3 msg='op=PAM:accounting acct="root" exe="/usr/bin/sudo" ` +
    `hostname=? addr=? terminal=/dev/pts/0 res=success'${GS}UID="root" AUID="alice"`);
  const parsed = parseRecordLine(line);
  assert.ok(parsed);
  assert.equal(parsed.fields.find((f) => f.name === 'res')?.value, 'success');
  assert.equal(parsed.fields.find((f) => f.name === 'exe')?.value, '/usr/bin/sudo');
  assert.deepEqual(parsed.interpretation.map((f) => f.value), ['root', 'alice']);

  const report = await analyzeText(line + '\n');
  assert.equal(report.format, 'enriched');
  assert.deepEqual(report.byExe.map((e) => [e.exe, e.events]), [['/usr/bin/sudo', 1]]);
  assert.deepEqual(report.byAuid, [{ id: 1000, events: 1 }]);
  assert.equal(report.profile.buckets[0].success, true);
});

test('node= prefix, including a node name with a space', async () => {
  const lines = [
    syscallRecord('1700000000.100:10', {}, 'web 01'),
    record('EOE', '1700000000.100:10', '', 'web 01'),
    syscallRecord('1700000000.100:10', {}, 'web01'),
  ];
  assert.equal(parseRecordLine(lines[0])?.node, 'web 01');
  const report = await analyzeText(lines.join('\n') + '\n');
  // Same time and serial on two nodes: two events.
  assert.equal(report.events, 2);
  assert.equal(report.records, 3);
  assert.deepEqual(counts(report.nodes, (n) => n.node, (n) => n.records), {
    'web 01': 2, web01: 1,
  });
});

test('type=UNKNOWN[n] is a record type, named from the tables when they know it', async () => {
  const report = await analyzeText(
    record('UNKNOWN[1338]', '1700000000.100:10', 'op=x') + '\n' +
    record('UNKNOWN[4999]', '1700000000.100:11', 'op=y') + '\n');
  assert.equal(report.records, 2);
  assert.deepEqual(report.byType.find((t) => t.type === 'UNKNOWN[1338]'),
    { type: 'UNKNOWN[1338]', records: 1, knownAs: 'DM_CTRL' });
  assert.deepEqual(report.byType.find((t) => t.type === 'UNKNOWN[4999]'),
    { type: 'UNKNOWN[4999]', records: 1 });
});

test('msg=audit(...) without the colon (DAEMON_CONFIG) still reads', () => {
  const parsed = parseRecordLine(
    'type=DAEMON_CONFIG msg=audit(1490239800.477:34) config changed, auid=0 pid=1512 res=success');
  assert.ok(parsed);
  assert.equal(parsed.serial, 34);
  assert.equal(parsed.fields.find((f) => f.name === 'auid')?.value, '0');
});

test('hex-encoded exe, cwd, name and proctitle decode; quoted digits stay as written', () => {
  const exe = '/opt/my app/bin/run';
  const line = syscallRecord('1700000000.1:5', { exe: hex(exe), comm: '"1234"' });
  const parsed = parseRecordLine(line) as ParsedRecord;
  assert.equal(parsed.fields.find((f) => f.name === 'exe')?.value, exe);
  assert.equal(parsed.fields.find((f) => f.name === 'exe')?.hex, true);
  // comm="1234" is quoted text: an even run of hex digits, but never decoded.
  assert.equal(parsed.fields.find((f) => f.name === 'comm')?.value, '1234');

  const cwd = parseRecordLine(record('CWD', '1700000000.1:5', `cwd=${hex('/tmp/a b c')}`));
  assert.equal(cwd?.fields[0].value, '/tmp/a b c');
  const path = parseRecordLine(record('PATH', '1700000000.1:5',
    `item=0 name=${hex('/etc/new\nline')} inode=5`));
  assert.equal(path?.fields.find((f) => f.name === 'name')?.value, '/etc/new\nline');
  const title = parseRecordLine(record('PROCTITLE', '1700000000.1:5',
    `proctitle=${hex('/bin/sh\0-c\0echo hi')}`));
  assert.deepEqual(title?.fields[0].value.split('\0'), ['/bin/sh', '-c', 'echo hi']);
  // Lower-case hex (seen in laurel's test data) decodes too.
  const lower = parseRecordLine(record('PROCTITLE', '1700000000.1:5', 'proctitle=6162'));
  assert.equal(lower?.fields[0].value, 'ab');
});

test('numbers are not hex-decoded: uid=1000 stays 1000', () => {
  const parsed = parseRecordLine(syscallRecord('1700000000.1:5', { uid: '1000' }));
  assert.equal(parsed?.fields.find((f) => f.name === 'uid')?.value, '1000');
});

test('key: quoted, (null), and several keys joined by 0x01 in hex', async () => {
  assert.deepEqual(splitKeys('(null)'), []);
  assert.deepEqual(splitKeys(undefined), []);
  assert.deepEqual(splitKeys('a\x01b'), ['a', 'b']);

  const report = await analyzeText([
    syscallRecord('1700000000.1:1', { key: '"time-change"' }),
    syscallRecord('1700000000.1:2', { key: hex('time-change\x01ids') }),
    syscallRecord('1700000000.1:3', { key: '(null)' }),
    syscallRecord('1700000000.1:4', { key: '"414243"' }),
  ].join('\n') + '\n');
  assert.deepEqual(counts(report.byKey, (k) => k.key, (k) => k.events), {
    'time-change': 2, ids: 1, '414243': 1,
  });
  assert.equal(report.eventsWithoutKey, 1);
});

test('exe " (deleted)" is normalised and flagged', async () => {
  const report = await analyzeText([
    syscallRecord('1700000000.1:1', { exe: hex('/usr/bin/python3.11 (deleted)') }),
    syscallRecord('1700000000.1:2', { exe: '"/usr/bin/python3.11"' }),
  ].join('\n') + '\n');
  assert.equal(report.byExe.length, 1);
  assert.equal(report.byExe[0].exe, '/usr/bin/python3.11');
  assert.equal(report.byExe[0].events, 2);
  assert.equal(report.byExe[0].deleted, true);
});

test('EXECVE arguments split over records join (aN_len, aN[i])', () => {
  const piece0 = hex('aaaa\u00e9'.slice(0, 4));
  const lines = [
    record('EXECVE', '1700000000.1:9', `argc=3 a0="/bin/echo" a1_len=10 a1[0]=${piece0}`),
    record('EXECVE', '1700000000.1:9', ` a1[1]=${hex('bbbbbb')}`),
    record('EXECVE', '1700000000.1:9', ' a2="last"'),
  ];
  const parsed = lines.map((line) => parseRecordLine(line) as ParsedRecord);
  assert.deepEqual(execveArguments(parsed), ['/bin/echo', 'aaaabbbbbb', 'last']);
});

test('a multibyte character split across EXECVE pieces decodes whole', () => {
  const bytes = Buffer.from('x\u00e9y', 'utf8'); // 78 C3 A9 79: the split falls inside é
  const lines = [
    record('EXECVE', '1700000000.1:9',
      `argc=1 a0_len=4 a0[0]=${bytes.subarray(0, 2).toString('hex').toUpperCase()}`),
    record('EXECVE', '1700000000.1:9', ` a0[1]=${bytes.subarray(2).toString('hex').toUpperCase()}`),
  ];
  const parsed = lines.map((line) => parseRecordLine(line) as ParsedRecord);
  assert.deepEqual(execveArguments(parsed), ['x\u00e9y']);
});

test('lines that are not records are counted, named, and numbered; the run goes on', async () => {
  const lines = [
    '# a comment',
    syscallRecord('1700000000.1:1'),
    'Dec  3 13:30:21 host audispd: node=host type=SYSCALL msg=audit(1.2:3): arch=c000003e',
    'type=SYSCALL msg=audit(12/03/2026 13:30:21.123:4) : arch=x86_64 syscall=openat',
    '----',
    'time->Thu Dec  3 13:30:21 2026',
    'garbage that is no record',
    'type=UNKNOWN[1329] msg=?',
    '\x00\x01\x02\x03binary\xff\xfe',
    '',
    syscallRecord('1700000000.1:2'),
    'type=SYSCALL msg=audit(1700000000.1:3): arch=c000',
  ];
  // The last line has no newline and no complete head: a truncated write.
  const report = await analyzeText(lines.join('\n').slice(0, -20));
  assert.equal(report.records, 2);
  assert.equal(report.events, 2);
  assert.equal(report.skippedLines, 9);
  assert.equal(report.blankLines, 1);
  assert.deepEqual(report.skippedByReason, {
    'comment': 1, 'syslog': 1, 'ausearch-interpreted': 1, 'ausearch-separator': 2,
    'not-audit': 1, 'malformed-record': 1, 'binary': 1, 'truncated': 1,
  });
  assert.deepEqual(report.skippedSamples.map((s) => [s.line, s.reason]), [
    [1, 'comment'], [3, 'syslog'], [4, 'ausearch-interpreted'], [5, 'ausearch-separator'],
    [6, 'ausearch-separator'], [7, 'not-audit'], [8, 'malformed-record'], [9, 'binary'],
    [12, 'truncated'],
  ]);
  assert.match(report.skippedSamples[7].text, /\\x00\\x01/);
});

test('a line of more than 64 MiB is skipped to its end; the lines after it read', async () => {
  const long = Buffer.alloc(70 << 20, 0x78);
  const data = Buffer.concat([
    Buffer.from(syscallRecord('1700000000.1:1') + '\n'), long, Buffer.from('\n'),
    Buffer.from(syscallRecord('1700000000.1:2') + '\n'), long,
  ]);
  const report = await analyzeText(data, { chunkSize: 1 << 20 });
  assert.equal(report.records, 2);
  assert.equal(report.events, 2);
  assert.deepEqual(report.skippedByReason, { 'too-long': 2 });
  assert.deepEqual(report.skippedSamples.map((s) => s.line), [2, 4]);
  assert.equal(report.inputBytes, data.length);
});

test('a stamp no date can hold, or a serial over 32 bits, makes a malformed line', async () => {
  const report = await analyzeText([
    syscallRecord('8640000000001.000:7'),
    syscallRecord('1700000000.1:4294967296'),
    syscallRecord('8640000000000.000:4294967295'),
  ].join('\n') + '\n');
  assert.equal(report.records, 1);
  assert.deepEqual(report.skippedByReason, { 'malformed-record': 2 });
  assert.deepEqual(report.skippedSamples.map((s) => s.line), [1, 2]);
  assert.equal(report.lastTime, '+275760-09-13T00:00:00.000Z');
});

test('a complete last record without a newline is read', async () => {
  const report = await analyzeText(syscallRecord('1700000000.1:1'));
  assert.equal(report.records, 1);
  assert.equal(report.skippedLines, 0);
});

test('interpreted ausearch -i output is recognised as such', async () => {
  const text = [
    '----',
    'type=PROCTITLE msg=audit(04/12/2017 22:48:09.295:58) : proctitle=/usr/bin/python2.7',
    'type=SYSCALL msg=audit(04/12/2017 22:48:09.295:58) : arch=x86_64 syscall=connect ' +
      'success=no exit=EINPROGRESS(Operation now in progress) a0=0x6 items=0 ppid=1 pid=1172 ' +
      'auid=unset uid=root exe=/usr/bin/python2.7 key=(null)',
  ].join('\n') + '\n';
  const report = await analyzeText(text);
  assert.equal(report.records, 0);
  assert.equal(report.format, 'ausearch-interpreted');
  assert.equal(report.skippedByReason['ausearch-interpreted'], 2);
});

test('CRLF line ends and lines split across tiny chunks read the same', async () => {
  const text = [
    syscallRecord('1700000000.1:1', { exe: '"/usr/sbin/named"' }),
    record('PROCTITLE', '1700000000.1:1', `proctitle=${hex('named\0-u\0bind')}`),
    syscallRecord('1700000000.2:2', { exe: '"/usr/sbin/sshd"' }),
  ].join('\r\n') + '\r\n';
  const whole = await analyzeText(text);
  const tiny = await analyzeText(text, { chunkSize: 7 });
  assert.equal(whole.records, 3);
  assert.equal(whole.events, 2);
  assert.deepEqual(tiny.byExe, whole.byExe);
  assert.equal(tiny.bytes, Buffer.byteLength(text));
});
