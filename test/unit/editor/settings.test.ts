import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  defaultSettings, readSettings, settingsProblems,
} from '../../../server/src/lsp/settings';
import { ServerLogger } from '../../../server/src/lsp/logger';
import { analyseRequest, applySeverities } from '../../../server/src/lsp/analysis';

test('settings: defaults, the nested severity object, and malformed values', () => {
  assert.deepEqual(readSettings(undefined), defaultSettings);
  assert.deepEqual(
    readSettings({
      defaultArch: 'aarch64',
      auditVersion: '3.0.9',
      logLevel: 'debug',
      diagnostics: { severity: { 'syscall-number': 'ignore', 'missing-arch': 'loud' } },
    }),
    {
      defaultArch: 'aarch64',
      auditVersion: '3.0.9',
      logLevel: 'debug',
      severity: { 'syscall-number': 'ignore' },
    },
  );
  const bad = readSettings({ defaultArch: 'sparc', auditVersion: 4.3, logLevel: 'chatty' });
  assert.equal(bad.defaultArch, 'x86_64');
  assert.equal(bad.auditVersion, '4.2');
  // 4.2 written as a number (a hand-written client configuration) means the version.
  assert.equal(readSettings({ auditVersion: 4.2 }).auditVersion, '4.2');
  assert.deepEqual(settingsProblems({ auditVersion: 4.2 }), []);
  assert.equal(bad.logLevel, 'error');
});

test('severity overrides: ignore drops, others replace the severity', () => {
  const text = '-a always,exit -F arch=b64 -S 263 -k delete\n-a ALWAYS,exit\n';
  const analysis = analyseRequest({ uri: 'untitled:a', version: 1, file: 'untitled:a',
    text: () => text }, defaultSettings);
  const codes = analysis.reported.map((d) => d.code);
  assert.ok(codes.includes('syscall-number'));
  const settings = {
    ...defaultSettings,
    severity: { 'syscall-number': 'ignore', 'bad-list-action': 'warning' } as const,
  };
  const reported = applySeverities(analysis.diagnostics, settings);
  assert.ok(!reported.some((d) => d.code === 'syscall-number'));
  assert.equal(reported.find((d) => d.code === 'bad-list-action')?.severity, 'warning');
  assert.equal(
    analysis.diagnostics.find((d) => d.code === 'bad-list-action')?.severity,
    'error',
    'the engine result itself is not changed',
  );
});

test('the logger is quiet by default and levelled', () => {
  const lines: string[] = [];
  const sink = {
    error: (m: string) => lines.push(`E ${m}`),
    warn: (m: string) => lines.push(`W ${m}`),
    info: (m: string) => lines.push(`I ${m}`),
    log: (m: string) => lines.push(`D ${m}`),
  };
  const logger = new ServerLogger(sink);
  logger.warn('w');
  logger.info('i');
  let built = 0;
  logger.debug(() => `d${++built}`);
  logger.error('e');
  assert.deepEqual(lines, ['E e']);
  assert.equal(built, 0, 'debug text is not built when not shown');

  logger.setLevel('debug');
  logger.debug(() => `d${++built}`);
  logger.info('i');
  assert.deepEqual(lines, ['E e', 'D d1', 'I i']);

  logger.setLevel('off');
  logger.error('gone');
  assert.equal(lines.length, 3);
});

test('settings set aside are named: bad choices, unknown codes, bad severities', () => {
  assert.deepEqual(settingsProblems(undefined), []);
  assert.deepEqual(settingsProblems({
    defaultArch: 'aarch64', auditVersion: '3.0.9', logLevel: 'debug',
    diagnostics: { severity: { 'syscall-number': 'ignore' } },
  }), []);
  const problems = settingsProblems({
    defaultArch: 'sparc', auditVersion: 4.3, logLevel: 'chatty',
    'diagnostics.severity': { 'syscall-numbr': 'ignore', 'missing-arch': 'loud' },
  });
  assert.deepEqual(problems, [
    'auditd.defaultArch "sparc" is not one of ' +
      'x86_64, i386, aarch64, armeb, ppc, ppc64, ppc64le, s390, s390x, riscv32, riscv64; ' +
      'x86_64 is used.',
    'auditd.auditVersion 4.3 is not one of 3.0.9, 4.2; 4.2 is used.',
    'auditd.logLevel "chatty" is not one of off, error, warn, info, debug; error is used.',
    'auditd.diagnostics.severity names "syscall-numbr", which is not a diagnostic code; ' +
      'the codes are listed in docs/diagnostics.md.',
    'auditd.diagnostics.severity of missing-arch is "loud", not one of ' +
      'ignore, information, warning, error; the code keeps its own severity.',
  ]);
});
