import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { analyzeLogs } from '../../../server/src/log/analyze';
import type { NoiseReport } from '../../../server/src/log/report';
import { auditPreview, exclusionSelections } from '../../../client/src/noiseView/preview';
import { toAuditViewReport } from '../../../client/src/noiseView/reportAdapter';
import type { AuditViewReport } from '../../../client/src/noiseView/viewReport';
import type { NoiseSelection } from '../../../client/src/noiseView/messages';

const sampleLog = join(__dirname, '..', '..', '..', '..', 'samples', 'audit.log');
let report: NoiseReport;
let view: AuditViewReport;

const selection = (part: Partial<NoiseSelection>): NoiseSelection =>
  ({ exes: [], exeSyscalls: [], keys: [], types: [], paths: [], ...part });

before(async () => {
  report = await analyzeLogs([sampleLog], { workers: 1 });
  view = toAuditViewReport(report, [{ label: 'audit.log', bytes: report.inputBytes }]);
});

test('only names the analysed log lists become rules; others are refused with the reason',
  () => {
    const refused: Array<{ name: string; reason: string }> = [];
    const wanted = exclusionSelections(selection({
      exes: ['/usr/sbin/named', '/tmp/not-in-log'],
      exeSyscalls: [{ exe: '/bin/forged', syscalls: ['openat'] }],
      keys: ['no-such-key'],
      types: ['PROCTITLE', 'NOT_A_TYPE'],
    }), view, refused);
    assert.deepEqual(wanted, [
      { kind: 'exe', exe: '/usr/sbin/named' },
      { kind: 'type', type: 'PROCTITLE' },
    ]);
    assert.deepEqual(refused.map((r) => r.name),
      ['/tmp/not-in-log', '/bin/forged', 'no-such-key', 'NOT_A_TYPE']);
  });

test('an exe chosen whole wins over its syscalls; syscalls alone give a narrower rule', () => {
  const top = view.byExe[0].exe;
  const syscall = view.byExeSyscall.find((row) => row.exe === top)!;
  const both = exclusionSelections(selection({
    exes: [top], exeSyscalls: [{ exe: top, syscalls: [syscall.name] }],
  }), view);
  assert.deepEqual(both, [{ kind: 'exe', exe: top }]);

  const narrow = auditPreview(report, view, selection({
    exeSyscalls: [{ exe: top, syscalls: [syscall.name] }],
  }), 8);
  assert.equal(narrow.preview.eventsRemoved, syscall.events);
  assert.ok(narrow.rules.every((rule) => rule.text.includes(`-S ${syscall.name} `)));
});

test('the preview\'s totals are the impact of all its rules together', () => {
  const top = view.byExe[0];
  const { preview, rules } = auditPreview(report, view, selection({
    exes: [top.exe, view.byExe[1].exe],
  }), 8);
  assert.equal(preview.rules.length, rules.length);
  assert.equal(preview.eventsBefore, report.events);
  assert.equal(preview.eventsRemoved, preview.rules.reduce((sum, r) => sum + r.events, 0));
  assert.ok(preview.eventsRemoved <= top.events + view.byExe[1].events);
  assert.ok(preview.bytesRemoved > 0);
  assert.ok(preview.rotationMinutesAfter! > preview.rotationMinutesBefore!);

  const doubled = auditPreview(report, view, selection({ exes: [top.exe] }), 16).preview;
  const single = auditPreview(report, view, selection({ exes: [top.exe] }), 8).preview;
  assert.ok(Math.abs(doubled.rotationMinutesBefore! - 2 * single.rotationMinutesBefore!) < 1e-9);
});
