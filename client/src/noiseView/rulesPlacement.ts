// Where exclusion rules must go in a rules file, or in a rules.d folder, to take effect.
// The kernel walks a list's rules in order and the first match decides (auditctl.md §2.2):
// a `never` rule placed after an `always` rule that matches the same events does nothing.
// Pure: no `vscode` import, so the unit tests run it directly.
import { checkRulesText } from '../../../server/src/rules/check';
import {
  eventSetOf, matchEvent, type EventFacts, type RuleEventSet, type RuleInput,
} from '../../../server/src/rules/match';
import { machines, type Machine } from '../../../server/src/tables';
import {
  parseRulesDocument, type LineKind, type OptionName, type RulesLine,
} from '../../../server/src/rules/parse';

export interface RulesFileLine {
  /** 0-based. */
  line: number;
  kind: LineKind;
  text: string;
  options: OptionName[];
  list?: string;
  action?: string;
  /** `-A`: the kernel puts the rule before every appended rule of its list. */
  prepend: boolean;
  /** The rule's event set, when the rules engine could resolve the line. */
  eventSet?: RuleEventSet;
}

/** Resolves a parsed line into the rule model; absent while no resolver is available. */
export type RuleResolver = (line: RulesLine) => RuleInput | undefined;

const listNames = new Set(['task', 'exit', 'user', 'exclude', 'filesystem', 'io_uring']);
const actionNames = new Set(['always', 'never']);

/** Options that configure the audit system rather than add a rule. */
const headerOptions = new Set<OptionName>([
  '-D', '-b', '-f', '-r', '--backlog_wait_time', '--loginuid-immutable', '--reset-lost',
  '-i', '-c',
]);

function listAndAction(line: RulesLine): { list?: string; action?: string; prepend: boolean } {
  const option = line.options.find((o) => o.name === '-a' || o.name === '-A');
  if (option?.argument) {
    const words = option.argument.text.split(',');
    return {
      list: words.find((w) => listNames.has(w)),
      action: words.find((w) => actionNames.has(w)),
      prepend: option.name === '-A',
    };
  }
  // A watch is an always rule on the exit list (auditctl turns -w into always,exit).
  if (line.options.some((o) => o.name === '-w')) {
    return { list: 'exit', action: 'always', prepend: false };
  }
  return { prepend: false };
}

/**
 * The rules engine's reading of a rules file, line by line. `hostMachine` is the machine
 * that loads the rules (what `b64` and an arch-less `-S` mean).
 */
export function modelResolver(text: string, hostMachine: string): RuleResolver {
  const host = (machines as readonly string[]).includes(hostMachine)
    ? hostMachine as Machine : 'x86_64';
  const byLine = new Map(checkRulesText(text, { hostMachine: host }).rules
    .map((rule) => [rule.line, rule]));
  return (line) => byLine.get(line.line);
}

export function readRulesFile(text: string, resolve?: RuleResolver): RulesFileLine[] {
  return parseRulesDocument(text).lines.map((line) => {
    const entry: RulesFileLine = {
      line: line.line,
      kind: line.kind,
      text: line.text,
      options: line.options.map((o) => o.name),
      ...listAndAction(line),
    };
    if (line.kind === 'rule' || line.kind === 'watch') {
      const model = resolve?.(line);
      if (model) entry.eventSet = eventSetOf(model);
    }
    return entry;
  });
}

/**
 * Whether some event may match both rules. False only when it is certain that no event
 * does: different lists, arches or syscalls with nothing in common, different `exe=`, or
 * numeric ranges of one field that do not meet. Without a model the answer is "may".
 */
export function mayOverlap(a: RuleEventSet | undefined, b: RuleEventSet | undefined): boolean {
  if (!a || !b) return true;
  if (a.list !== b.list) return false;
  if (a.empty || b.empty) return false;

  if (a.machines && b.machines && ![...a.machines].some((m) => b.machines?.has(m))) {
    return false;
  }
  if (a.syscalls && b.syscalls && ![...a.syscalls].some((n) => b.syscalls?.has(n))) {
    return false;
  }

  const exeOf = (set: RuleEventSet): string | undefined => {
    for (const c of set.conditions) {
      if (c.kind === 'text' && c.field === 'exe' && c.op === '=') return c.value;
    }
    return undefined;
  };
  const exeA = exeOf(a);
  const exeB = exeOf(b);
  if (exeA !== undefined && exeB !== undefined && exeA !== exeB) return false;

  for (const [field, values] of a.processRanges) {
    const other = b.processRanges.get(field);
    if (!other) continue;
    const meets = values.some(([low, high]) =>
      other.some(([otherLow, otherHigh]) => low <= otherHigh && otherLow <= high));
    if (!meets) return false;
  }
  return !(syscallsExclude(a, b) || syscallsExclude(b, a));
}

/** Most (machine, syscall) pairs tried before giving up on proving disjointness. */
const syscallPairLimit = 1024;

/**
 * Whether `other` certainly matches none of the (machine, syscall) pairs `set` is limited
 * to: asked of the matching model with only the machine and syscall known, so a `perm=`
 * (a watch's `-p wa`) that no listed syscall can satisfy counts as disjoint.
 */
function syscallsExclude(set: RuleEventSet, other: RuleEventSet): boolean {
  if (!set.machines || !set.syscalls) return false;
  if (set.machines.size * set.syscalls.size > syscallPairLimit) return false;
  for (const machine of set.machines) {
    for (const syscall of set.syscalls) {
      const facts: EventFacts = { list: set.list, machine, syscall };
      if (matchEvent(other, facts).verdict !== 'no-match') return false;
    }
  }
  return true;
}

export interface ExclusionToPlace {
  text: string;
  list: string;
  eventSet?: RuleEventSet;
}

export interface Placement {
  /** 0-based line before which the new lines go (the line count appends). */
  line: number;
  /** The first always rule the exclusions must pre-empt, if any. */
  preempts?: RulesFileLine;
  /** Rules the exclusions cannot pre-empt from any position in this file. */
  unreachable: RulesFileLine[];
}

function isRule(entry: RulesFileLine): boolean {
  return entry.kind === 'rule' || entry.kind === 'watch';
}

function preemptedBy(entry: RulesFileLine, rules: readonly ExclusionToPlace[]): boolean {
  if (!isRule(entry) || entry.action !== 'always') return false;
  return rules.some((rule) => rule.list !== 'exclude' && rule.list === entry.list
    && mayOverlap(rule.eventSet, entry.eventSet));
}

/**
 * The line to insert before. After the leading configuration lines (-D would delete a
 * rule placed above it); before the first `always` rule of the same list that may match
 * what the exclusions drop; before `-e` (auditctl rejects rules after `-e 2`). Exclude
 * list rules drop a record whatever their position, so they go after the other rules.
 */
export function placeExclusions(
  file: readonly RulesFileLine[], rules: readonly ExclusionToPlace[],
): Placement {
  let headerEnd = 0;
  for (const entry of file) {
    if (isRule(entry)) break;
    const configures = entry.kind === 'control' && entry.options.some((o) => headerOptions.has(o));
    if (configures) headerEnd = entry.line + 1;
  }

  // A prepended always rule runs before every appended rule, wherever it is written.
  const unreachable = file.filter((entry) => entry.prepend && preemptedBy(entry, rules));

  const first = file.find((entry) => entry.line >= headerEnd && !entry.prepend
    && preemptedBy(entry, rules));
  if (first) {
    // Keep the comment block that introduces the pre-empted rule with it.
    let line = first.line;
    while (line > headerEnd && file[line - 1]?.kind === 'comment') line--;
    return { line, preempts: first, unreachable };
  }

  const enable = file.find((entry) => entry.line >= headerEnd && entry.kind === 'control'
    && entry.options.includes('-e'));
  if (enable) return { line: enable.line, unreachable };

  let end = file.length;
  while (end > headerEnd && file[end - 1]?.kind === 'blank') end--;
  return { line: end, unreachable };
}

/** The lines to insert: a comment naming the source logs and the date, then the rules. */
export function exclusionBlock(rules: readonly string[], sources: readonly string[], date: Date):
  string[] {
  const day = date.toISOString().slice(0, 10);
  // A log file name could hold a newline; it must not end the comment and start a rule.
  const names = sources.map((s) => s.replace(/[\r\n\u0085\u2028\u2029]/g, '?')).join(', ');
  return [`## Noise exclusions from ${names}, ${day}`, ...rules];
}

// ---- rules.d folders ------------------------------------------------------------------

/** `ls -v` order as augenrules uses it: digit runs compare as numbers. */
export function compareVersionNames(a: string, b: string): number {
  const parts = (s: string) => s.match(/\d+|\D+/g) ?? [];
  const left = parts(a);
  const right = parts(b);
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    const x = left[i];
    const y = right[i];
    if (/^\d/.test(x) && /^\d/.test(y)) {
      const difference = Number(x) - Number(y);
      if (difference !== 0) return difference;
    } else if (x !== y) {
      return x < y ? -1 : 1;
    }
  }
  return left.length - right.length;
}

export interface RulesDirFile {
  name: string;
  lines: RulesFileLine[];
}

export interface RulesDirConflict {
  /** The file that sorts first among those holding a rule to pre-empt. */
  file: string;
  rule: RulesFileLine;
  /** A new file name that sorts before it and after no file it must follow. */
  suggestedName: string;
}

/**
 * augenrules concatenates `*.rules` in version order, so an exclusion written into a file
 * that sorts after a pre-empted always rule never fires. Returns that rule, if any.
 */
export function rulesDirConflict(
  files: readonly RulesDirFile[], target: string, rules: readonly ExclusionToPlace[],
): RulesDirConflict | undefined {
  const ordered = [...files].sort((a, b) => compareVersionNames(a.name, b.name));
  for (const file of ordered) {
    if (compareVersionNames(file.name, target) >= 0) return undefined;
    const rule = file.lines.find((entry) => preemptedBy(entry, rules));
    if (rule) return { file: file.name, rule, suggestedName: nameBefore(file.name, ordered) };
  }
  return undefined;
}

/** Upstream's numbering puts rule-matching exclusions at 20 (rules/README-rules). */
export function nameBefore(conflicting: string, files: readonly RulesDirFile[]): string {
  const prefix = /^(\d+)/.exec(conflicting);
  const number = prefix ? Number(prefix[1]) : 0;
  const chosen = number > 20 ? 20 : Math.max(0, number - 1);
  const width = prefix ? prefix[1].length : 2;
  let name = `${String(chosen).padStart(width, '0')}-noise-exclusions.rules`;
  let suffix = 2;
  while (files.some((f) => f.name === name)) {
    name = `${String(chosen).padStart(width, '0')}-noise-exclusions-${suffix}.rules`;
    suffix++;
  }
  return compareVersionNames(name, conflicting) < 0 ? name : `00-noise-exclusions.rules`;
}

/**
 * The text edit that puts `block` before 0-based `line` (or at the end when the file has
 * no such line), with a blank line between it and neighbouring text.
 */
export function insertionAt(
  text: string, line: number, block: readonly string[], eol: string,
): { offset: number; text: string } {
  const lines = text.split('\n');
  // A final newline ends the last line; it does not start one.
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  const isBlank = (index: number) => (lines[index] ?? '').trim() === '';
  const body = block.join(eol) + eol;

  if (line < lines.length && text.length > 0) {
    let offset = 0;
    for (let i = 0; i < line; i++) offset += lines[i].length + 1;
    const before = line > 0 && !isBlank(line - 1) ? eol : '';
    const after = isBlank(line) ? '' : eol;
    return { offset, text: before + body + after };
  }

  if (text.length === 0) return { offset: 0, text: body };
  const newline = text.endsWith('\n') ? '' : eol;
  const separator = isBlank(lines.length - 1) ? '' : eol;
  return { offset: text.length, text: newline + separator + body };
}
