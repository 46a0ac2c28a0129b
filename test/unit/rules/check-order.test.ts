import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkRulesText } from '../../../server/src/rules/check';
import type { Range, RuleDiagnostic } from '../../../server/src/rules/diagnostics';
import { repoRoot } from './check-helpers';

// A check's diagnostics are its lines' diagnostics followed by the whole-file ones, in a
// stable sort by place. The check merges the two lists rather than sorting them all: the
// result must be exactly that sort, ties included.

interface Recorded {
  entries: { line: string }[];
  files: { lines: string[] }[];
}

const verdicts = JSON.parse(readFileSync(join(repoRoot, 'test', 'fixtures', 'auditctl-verdicts',
  'auditctl-3.0.9.json'), 'utf8')) as Recorded;

function place(range: Range): [number, number] {
  return [range.start.line, range.start.character];
}

function expectedOrder(text: string, auditVersion: '3.0.9' | '4.2'): void {
  const result = checkRulesText(text, { auditVersion });
  const byLine = (result.lineResults ?? []).flatMap((line) => line.diagnostics);
  const own = new Set<RuleDiagnostic>(byLine);
  const fileWide = result.diagnostics.filter((entry) => !own.has(entry));
  const sorted = byLine.concat(fileWide).sort((a, b) => {
    const [lineA, characterA] = place(a.range);
    const [lineB, characterB] = place(b.range);
    return lineA - lineB || characterA - characterB;
  });
  assert.equal(result.diagnostics.length, sorted.length, text);
  sorted.forEach((entry, index) => assert.equal(result.diagnostics[index], entry, text));
}

test('diagnostics come in a stable sort by place, whole-file ones after line ones', () => {
  for (const auditVersion of ['3.0.9', '4.2'] as const) {
    expectedOrder(verdicts.entries.map((entry) => entry.line).join('\n'), auditVersion);
    for (const file of verdicts.files) expectedOrder(file.lines.join('\n'), auditVersion);
  }
});

test('a line with diagnostics out of column order, and a duplicate below it', () => {
  // The CR warning (end of line) is made before the option diagnostics of the same line.
  const text = '-a always,exit -S open -F auid>=1000\t -k x\r\n' +
    '-a always,exit -S open -F auid>=1000\t -k x\r\n';
  expectedOrder(text, '4.2');
  const result = checkRulesText(text);
  const columns = result.diagnostics.filter((entry) => entry.range.start.line === 0)
    .map((entry) => entry.range.start.character);
  assert.deepEqual(columns, [...columns].sort((a, b) => a - b));
  assert.ok(columns.length >= 3, columns.join(' '));
});
