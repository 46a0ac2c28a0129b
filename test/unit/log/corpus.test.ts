// Every log of ../shared/corpus/logs with its counts, worked out by reading the files:
// records are the lines with a raw record head, events the distinct (node, time, serial),
// exe/key/syscall counts per event (from the SYSCALL record, else the first record with the
// field), lost serials per node between auditd starts (DAEMON_* records use auditd's own
// counter and are left out).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { analyzeLogs } from '../../../server/src/log/analyze';
import { corpusLogs, counts, hasCorpus } from './log-helpers';

interface Expected {
  records: number;
  events: number;
  skipped: number;
  blank: number;
  lost: number;
  restarts?: number;
  format: string;
  exe: Record<string, number>;
  key: Record<string, number>;
  /** "arch number" -> events */
  syscall: Record<string, number>;
  deleted?: string[];
}

const postfixCron = {
  '/usr/sbin/crond': 5, '/usr/libexec/postfix/pickup': 1, '/usr/lib/systemd/systemd': 1,
};
const fiveEvents = {
  '/usr/bin/python2.7;58d1ccfb': 1, '/usr/bin/grep': 1, '/usr/bin/cat': 1,
  '/usr/libexec/postfix/master': 1, '/usr/libexec/postfix/pickup': 1,
};
const fiveSyscalls = { 'x86_64 42': 2, 'x86_64 59': 2, 'x86_64 43': 1 };
const shellTrace = {
  '/usr/bin/dash': 5, '/usr/bin/bash': 1, '/usr/bin/grep': 1, '/usr/bin/echo': 1,
  '/usr/bin/sed': 1,
};
const sshdBash = { 'x86_64 13': 3, 'x86_64 14': 2, 'x86_64 23': 1, 'x86_64 228': 1 };

const expected: Record<string, Expected> = {
  'audit-userspace/test.log': {
    records: 12, events: 7, skipped: 0, blank: 0, lost: 0, format: 'raw',
    exe: postfixCron, key: {}, syscall: { 'x86_64 2': 1, 'x86_64 1': 1 },
  },
  'audit-userspace/test2.log': {
    records: 12, events: 7, skipped: 0, blank: 0, lost: 0, format: 'raw',
    exe: postfixCron, key: {}, syscall: { 'x86_64 2': 1, 'x86_64 1': 1 },
  },
  'audit-userspace/test3.log': {
    // node= on every line, serials interleaved; 194433..194894 with 8 events.
    records: 15, events: 8, skipped: 0, blank: 0, lost: 454, format: 'raw',
    exe: { '/usr/sbin/sshd': 4, '/usr/bin/bash': 3, '/usr/sbin/useradd': 1 },
    key: {}, syscall: sshdBash,
  },
  'audit-userspace/test4.log': {
    records: 13, events: 2, skipped: 0, blank: 0, lost: 1472, format: 'raw',
    exe: { '/bin/sh4': 1, '/usr/bin/m4': 1 }, key: {}, syscall: { 'x86_64 59': 2 },
  },
  'go-libaudit/auparse_testdata_audit-rhel6.log': {
    records: 2, events: 2, skipped: 0, blank: 0, lost: 1144998, format: 'raw',
    exe: { '/usr/libexec/strongswan/charon': 1 }, key: {}, syscall: { 'x86_64 44': 1 },
    deleted: ['/usr/libexec/strongswan/charon'],
  },
  'go-libaudit/auparse_testdata_audit-rhel7.log': {
    // One record per type; `type=UNKNOWN[1329] msg=?` has no timestamp and is skipped.
    records: 49, events: 46, skipped: 1, blank: 0, lost: 2303810, restarts: 1, format: 'raw',
    exe: {
      '/usr/sbin/sshd': 12, '/usr/sbin/groupadd': 2, '/usr/sbin/useradd': 2,
      '/usr/lib/systemd/systemd': 2, '/usr/lib/systemd/systemd-update-utmp': 2,
      '/usr/sbin/crond': 1, '/usr/bin/kmod': 1, '/usr/bin/python2.7;58d1ccfb': 1,
      '/usr/sbin/hwclock': 1, '/usr/bin/bash': 1,
    },
    // CONFIG_CHANGE carries the key of the rule it added; aureport -k counts it too.
    key: { kill_signals: 1, pam: 1 },
    syscall: { 'x86_64 313': 1, 'x86_64 42': 1, 'x86_64 62': 1 },
    deleted: ['/usr/bin/python2.7;58d1ccfb'],
  },
  'go-libaudit/auparse_testdata_audit-ubuntu16.log': {
    records: 3, events: 3, skipped: 0, blank: 0, lost: 48554, format: 'raw',
    exe: { '/usr/sbin/sshd': 2 }, key: {}, syscall: {},
  },
  'go-libaudit/auparse_testdata_test2.log': {
    records: 10, events: 7, skipped: 0, blank: 0, lost: 0, format: 'raw',
    exe: { '/usr/sbin/crond': 5, '/usr/libexec/postfix/pickup': 1 }, key: {},
    syscall: { 'x86_64 2': 1 },
  },
  'go-libaudit/auparse_testdata_test3.log': {
    // A SECCOMP record names the i386 syscall 132 (getpgid) through its own arch=40000003.
    records: 17, events: 10, skipped: 0, blank: 0, lost: 193020, format: 'raw',
    exe: { '/usr/sbin/sshd': 5, '/usr/bin/bash': 3, '/usr/sbin/useradd': 1 },
    key: {}, syscall: { ...sshdBash, 'i386 132': 1 },
  },
  'go-libaudit/testdata_lost_messages.log': {
    // The first event's serial is 49 instead of 58: 50..58 are lost.
    records: 17, events: 5, skipped: 0, blank: 0, lost: 9, format: 'raw',
    exe: fiveEvents, key: { user_commands: 2 }, syscall: fiveSyscalls,
    deleted: ['/usr/bin/python2.7;58d1ccfb'],
  },
  'go-libaudit/testdata_normal.log': {
    records: 17, events: 5, skipped: 0, blank: 0, lost: 0, format: 'raw',
    exe: fiveEvents, key: { user_commands: 2 }, syscall: fiveSyscalls,
    deleted: ['/usr/bin/python2.7;58d1ccfb'],
  },
  'go-libaudit/testdata_out_of_order.log': {
    records: 17, events: 5, skipped: 0, blank: 0, lost: 0, format: 'raw',
    exe: fiveEvents, key: { user_commands: 2 }, syscall: fiveSyscalls,
    deleted: ['/usr/bin/python2.7;58d1ccfb'],
  },
  'laurel/fork-sleep-exec.log': {
    // 14 comment lines, 3 blank; serial 6104006 (the unlogged fork) is missing.
    records: 13, events: 3, skipped: 14, blank: 3, lost: 1, format: 'raw',
    exe: { '/home/user/bin/uncaring-parent': 2, '/usr/bin/true': 1 }, key: { fork: 1 },
    syscall: { 'aarch64 221': 2, 'aarch64 220': 1 },
  },
  'laurel/proc-trace-dpkg-l.log': {
    records: 68, events: 23, skipped: 5, blank: 10, lost: 0, format: 'raw',
    exe: {
      '/usr/bin/bash': 7, '/usr/bin/dash': 6, '/usr/bin/dpkg-query': 2, '/usr/sbin/sshd': 1,
      '/usr/bin/locale-check': 1, '/usr/bin/locale': 1, '/usr/bin/basename': 1,
      '/usr/bin/dirname': 1, '/usr/bin/dircolors': 1, '/usr/bin/dpkg': 1, '/usr/bin/less': 1,
    },
    key: { fork: 12 }, syscall: { 'x86_64 56': 11, 'x86_64 59': 11, 'x86_64 58': 1 },
  },
  'laurel/record-anom-promiscuous.log': {
    records: 4, events: 1, skipped: 0, blank: 0, lost: 0, format: 'enriched',
    exe: { '/usr/bin/dockerd': 1 }, key: {}, syscall: { 'x86_64 44': 1 },
  },
  'laurel/record-execve-long.log': {
    records: 9, events: 1, skipped: 0, blank: 0, lost: 0, format: 'enriched',
    exe: { '/usr/bin/echo': 1 }, key: {}, syscall: { 'x86_64 59': 1 },
  },
  'laurel/record-login.log': {
    records: 3, events: 1, skipped: 0, blank: 0, lost: 0, format: 'enriched',
    exe: { '/usr/sbin/cron': 1 }, key: {}, syscall: { 'aarch64 64': 1 },
  },
  'laurel/record-perl-reverse-shell.log': {
    records: 8, events: 1, skipped: 0, blank: 0, lost: 0, format: 'enriched',
    exe: { '/usr/bin/perl': 1 }, key: {}, syscall: { 'x86_64 59': 1 },
  },
  'laurel/record-syscall-nullkey.log': {
    records: 8, events: 3, skipped: 0, blank: 2, lost: 102110, format: 'raw',
    exe: { '/usr/lib/systemd/systemd': 2, '/usr/bin/cat': 1 }, key: {},
    syscall: { 'x86_64 59': 1, 'x86_64 1': 1, 'x86_64 4': 1 },
  },
  'laurel/shell-proc-trace-confusion.log': {
    records: 164, events: 72, skipped: 25, blank: 7, lost: 49309, format: 'raw',
    exe: {
      '/bin/tcsh': 68, '/usr/bin/rm': 1, '/bin/hostname': 1, '/usr/bin/id': 1,
      '/usr/bin/gawk': 1,
    },
    key: { fork: 67 }, syscall: { 'x86_64 56': 67, 'x86_64 59': 5 },
  },
  'laurel/shell-proc-trace-reordered.log': {
    records: 39, events: 9, skipped: 3, blank: 10, lost: 0, format: 'raw',
    exe: shellTrace, key: { fork: 5, 'test-script': 1 },
    syscall: { 'x86_64 56': 5, 'x86_64 59': 4 },
  },
  'laurel/shell-proc-trace.log': {
    records: 39, events: 9, skipped: 24, blank: 12, lost: 0, format: 'raw',
    exe: shellTrace, key: { fork: 5, 'test-script': 1 },
    syscall: { 'x86_64 56': 5, 'x86_64 59': 4 },
  },
};

for (const [file, want] of Object.entries(expected)) {
  test(`corpus ${file}`, async (t) => {
    if (!hasCorpus) {
      t.skip('../shared/corpus is not beside the repository');
      return;
    }
    const report = await analyzeLogs([join(corpusLogs, file)], { workers: 0 });
    assert.equal(report.records, want.records, 'records');
    assert.equal(report.events, want.events, 'events');
    assert.equal(report.skippedLines, want.skipped, 'skipped lines');
    assert.equal(report.blankLines, want.blank, 'blank lines');
    assert.equal(report.lostRecords, want.lost, 'lost serials');
    assert.equal(report.restarts, want.restarts ?? 0, 'restarts');
    assert.equal(report.format, want.format, 'format');
    assert.deepEqual(counts(report.byExe, (e) => e.exe, (e) => e.events), want.exe);
    assert.deepEqual(counts(report.byKey, (k) => k.key, (k) => k.events), want.key);
    assert.deepEqual(
      counts(report.bySyscall, (s) => `${s.arch} ${s.number}`, (s) => s.events), want.syscall);
    assert.deepEqual(report.byExe.filter((e) => e.deleted).map((e) => e.exe), want.deleted ?? []);
    assert.equal(report.byType.reduce((sum, row) => sum + row.records, 0), want.records);
  });
}

test('every corpus log has an expectation', async (t) => {
  if (!hasCorpus) {
    t.skip('../shared/corpus is not beside the repository');
    return;
  }
  const { readdirSync } = await import('node:fs');
  const present = readdirSync(corpusLogs, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((dir) => readdirSync(join(corpusLogs, dir.name))
      .filter((name) => name.endsWith('.log'))
      .map((name) => `${dir.name}/${name}`));
  assert.deepEqual(present.sort(), Object.keys(expected).sort());
});
