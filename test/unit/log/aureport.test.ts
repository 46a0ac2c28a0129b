// Agreement with aureport (audit 3.0.9) on the corpus logs: the executable, key and
// syscall summaries must match exactly; the event totals differ only where auparse
// groups records differently, each case named below (docs/aureport.md).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeLogs } from '../../../server/src/log/analyze';
import { normaliseExe } from '../../../server/src/log/rank';
import { corpusLogs, hasCorpus, syscallRecord } from './log-helpers';

const aureportMissing = (() => {
  const probe = spawnSync('aureport', ['--help'], { encoding: 'utf8' });
  return probe.error ? 'aureport is not installed (Debian package auditd)' : undefined;
})();

function aureport(file: string, args: string[]): string {
  const result = spawnSync('aureport', ['-if', file, ...args], { encoding: 'latin1' });
  assert.equal(result.error, undefined);
  return result.stdout;
}

/** `total  name` lines of an aureport summary. */
function summaryCounts(output: string, normalise = (name: string) => name) {
  const table: Record<string, number> = {};
  for (const line of output.split('\n')) {
    const match = /^(\d+)  (.*)$/.exec(line);
    if (!match) continue;
    const name = normalise(match[2]);
    table[name] = (table[name] ?? 0) + Number(match[1]);
  }
  return table;
}

function eventTotal(output: string): number {
  const match = /Number of events: (\d+)/.exec(output);
  assert.ok(match, 'aureport --summary prints the number of events');
  return Number(match[1]);
}

/**
 * How many more events aureport counts than (node, time, serial) grouping, and why.
 * Measured with aureport 3.0.9 on each file.
 */
const eventDifferences: Record<string, { extra: number; why: string }> = {
  'audit-userspace/test.log': { extra: 1, why: 'LOGIN inside a syscall event made its own event' },
  'audit-userspace/test2.log': { extra: 1, why: 'LOGIN inside a syscall event' },
  'go-libaudit/auparse_testdata_audit-rhel7.log': { extra: 1, why: 'LOGIN inside a syscall event' },
  'laurel/record-login.log': { extra: 1, why: 'LOGIN inside a syscall event' },
  'go-libaudit/auparse_testdata_audit-ubuntu16.log': {
    extra: -1, why: 'the AppArmor AVC record (apparmor="DENIED") is not counted at all',
  },
  'go-libaudit/testdata_out_of_order.log': {
    extra: 1, why: 'a PATH record written after later events becomes an event of its own',
  },
  'laurel/fork-sleep-exec.log': {
    extra: 1, why: 'the comment lines before the first record count as an event',
  },
  'laurel/record-syscall-nullkey.log': {
    extra: 1, why: 'a PROCTITLE written first ends the event (auparse takes it as the last)',
  },
};

const corpusFiles = [
  'audit-userspace/test.log', 'audit-userspace/test2.log', 'audit-userspace/test3.log',
  'audit-userspace/test4.log', 'go-libaudit/auparse_testdata_audit-rhel6.log',
  'go-libaudit/auparse_testdata_audit-rhel7.log', 'go-libaudit/auparse_testdata_audit-ubuntu16.log',
  'go-libaudit/auparse_testdata_test2.log', 'go-libaudit/auparse_testdata_test3.log',
  'go-libaudit/testdata_lost_messages.log', 'go-libaudit/testdata_normal.log',
  'go-libaudit/testdata_out_of_order.log', 'laurel/fork-sleep-exec.log',
  'laurel/proc-trace-dpkg-l.log', 'laurel/record-anom-promiscuous.log',
  'laurel/record-execve-long.log', 'laurel/record-login.log',
  'laurel/record-perl-reverse-shell.log', 'laurel/record-syscall-nullkey.log',
  'laurel/shell-proc-trace-confusion.log', 'laurel/shell-proc-trace-reordered.log',
  'laurel/shell-proc-trace.log',
];

for (const file of corpusFiles) {
  test(`aureport agrees on ${file}`, async (t) => {
    if (aureportMissing) return t.skip(aureportMissing);
    if (!hasCorpus) return t.skip('../shared/corpus is not beside the repository');
    const path = join(corpusLogs, file);
    const report = await analyzeLogs([path], { workers: 0 });

    const executables = summaryCounts(aureport(path, ['-x', '--summary']),
      (exe) => normaliseExe(exe).exe);
    assert.deepEqual(
      Object.fromEntries(report.byExe.map((row) => [row.exe, row.events])), executables);

    const keys = summaryCounts(aureport(path, ['-k', '--summary']));
    assert.deepEqual(Object.fromEntries(report.byKey.map((row) => [row.key, row.events])), keys);

    // aureport -s prints syscall numbers only; the corpus has no syscall 0 (see below).
    const syscalls = summaryCounts(aureport(path, ['-s', '--summary']));
    const ours: Record<string, number> = {};
    for (const row of report.bySyscall) ours[row.number] = (ours[row.number] ?? 0) + row.events;
    assert.deepEqual(ours, syscalls);

    const difference = eventDifferences[file]?.extra ?? 0;
    assert.equal(eventTotal(aureport(path, ['--summary'])), report.events + difference,
      eventDifferences[file]?.why);
  });
}

test('where aureport is wrong: syscall 0 and node names with a space', async (t) => {
  if (aureportMissing) return t.skip(aureportMissing);
  const dir = mkdtempSync(join(tmpdir(), 'auditd-tools-aureport-'));
  try {
    const path = join(dir, 'audit.log');
    writeFileSync(path, [
      syscallRecord('1700000000.100:10', { syscall: '0', key: '"reads"' }, 'web 01'),
      syscallRecord('1700000000.200:11', { syscall: '0', key: '"reads"' }, 'web01'),
      syscallRecord('1700000000.300:12', { syscall: '1', key: '"reads"' }, 'web01'),
    ].join('\n') + '\n');
    const report = await analyzeLogs([path], { workers: 0 });

    assert.equal(report.events, 3);
    assert.deepEqual(report.byKey, [{ key: 'reads', events: 3 }]);
    assert.deepEqual(report.bySyscall.map((row) => [row.name, row.events]),
      [['read', 2], ['write', 1]]);

    // aureport drops the line whose node name has a space ...
    assert.equal(eventTotal(aureport(path, ['--summary'])), 2);
    assert.deepEqual(summaryCounts(aureport(path, ['-k', '--summary'])), { reads: 2 });
    // ... and leaves syscall 0 out of its syscall report.
    assert.deepEqual(summaryCounts(aureport(path, ['-s', '--summary'])), { 1: 1 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
