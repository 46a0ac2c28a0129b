/**
 * checkRulesText: parses a rules file, runs every line through the auditctl emulation
 * (checks/line.ts), then the checks that need the whole file (checks/ruleset.ts).
 *
 * A line's verdict depends only on its text, its number and the options (version, host
 * machine, file): auditctl keeps no state from one line to the next except what the
 * whole-file checks follow. So a check given the result of an earlier one (`previous`)
 * reuses every line whose number and text are unchanged, moves the verdicts of the lines
 * that only moved (the unchanged end of a text after lines were inserted or removed; see
 * relocate.ts), and redoes the whole-file checks over all of them.
 */
import { defaultAuditVersion, type AuditVersion, type Machine } from '../tables';
import { interpretLine, type LineResult } from './checks/line';
import { checkRuleset } from './checks/ruleset';
import type { CheckOptions } from './checks/state';
import { LineRange, type Range, type RuleDiagnostic } from './diagnostics';
import type { RuleModel } from './model';
import {
  movedLine, parseRulesLine, splitRulesText, storedLine, type RulesDocument, type RulesLine,
} from './parse';
import { movedLineResult } from './relocate';

export interface CheckRulesOptions {
  /** The auditctl whose behaviour is checked against (default 4.2). */
  auditVersion?: AuditVersion;
  /** The machine that loads the rules: b64/b32 and -S without arch use it (default x86_64). */
  hostMachine?: Machine;
  /** Stamped on every diagnostic and rule, for multi-file streams. */
  file?: string;
  /**
   * An earlier check of another version of the same file: lines with the same number and
   * text are taken from it instead of being checked again (used on every editor change).
   */
  previous?: CheckRulesResult;
}

export interface CheckRulesResult {
  document: RulesDocument;
  rules: RuleModel[];
  diagnostics: RuleDiagnostic[];
  /** Each line's own verdict, for a later incremental check (see `previous`). */
  readonly lineResults?: readonly LineResult[];
  /** The options the line verdicts were computed with. */
  readonly checkedWith?: Readonly<CheckOptions>;
}

/** The name the rest of the engine uses for a check's result. */
export type CheckResult = CheckRulesResult;

export function checkRulesText(text: string, options: CheckRulesOptions = {}): CheckRulesResult {
  const resolved: CheckOptions = {
    auditVersion: options.auditVersion ?? defaultAuditVersion,
    hostMachine: options.hostMachine ?? 'x86_64',
    file: options.file,
  };
  const reusable = reusableLines(options.previous, resolved);
  const lines: RulesLine[] = [];
  const rules: RuleModel[] = [];
  const diagnostics: RuleDiagnostic[] = [];
  const lineResults: LineResult[] = [];

  const texts: string[] = [];
  splitRulesText(text, (lineText) => {
    texts.push(lineText);
  });
  const earlierLines = reusable?.document.lines;
  const earlierResults = reusable?.lineResults;
  // Lines that moved: the longest unchanged end of the text, when lines were added or
  // taken out before it.
  const delta = earlierLines ? texts.length - earlierLines.length : 0;
  const movedFrom = earlierLines && delta !== 0
    ? texts.length - unchangedEnd(earlierLines, texts) : texts.length;

  for (let lineNumber = 0; lineNumber < texts.length; lineNumber++) {
    const lineText = texts[lineNumber];
    const earlier = earlierLines?.[lineNumber];
    let line: RulesLine | undefined;
    let result: LineResult | undefined;
    if (earlier !== undefined && earlier.text === lineText) {
      line = earlier;
      result = earlierResults![lineNumber];
    } else if (lineNumber >= movedFrom) {
      result = movedLineResult(earlierResults![lineNumber - delta], delta);
      if (result) line = movedLine(earlierLines![lineNumber - delta], delta);
    }
    if (!line || !result) {
      const parsed = parseRulesLine(lineText, lineNumber);
      result = interpretLine(parsed, resolved);
      line = storedLine(parsed);
      if (resolved.file) {
        const found = result.diagnostics;
        for (let index = 0; index < found.length; index++) found[index].file = resolved.file;
      }
    }
    lines.push(line);
    lineResults.push(result);
    if (result.rule) rules.push(result.rule);
    // Indexed: most lines share one frozen empty list, which for-of walks slowly.
    const found = result.diagnostics;
    for (let index = 0; index < found.length; index++) diagnostics.push(found[index]);
  }

  const document: RulesDocument = { lines, finalNewline: text.endsWith('\n') };
  const fileWide = checkRuleset(document, lineResults, resolved);
  for (const entry of fileWide) {
    if (resolved.file) entry.file = resolved.file;
  }

  return {
    document, rules, diagnostics: inPlaceOrder(diagnostics, fileWide), lineResults,
    checkedWith: resolved,
  };
}

function comparePlaces(a: RuleDiagnostic, b: RuleDiagnostic): number {
  return startLine(a.range) - startLine(b.range) ||
    startCharacter(a.range) - startCharacter(b.range);
}

/**
 * The line diagnostics and then the whole-file ones, sorted by place (stable: at one place,
 * in that order). The line diagnostics come line by line, so they need sorting only within
 * a line; the two lists are then merged. Should a line's diagnostic sit on another line,
 * the whole list is sorted instead.
 */
function inPlaceOrder(
  byLine: RuleDiagnostic[],
  fileWide: RuleDiagnostic[],
): RuleDiagnostic[] {
  let ordered = true;
  for (let index = 1; index < byLine.length && ordered; index++) {
    const order = comparePlaces(byLine[index - 1], byLine[index]);
    if (order <= 0) continue;
    if (startLine(byLine[index - 1].range) !== startLine(byLine[index].range)) {
      ordered = false;
      break;
    }
    // Out of order within one line: sort that line's run (a few entries) where it stands.
    let start = index - 1;
    const line = startLine(byLine[index].range);
    while (start > 0 && startLine(byLine[start - 1].range) === line) start--;
    let end = index + 1;
    while (end < byLine.length && startLine(byLine[end].range) === line) end++;
    const run = byLine.slice(start, end).sort(comparePlaces);
    for (let offset = 0; offset < run.length; offset++) byLine[start + offset] = run[offset];
    index = end - 1;
    if (end < byLine.length && comparePlaces(byLine[end - 1], byLine[end]) > 0) ordered = false;
  }
  if (!ordered) return byLine.concat(fileWide).sort(comparePlaces);
  if (fileWide.length === 0) return byLine;

  const rest = fileWide.slice().sort(comparePlaces);
  const merged: RuleDiagnostic[] = [];
  let at = 0;
  for (const entry of rest) {
    while (at < byLine.length && comparePlaces(byLine[at], entry) <= 0) merged.push(byLine[at++]);
    merged.push(entry);
  }
  while (at < byLine.length) merged.push(byLine[at++]);
  return merged;
}

// Read without making the positions of a LineRange: a sort compares thousands of ranges.
function startLine(range: Range): number {
  return range instanceof LineRange ? range.line : range.start.line;
}

function startCharacter(range: Range): number {
  return range instanceof LineRange ? range.startCharacter : range.start.character;
}

/** How many lines at the end of the new text are those at the end of the earlier one. */
function unchangedEnd(earlier: readonly RulesLine[], texts: readonly string[]): number {
  const most = Math.min(earlier.length, texts.length);
  let count = 0;
  while (count < most &&
    earlier[earlier.length - 1 - count].text === texts[texts.length - 1 - count]) count++;
  return count;
}

/** The earlier result, when its line verdicts hold under these options. */
function reusableLines(
  previous: CheckRulesResult | undefined,
  options: CheckOptions,
): CheckRulesResult | undefined {
  const earlier = previous?.checkedWith;
  if (!earlier || !previous.lineResults) return undefined;
  if (earlier.auditVersion !== options.auditVersion) return undefined;
  if (earlier.hostMachine !== options.hostMachine || earlier.file !== options.file) {
    return undefined;
  }
  return previous;
}

/** Whether auditctl (or the kernel) would reject any line, host-dependent verdicts aside. */
export function hasErrors(diagnostics: readonly RuleDiagnostic[]): boolean {
  return diagnostics.some((entry) => entry.severity === 'error');
}
