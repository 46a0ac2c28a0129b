import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkRulesText } from '../../../server/src/rules/check';
import type { FixData } from '../../../server/src/rules/codes';
import { expectOne, repoRoot } from './check-helpers';

interface NulFixture {
  files: { lines: string[]; exitCode: number; output: string; failedLines: number[] }[];
}

/** auditctl 3.0.9's verdicts on files with NUL bytes, recorded under the shim. */
const fixture: NulFixture = JSON.parse(readFileSync(
  join(repoRoot, 'test', 'fixtures', 'auditctl-verdicts', 'nul-bytes-3.0.9.json'), 'utf8'));

test('a NUL ends the line as auditctl reads it: the rest is lost, with a warning there', () => {
  const text = '-w /etc/pa\u0000sswd -p wa -k x\n';
  const result = checkRulesText(text, { auditVersion: '3.0.9' });

  expectOne(text, { code: 'nul-byte', severity: 'warning', range: [10, 26] }, {
    auditVersion: '3.0.9',
  });
  assert.equal(result.diagnostics.length, 1, JSON.stringify(result.diagnostics));
  const [rule] = result.rules;
  assert.equal(rule.watch?.path, '/etc/pa');
  assert.equal(rule.watch?.perms, 'rwxa');
  assert.deepEqual(rule.keys, []);

  const warning = result.diagnostics[0];
  assert.match(warning.message, /stops reading this line at this NUL byte; the rest is ignored/);
  assert.ok(warning.message.includes('"sswd -p wa -k x"'), warning.message);
});

test('a line that starts with a NUL is blank to auditctl, and still warned about', () => {
  const text = '\u0000-w /etc/passwd -p wa\n';
  assert.deepEqual(checkRulesText(text).rules, []);
  expectOne(text, { code: 'nul-byte', severity: 'warning', range: [0, 21] });
});

test('a comment with a NUL is no news, and a CR after a NUL is never read', () => {
  assert.deepEqual(checkRulesText('# a\u0000b\n').diagnostics, []);
  const codes = checkRulesText('-w /etc/passwd -p wa -k x\u0000\r\n').diagnostics
    .map((entry) => entry.code);
  assert.deepEqual(codes.filter((code) => code !== 'legacy-watch'), ['nul-byte']);
});

test('the NUL warning offers to remove the NUL byte', () => {
  const [warning] = checkRulesText('-D\u0000 -k x\n').diagnostics;
  const [fix] = (warning.data as FixData).fixes;
  assert.deepEqual(fix.edits, [{
    range: { start: { line: 0, character: 2 }, end: { line: 0, character: 3 } }, newText: '',
  }]);
});

test('the engine fails the same lines as auditctl 3.0.9 in files with NUL bytes', () => {
  assert.ok(fixture.files.length >= 10);
  for (const file of fixture.files) {
    const { diagnostics } = checkRulesText(`${file.lines.join('\n')}\n`, {
      auditVersion: '3.0.9', hostMachine: 'x86_64',
    });
    // Each recorded file was loaded onto an empty rule list, so deleting a rule no
    // earlier line loads fails there.
    const failed = diagnostics
      .filter((entry) => (entry.severity === 'error' && !entry.hostDependent) ||
        entry.code === 'delete-unknown-rule')
      .map((entry) => entry.range.start.line + 1);
    assert.deepEqual([...new Set(failed)], file.failedLines,
      `${JSON.stringify(file.lines)}: auditctl said ${JSON.stringify(file.output)}`);
  }
});
