/**
 * checkRulesText: parses a rules file, runs every line through the auditctl emulation
 * (checks/line.ts), then the checks that need the whole file (checks/ruleset.ts).
 */
import { defaultAuditVersion, type AuditVersion, type Machine } from '../tables';
import { interpretLine } from './checks/line';
import { checkRuleset } from './checks/ruleset';
import type { RuleDiagnostic } from './diagnostics';
import type { RuleModel } from './model';
import { parseRulesDocument, type RulesDocument } from './parse';

export interface CheckRulesOptions {
  /** The auditctl whose behaviour is checked against (default 4.2). */
  auditVersion?: AuditVersion;
  /** The machine that loads the rules: b64/b32 and -S without arch use it (default x86_64). */
  hostMachine?: Machine;
  /** Stamped on every diagnostic and rule, for multi-file streams. */
  file?: string;
}

export interface CheckRulesResult {
  document: RulesDocument;
  rules: RuleModel[];
  diagnostics: RuleDiagnostic[];
}

/** The name the rest of the engine uses for a check's result. */
export type CheckResult = CheckRulesResult;

export function checkRulesText(text: string, options: CheckRulesOptions = {}): CheckRulesResult {
  const resolved = {
    auditVersion: options.auditVersion ?? defaultAuditVersion,
    hostMachine: options.hostMachine ?? 'x86_64',
    file: options.file,
  };
  const document = parseRulesDocument(text);
  const rules: RuleModel[] = [];
  const diagnostics: RuleDiagnostic[] = [];
  const lineResults = [];

  for (const line of document.lines) {
    const result = interpretLine(line, resolved);
    lineResults.push(result);
    if (result.rule) rules.push(result.rule);
    for (const entry of result.diagnostics) diagnostics.push(entry);
  }

  for (const entry of checkRuleset(document, lineResults, resolved)) diagnostics.push(entry);

  if (resolved.file) {
    for (const entry of diagnostics) entry.file = resolved.file;
  }
  diagnostics.sort((a, b) =>
    a.range.start.line - b.range.start.line ||
    a.range.start.character - b.range.start.character);
  return { document, rules, diagnostics };
}

/** Whether auditctl (or the kernel) would reject any line, host-dependent verdicts aside. */
export function hasErrors(diagnostics: readonly RuleDiagnostic[]): boolean {
  return diagnostics.some((entry) => entry.severity === 'error');
}
