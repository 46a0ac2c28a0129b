/** Helpers for the rules checker's tests: one line in, diagnostics asserted by code. */
import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { checkRulesText, type CheckRulesOptions } from '../../../server/src/rules/check';
import type { RuleDiagnostic, Severity } from '../../../server/src/rules/diagnostics';

/** The repository root, from out/test/unit/rules once compiled. */
export const repoRoot = resolve(__dirname, '..', '..', '..', '..');
export const sharedRoot = join(repoRoot, '..', 'shared');

export function diagnosticsOf(text: string, options: CheckRulesOptions = {}): RuleDiagnostic[] {
  return checkRulesText(text, options).diagnostics;
}

/** Whether the engine says auditctl (or the kernel) refuses the text, host aside. */
export function rejects(text: string, options: CheckRulesOptions = {}): boolean {
  return diagnosticsOf(text, options).some((d) => d.severity === 'error' && !d.hostDependent);
}

export interface Expected {
  code: string;
  severity: Severity;
  /** [startCharacter, endCharacter] on line 0 (or `line`). */
  range: [number, number];
  line?: number;
  hostDependent?: boolean;
}

/** Asserts that exactly one diagnostic has the code, with the severity and range given. */
export function expectOne(
  text: string,
  expected: Expected,
  options: CheckRulesOptions = {},
): RuleDiagnostic {
  const found = diagnosticsOf(text, options);
  const matching = found.filter((d) => d.code === expected.code);
  assert.equal(matching.length, 1,
    `${JSON.stringify(text)}: one ${expected.code} expected, got ` +
    JSON.stringify(found.map((d) => `${d.severity}:${d.code}`)));
  const entry = matching[0];
  const line = expected.line ?? 0;
  assert.equal(entry.severity, expected.severity, `${JSON.stringify(text)}: severity`);
  assert.deepEqual(
    [entry.range.start.line, entry.range.start.character, entry.range.end.line,
      entry.range.end.character],
    [line, expected.range[0], line, expected.range[1]],
    `${JSON.stringify(text)}: range of ${expected.code}`,
  );
  assert.equal(entry.hostDependent === true, expected.hostDependent === true,
    `${JSON.stringify(text)}: hostDependent`);
  return entry;
}

/** Asserts that no diagnostic of these severities is reported. */
export function expectClean(
  text: string,
  severities: Severity[] = ['error'],
  options: CheckRulesOptions = {},
): void {
  const found = diagnosticsOf(text, options).filter((d) => severities.includes(d.severity));
  assert.deepEqual(found.map((d) => `${d.severity}:${d.code}`), [],
    `${JSON.stringify(text)} should have no ${severities.join('/')}`);
}

/** The start column of `part` in `text` (its first occurrence after `from`). */
export function columnOf(text: string, part: string, from = 0): [number, number] {
  const at = text.indexOf(part, from);
  assert.ok(at !== -1, `${part} not in ${text}`);
  return [at, at + part.length];
}
