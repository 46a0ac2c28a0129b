/**
 * Moving a line's verdict to another line number. A line's verdict depends on its text and
 * options, and on its number only through the places it points at (ranges, fix edits, the
 * rule's line) and the few messages that quote the line number. When a line is inserted
 * or removed, every line below keeps its text under a new number: moving its verdict is a
 * copy with shifted places, far cheaper than checking the line again.
 */
import { allCodes, deferFixData, deferredFixData, type FixData } from './codes';
import { LineRange, type Range, type RuleDiagnostic } from './diagnostics';
import type { LineResult } from './checks/line';
import type {
  ArchCondition, FieldComparison, FieldCondition, RuleModel, WatchSpec,
} from './model';

/** Codes whose message or auditctl text quotes a line number: their lines are re-checked. */
const lineQuotingCodes: ReadonlySet<string> = new Set(
  allCodes
    .filter((info) => /\{\w*line\w*\}/i.test(`${info.message} ${info.auditctl ?? ''}`))
    .map((info) => info.code),
);

/** What a line's diagnostic holds; one with anything else is checked again. */
const diagnosticKeys: ReadonlySet<string> = new Set([
  'code', 'severity', 'range', 'message', 'hostDependent', 'data', 'file',
]);

export function movedRange(range: Range, delta: number): Range {
  if (range instanceof LineRange) {
    return new LineRange(range.line + delta, range.startCharacter, range.endCharacter);
  }
  return {
    start: { line: range.start.line + delta, character: range.start.character },
    end: { line: range.end.line + delta, character: range.end.character },
  };
}

/**
 * The verdict of a line moved by `delta` lines, or undefined when it must be checked again:
 * a message quotes its line number, or it holds something whose places are not known here
 * (effects of control options, related places, fix data of another shape).
 */
export function movedLineResult(result: LineResult, delta: number): LineResult | undefined {
  if (result.effects.length > 0) return undefined;
  let diagnostics = result.diagnostics;
  if (diagnostics.length > 0) {
    const moved: RuleDiagnostic[] = [];
    for (const entry of diagnostics) {
      const copy = movedDiagnostic(entry, delta);
      if (!copy) return undefined;
      moved.push(copy);
    }
    diagnostics = moved;
  }
  const rule = result.rule && movedRule(result.rule, delta);
  // The twin check's findings hold no line but the diagnostic's, which moves along.
  const finding = result.twinFinding;
  const twinDiagnostic = finding && movedDiagnostic(finding.diagnostic, delta);
  return {
    diagnostics,
    rule,
    identity: result.identity,
    effects: result.effects,
    failed: result.failed,
    twinSignature: result.twinSignature,
    twinFinding: twinDiagnostic ? { names: finding!.names, diagnostic: twinDiagnostic } : undefined,
  };
}

function movedDiagnostic(entry: RuleDiagnostic, delta: number): RuleDiagnostic | undefined {
  if (lineQuotingCodes.has(entry.code) || entry.related) return undefined;
  for (const key in entry) if (!diagnosticKeys.has(key)) return undefined;
  // In the order diagnostic() and the check add them.
  const copy: RuleDiagnostic = {
    code: entry.code,
    severity: entry.severity,
    range: movedRange(entry.range, delta),
    message: entry.message,
  };
  if (entry.hostDependent !== undefined) copy.hostDependent = entry.hostDependent;
  const deferred = deferredFixData(entry);
  if (deferred) {
    // Made for the diagnostic's own line when read, so it moves as it is.
    deferFixData(copy, deferred);
  } else if (entry.data !== undefined) {
    const data = movedFixData(entry.data, delta);
    if (!data) return undefined;
    copy.data = data;
  }
  if (entry.file !== undefined) copy.file = entry.file;
  return copy;
}

function movedFixData(data: unknown, delta: number): FixData | undefined {
  const { fixes, alone } = (data ?? {}) as Partial<FixData>;
  const keys = Object.keys(data as object).length;
  if (!Array.isArray(fixes) || keys !== (alone === undefined ? 1 : 2)) return undefined;
  const moved: FixData = {
    fixes: fixes.map((fix) => ({
      ...fix,
      edits: fix.edits.map((edit) => ({ ...edit, range: movedRange(edit.range, delta) })),
    })),
  };
  if (alone !== undefined) moved.alone = alone;
  return moved;
}

/**
 * The same rule on the line `delta` lines further down (up when negative). Every object is
 * written out in the shape the line check builds: a spread copy of these objects is several
 * times slower, and an insertion at the top of a large file moves thousands of rules.
 */
export function movedRule(rule: RuleModel, delta: number): RuleModel {
  const syscalls = rule.syscalls;
  return {
    line: rule.line + delta,
    file: rule.file,
    list: rule.list,
    action: rule.action,
    operation: rule.operation,
    machine: rule.machine,
    machineFromHost: rule.machineFromHost,
    arches: rule.arches.length === 0 ? rule.arches
      : rule.arches.map((arch): ArchCondition => ({
        machine: arch.machine, operator: arch.operator, raw: arch.raw,
        range: movedRange(arch.range, delta),
      })),
    syscalls: {
      all: syscalls.all,
      numbers: syscalls.numbers,
      names: syscalls.names,
      written: syscalls.written.length === 0 ? syscalls.written
        : syscalls.written.map((word) => ({
          text: word.text, range: movedRange(word.range, delta),
        })),
    },
    fields: rule.fields.length === 0 ? rule.fields
      : rule.fields.map((field) => movedField(field, delta)),
    comparisons: rule.comparisons.length === 0 ? rule.comparisons
      : rule.comparisons.map((comparison): FieldComparison => ({
        left: comparison.left, operator: comparison.operator, right: comparison.right,
        range: movedRange(comparison.range, delta),
      })),
    keys: rule.keys,
    watch: rule.watch && movedWatch(rule.watch, delta),
    range: movedRange(rule.range, delta),
    listRange: movedRange(rule.listRange, delta),
  };
}

function movedField(field: FieldCondition, delta: number): FieldCondition {
  const moved: FieldCondition = {
    field: field.field,
    operator: field.operator,
    value: field.value,
    raw: field.raw,
    range: movedRange(field.range, delta),
    valueRange: movedRange(field.valueRange, delta),
  };
  if (field.hostName !== undefined) moved.hostName = field.hostName;
  if (field.implicit !== undefined) moved.implicit = field.implicit;
  return moved;
}

function movedWatch(watch: WatchSpec, delta: number): WatchSpec {
  const moved: WatchSpec = {
    path: watch.path,
    perms: watch.perms,
    permBits: watch.permBits,
    pathRange: movedRange(watch.pathRange, delta),
  };
  if (watch.permRange) moved.permRange = movedRange(watch.permRange, delta);
  return moved;
}
