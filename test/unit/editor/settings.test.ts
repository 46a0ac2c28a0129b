import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultSettings, readSettings } from '../../../server/src/lsp/settings';
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
  const bad = readSettings({ defaultArch: 'sparc', auditVersion: 4.2, logLevel: 'chatty' });
  assert.equal(bad.defaultArch, 'x86_64');
  assert.equal(bad.auditVersion, '4.2');
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
