/**
 * The recorded sample (samples/audit.log) read by the log engine and by aureport 3.0.9:
 * events, executables, keys and syscalls agree entry for entry.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { analyzeLogs } from '../../../server/src/log/analyze';

const sample = join(__dirname, '..', '..', '..', '..', 'samples', 'audit.log');

function aureport(args: string[]): string | undefined {
  const result = spawnSync('aureport', ['-if', sample, ...args], { encoding: 'latin1' });
  return result.error ? undefined : result.stdout;
}

function summary(output: string): Record<string, number> {
  const table: Record<string, number> = {};
  for (const line of output.split('\n')) {
    const match = /^(\d+)  (.*)$/.exec(line);
    if (match) table[match[2]] = Number(match[1]);
  }
  return table;
}

test('sample log: engine and aureport agree on events, exes, keys and syscalls', async (t) => {
  const overall = aureport(['--summary']);
  if (overall === undefined) {
    t.skip('aureport is not installed (Debian package auditd)');
    return;
  }
  const report = await analyzeLogs([sample], { workers: 0 });

  assert.equal(report.events, Number(/Number of events: (\d+)/.exec(overall)![1]));
  assert.equal(report.events, 3766);
  assert.equal(report.skippedLines, 0);
  assert.equal(report.lostRecords, 0);

  const exes = Object.fromEntries(report.byExe.map((row) => [row.exe, row.events]));
  assert.deepEqual(exes, summary(aureport(['-x', '--summary'])!));

  const keys = Object.fromEntries(report.byKey.map((row) => [row.key, row.events]));
  assert.deepEqual(keys, summary(aureport(['-k', '--summary'])!));

  // aureport -s lists x86_64 numbers (every event of the sample is 64-bit).
  const syscalls = Object.fromEntries(report.bySyscall.map((row) => [String(row.number),
    row.events]));
  assert.ok(report.bySyscall.every((row) => row.arch === 'x86_64'));
  assert.deepEqual(syscalls, summary(aureport(['-s', '--summary'])!));
  assert.deepEqual(report.bySyscall.slice(0, 2).map((row) => [row.name, row.events]),
    [['sendmmsg', 2950], ['execve', 716]]);
});
