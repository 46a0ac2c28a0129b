import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { checkRulesText } from '../../../server/src/rules/check';
import type { RuleDiagnostic } from '../../../server/src/rules/diagnostics';
import { sharedRoot } from './check-helpers';

const corpus = join(sharedRoot, 'corpus', 'rules');

function filesOf(folder: string): string[] {
  const dir = join(corpus, folder);
  return readdirSync(dir).filter((name) => !name.startsWith('.')).sort()
    .map((name) => join(dir, name));
}

function errorsOf(diagnostics: RuleDiagnostic[]): RuleDiagnostic[] {
  return diagnostics.filter((d) => d.severity === 'error');
}

function needCorpus(t: { skip: (why: string) => void }): boolean {
  if (existsSync(corpus)) return true;
  t.skip(`the rules corpus is not at ${corpus}`);
  return false;
}

test('audit-userspace 4.2 and bfuzzy: no error with the default target', (t) => {
  if (!needCorpus(t)) return;
  const files = [...filesOf('audit-userspace-4.2'), ...filesOf('bfuzzy')];
  assert.ok(files.length > 30);
  for (const file of files) {
    const errors = errorsOf(checkRulesText(readFileSync(file, 'utf8')).diagnostics);
    assert.deepEqual(errors.map((d) => `${d.range.start.line + 1}:${d.code}`), [], file);
  }
});

test('22-ignore-chrony: only host-dependent warnings (the chrony user)', (t) => {
  if (!needCorpus(t)) return;
  const text = readFileSync(join(corpus, 'audit-userspace-4.2', '22-ignore-chrony.rules'), 'utf8');
  const found = checkRulesText(text).diagnostics.filter((d) => d.severity !== 'hint');
  assert.ok(found.length > 0);
  for (const entry of found) {
    assert.equal(entry.severity, 'warning', entry.code);
    assert.equal(entry.hostDependent, true, entry.code);
    assert.equal(entry.code, 'unknown-user');
  }
});

test('with 3.0.9 the 4.2 files fail exactly on fchmodat2, file_setattr, lsm_set_self_attr', (t) => {
  if (!needCorpus(t)) return;
  const newNames = /\b(fchmodat2|file_setattr|lsm_set_self_attr)\b/;
  let failing = 0;
  for (const file of filesOf('audit-userspace-4.2')) {
    const text = readFileSync(file, 'utf8');
    const lines = text.split('\n');
    const expected = lines.flatMap((line, index) =>
      !line.trimStart().startsWith('#') && newNames.test(line) ? [index] : []);
    const errors = errorsOf(checkRulesText(text, { auditVersion: '3.0.9' }).diagnostics);
    const errorLines = [...new Set(errors.map((d) => d.range.start.line))];
    assert.deepEqual(errorLines, expected, file);
    for (const entry of errors) {
      assert.equal(entry.code, 'syscall-version', `${file}:${entry.range.start.line + 1}`);
    }
    failing += expected.length;
  }
  assert.equal(failing, 2 + 6 + 6 + 6);
});

test('neo23x0: errors on lines 487, 488, 718, 719; warnings for users on 85 and 162', (t) => {
  if (!needCorpus(t)) return;
  const text = readFileSync(join(corpus, 'neo23x0', 'audit.rules'), 'utf8');
  const diagnostics = checkRulesText(text).diagnostics;
  const errorLines = [...new Set(errorsOf(diagnostics).map((d) => d.range.start.line + 1))];
  assert.deepEqual(errorLines, [487, 488, 718, 719]);
  for (const line of [85, 162]) {
    const users = diagnostics.filter((d) => d.range.start.line + 1 === line &&
      d.code === 'unknown-user');
    assert.equal(users.length, 1, `line ${line}`);
    assert.equal(users[0].severity, 'warning');
    assert.equal(users[0].hostDependent, true);
  }
  const key = diagnostics.find((d) => d.range.start.line + 1 === 487 &&
    d.code === 'option-as-argument');
  assert.ok(key, 'the -k -F on line 487 is named');
});

test('every corpus file checks without throwing, in both versions', (t) => {
  if (!needCorpus(t)) return;
  for (const folder of readdirSync(corpus).filter((name) => !name.includes('.'))) {
    for (const file of filesOf(folder)) {
      const text = readFileSync(file, 'utf8');
      for (const auditVersion of ['3.0.9', '4.2'] as const) {
        const result = checkRulesText(text, { auditVersion });
        assert.equal(result.document.lines.length, text.split('\n').length -
          (text.endsWith('\n') ? 1 : 0), file);
      }
    }
  }
});
