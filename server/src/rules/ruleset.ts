/**
 * Whole-ruleset analysis: a rules.d folder read the way augenrules reads it, loaded the
 * way auditctl -R loads the result, and the loaded rules read in the kernel's matching
 * order. Pure over a list of {file, text}; every diagnostic names its file, and points
 * at the other file involved through `related`.
 *
 * What it finds, beyond what one line or one file shows:
 * - the stream: a file without a final newline, control lines augenrules drops or moves;
 * - the load: duplicates across files ("Rule exists"), rules after `-e 2`, `-D` after
 *   rules, the `-i` / `-c` state, and which rules a stopped load never reaches;
 * - the matching order (reference §2.2), from the rule-matching model: never rules that an
 *   earlier always rule pre-empts, always rules an earlier never rule hides, rules whose
 *   key is never recorded because a general rule matches first, exclusions that drop every
 *   record, and `dir=` / `path=` used where `exe=` was meant.
 */
import {
  AuditVersion, Machine, defaultAuditVersion, messageTypes, syscallTable,
} from '../tables';
import { CheckRulesResult as CheckResult, checkRulesText } from './check';
import { kernelIdentity } from './checks/ruleset';
import { diagnostic, diagnosticInFile } from './codes';
import type { FixData } from './codes';
import { lineRange } from './diagnostics';
import type { Range, RelatedInformation, RuleDiagnostic } from './diagnostics';
import type { RuleModel } from './model';
import type { RulesLine } from './parse';
import {
  RuleEventSet,
  certainlyOverlap,
  eventSetOf,
  isInTree,
  kernelOrder,
  mayOverlap,
  subsumes,
} from './match';
import { MovedControl, augenrulesFileOrder, movedControlOf } from './rulesetOrder';
import { contains, everyValue, isSubset } from './valueRange';

export { augenrulesFileOrder, compareFileVersions } from './rulesetOrder';

export interface RulesFileText {
  /** The file's name or path; its base name decides the augenrules order. */
  file: string;
  text: string;
}

/**
 * `augenrules`: a rules.d folder, sorted, concatenated and with control lines moved.
 * `file`: one file (or files) loaded as written, with `auditctl -R`.
 */
export type RulesetMode = 'augenrules' | 'file';

export interface RulesetOptions {
  auditVersion?: AuditVersion;
  hostMachine?: Machine;
  mode?: RulesetMode;
  /**
   * The awk augenrules runs: Debian's is mawk, which does not move an indented control
   * line (reference §1.10); upstream's intent is gawk. Default: mawk.
   */
  awk?: 'mawk' | 'gawk';
  /**
   * Per-file results kept between calls (the language server re-analyses a folder on each
   * edit): a file whose text, version and host are unchanged is not checked again.
   */
  cache?: RulesetCache;
}

/** Each file's own check from an earlier call, reused while its text is unchanged. */
export type RulesetCache = Map<string, {
  version: AuditVersion;
  hostMachine?: Machine;
  text: string;
  result: CheckResult;
}>;

/** One line of the stream auditctl reads, with the file and line it came from. */
export interface StreamLine {
  file: string;
  /** 0-based line in its file. */
  line: number;
  text: string;
  /** Set on the control lines augenrules moves. */
  moved?: MovedControl;
}

export interface RulesetResult {
  /** The files read, in load order. */
  files: string[];
  /** The lines auditctl reads, in order (after augenrules' moves in augenrules mode). */
  stream: StreamLine[];
  /** Each file's own check, as checkRulesText returned it. */
  perFile: ReadonlyMap<string, CheckResult>;
  /** The rules the kernel ends up holding, in load order. */
  loadedRules: RuleModel[];
  /** Each file's diagnostics (adjusted to the stream) and the whole-ruleset ones. */
  diagnostics: RuleDiagnostic[];
}

/** Where a rule should move so that it takes effect (the data of `move-rule-above`). */
export interface MoveRuleData extends FixData {
  move: { file: string; line: number; beforeFile: string; beforeLine: number };
}

/** The data of `path-not-caller`: the field to turn into `exe=`. */
export interface ExeFieldData extends FixData {
  field: 'path' | 'dir';
  value: string;
  /** A ready `-F exe=` value, when the path names a program. */
  exe?: string;
}

interface StreamEntry extends StreamLine {
  parsed: RulesLine;
  rule?: RuleModel;
  /** Line number and file auditctl names when this line fails. */
  auditctlLine?: number;
  auditctlFile?: string;
}

/** Checks the files as one ruleset: each file on its own, then the stream as a whole. */
export function checkRuleset(
  files: readonly RulesFileText[],
  options: RulesetOptions = {},
): RulesetResult {
  const mode = options.mode ?? 'augenrules';
  const version = options.auditVersion ?? defaultAuditVersion;
  const ordered = mode === 'augenrules' ? orderFiles(files) : [...files];

  const perFile = new Map<string, CheckResult>();
  const diagnostics: RuleDiagnostic[] = [];
  const entries: StreamEntry[] = [];
  const unread = new Set<string>();

  for (const { file, text } of ordered) {
    const cached = options.cache?.get(file);
    const unchanged = cached !== undefined && cached.version === version &&
      cached.hostMachine === options.hostMachine && cached.text === text;
    // A changed file is checked again from its earlier result: unchanged lines are reused.
    const checked = unchanged ? cached.result : checkRulesText(text, {
      auditVersion: version, hostMachine: options.hostMachine, file, previous: cached?.result,
    });
    options.cache?.set(file, { version, hostMachine: options.hostMachine, text, result: checked });
    perFile.set(file, checked);
    if (mode === 'augenrules' && splitByAugenrules(file, version, diagnostics)) {
      unread.add(file);
      continue;
    }
    // One push per entry (a spread of a large file's entries overflows the stack).
    for (const entry of streamEntries(file, checked)) entries.push(entry);
  }
  const streamed = ordered.filter((f) => !unread.has(f.file));

  const stream = mode === 'augenrules'
    ? augenrulesStream(entries, options.awk ?? 'mawk', diagnostics)
    : entries;

  missingNewlines(streamed, perFile, diagnostics);
  const load = simulateLoad(stream, mode, perFile, diagnostics);

  for (const [file, checked] of perFile) {
    for (const found of checked.diagnostics) {
      // augenrules moves the -e line to the end: the per-file "after -e 2" no longer holds.
      if (found.code === 'after-immutable' && mode === 'augenrules' && !load.lockStaysInPlace) {
        continue;
      }
      // A file augenrules never reads loads nothing, nor does a file after the one whose
      // line stops the load (it gets load-stopped-earlier instead): no rule of them meets
      // another. Within the file that stops, the verdicts stay, to be fixed in one pass.
      if (loadOrderCodes.has(found.code) && (unread.has(file) || load.lostFiles.has(file))) {
        continue;
      }
      diagnostics.push(found.file !== undefined ? found : diagnosticInFile(found, file));
    }
  }

  // Read only for the few rules a matching-order diagnostic quotes.
  let ruleText: Map<RuleModel, string> | undefined;
  const textOf = (rule: RuleModel) =>
    (ruleText ??= new Map(stream.filter((e) => e.rule).map((e) => [e.rule!, e.text])))
      .get(rule) ?? '';
  analyseMatchingOrder(load.loaded, version, textOf, diagnostics);

  return {
    files: ordered.map((f) => f.file),
    stream: stream.map(({ file, line, text, moved }) => ({ file, line, text, moved })),
    perFile,
    loadedRules: load.loaded,
    diagnostics,
  };
}

/** The per-file verdicts that follow the kernel's list as the file's lines load. */
const loadOrderCodes: ReadonlySet<string> = new Set([
  'after-immutable', 'duplicate-rule', 'delete-unknown-rule',
]);

/** "1 rule", "3 rules": a count with its noun in the right number. */
function counted(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function orderFiles(files: readonly RulesFileText[]): RulesFileText[] {
  const byName = new Map(files.map((f) => [baseName(f.file), f]));
  return augenrulesFileOrder([...byName.keys()]).map((name) => byName.get(name)!);
}

function baseName(path: string): string {
  const slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return path.slice(slash + 1);
}

/**
 * The words Debian's augenrules 3.0.9 makes of a file name: it loops over
 * `$(ls -1v rules.d | grep "\.rules$")` unquoted, so the shell splits a name at blanks
 * and `cat`s each piece. Later versions read the names whole (`sort -zV`).
 */
function splitName(file: string, version: AuditVersion): string[] | undefined {
  if (version !== '3.0.9') return undefined;
  const words = baseName(file).split(/[ \t\n]+/).filter((word) => word !== '');
  return words.length > 1 || /[ \t\n]/.test(baseName(file)) ? words : undefined;
}

/** Reports a file augenrules 3.0.9 never reads whole; true when it is left out. */
function splitByAugenrules(
  file: string,
  version: AuditVersion,
  diagnostics: RuleDiagnostic[],
): boolean {
  const words = splitName(file, version);
  if (!words) return false;
  diagnostics.push(diagnostic('file-name-split', lineRange(0, 0, 0), {
    words: words.map((word) => `"${word}"`).join(' and ') || 'nothing',
  }, { file }));
  return true;
}

function streamEntries(file: string, checked: CheckResult): StreamEntry[] {
  // The rules come in line order, one line at most each: read them alongside the lines.
  const rules = checked.rules;
  let next = 0;
  const entries: StreamEntry[] = [];
  for (const parsed of checked.document.lines) {
    while (next < rules.length && rules[next].line < parsed.line) next++;
    const rule = next < rules.length && rules[next].line === parsed.line ? rules[next] : undefined;
    if (parsed.kind === 'comment' || parsed.kind === 'blank') continue;
    entries.push({ file, line: parsed.line, text: parsed.text, parsed, rule });
  }
  return entries;
}

function wholeLine(entry: { parsed: RulesLine; line: number }): Range {
  const tokens = entry.parsed.tokens;
  const start = tokens.length > 0 ? tokens[0].start : 0;
  const end = tokens.length > 0 ? tokens[tokens.length - 1].end : 0;
  return lineRange(entry.line, start, end);
}

/** From the start of line `from` to the start of line `to` (a whole-line edit). */
function wholeLines(from: number, to: number): Range {
  return { start: { line: from, character: 0 }, end: { line: to, character: 0 } };
}

function place(entry: { file: string; line: number }): string {
  return `${baseName(entry.file)}:${entry.line + 1}`;
}

function related(
  entry: { file: string; line: number; parsed?: RulesLine; rule?: RuleModel },
  message: string,
): RelatedInformation {
  const range = entry.rule?.range ?? (entry.parsed ? wholeLine(entry as StreamEntry)
    : { start: { line: entry.line, character: 0 }, end: { line: entry.line, character: 0 } });
  return { file: entry.file, range, message };
}

// --- the stream ----------------------------------------------------------------------

const controlNames: Readonly<Record<MovedControl, string>> = {
  'delete-all': '-D', backlog: '-b', failure: '-f', enable: '-e',
};

function augenrulesStream(
  entries: StreamEntry[],
  awk: 'mawk' | 'gawk',
  diagnostics: RuleDiagnostic[],
): StreamEntry[] {
  const indentAware = awk === 'gawk';
  const last = new Map<MovedControl, StreamEntry>();
  const moved: [StreamEntry, MovedControl][] = [];

  for (const entry of entries) {
    const kind = movedControlOf(entry.text, indentAware);
    const gawkKind = movedControlOf(entry.text, true);
    if (!kind && gawkKind) {
      diagnostics.push(diagnostic('control-line-indented', wholeLine(entry), {
        option: controlNames[gawkKind],
      }, { file: entry.file }));
    }
    if (!kind) continue;
    entry.moved = kind;
    moved.push([entry, kind]);
    last.set(kind, entry);
  }

  for (const [entry, kind] of moved) {
    const kept = last.get(kind)!;
    if (kept === entry) continue;
    const sameSetting = kept.text.trim() === entry.text.trim();
    diagnostics.push(diagnostic('control-line-dropped', wholeLine(entry), {
      option: controlNames[kind], kept: place(kept),
    }, {
      file: entry.file,
      severity: sameSetting || kind === 'delete-all' ? 'information' : 'warning',
      related: [related(kept, `augenrules keeps this ${controlNames[kind]} line`)],
    }));
  }

  // audit.rules: a header comment, three slots (-D, -b, -f; empty when absent), the other
  // lines in order, then the -e line.
  const head: StreamEntry[] = [];
  (['delete-all', 'backlog', 'failure'] as MovedControl[]).forEach((kind, slot) => {
    const entry = last.get(kind);
    if (!entry) return;
    entry.auditctlLine = 2 + slot;
    head.push(entry);
  });
  const body = entries.filter((entry) => !entry.moved);
  body.forEach((entry, index) => {
    entry.auditctlLine = 5 + index;
  });
  const tail = last.get('enable');
  if (tail) tail.auditctlLine = 5 + body.length;
  const stream = [...head, ...body, ...(tail ? [tail] : [])];
  for (const entry of stream) entry.auditctlFile = '/etc/audit/audit.rules';
  return stream;
}

function missingNewlines(
  files: RulesFileText[],
  perFile: Map<string, CheckResult>,
  diagnostics: RuleDiagnostic[],
): void {
  files.forEach(({ file, text }, index) => {
    if (text.length === 0 || text.endsWith('\n')) return;
    const lines = perFile.get(file)!.document.lines;
    const lastLine = lines[lines.length - 1];
    const next = files.slice(index + 1).find((f) => f.text.length > 0);
    const nextFirst = next ? next.text.split('\n', 1)[0] : undefined;
    const range = {
      start: { line: lastLine.line, character: 0 },
      end: { line: lastLine.line, character: lastLine.text.length },
    };
    const fused = nextFirst === undefined ? 'the end of audit.rules'
      : `the first line of ${baseName(next!.file)}, making "${lastLine.text}${nextFirst}"`;
    diagnostics.push(diagnostic('missing-final-newline', range, { fused }, {
      file,
      data: { fixes: [{ title: 'Add the final newline', edits: [{
        range: { start: range.end, end: range.end }, newText: '\n',
      }] }] } satisfies FixData,
      related: next ? [{
        file: next.file,
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: nextFirst!.length } },
        message: 'augenrules appends this line to the unterminated one',
      }] : undefined,
    }));
  });
}

// --- the load ------------------------------------------------------------------------

interface LoadResult {
  loaded: RuleModel[];
  lockStaysInPlace: boolean;
  /** The files after the one whose line stops the load: nothing of them loads. */
  lostFiles: Set<string>;
}

type ErrorMode = 'stop' | 'continue' | 'ignore';

function simulateLoad(
  stream: StreamEntry[],
  mode: RulesetMode,
  perFile: Map<string, CheckResult>,
  diagnostics: RuleDiagnostic[],
): LoadResult {
  // A line fails when the file's own check finds an error there that does not depend on
  // the host; duplicates and -e 2 are decided here, over the whole stream.
  const failingLines = new Map<string, Map<number, string>>();
  for (const [file, checked] of perFile) {
    const lines = new Map<number, string>();
    for (const found of checked.diagnostics) {
      if (found.severity === 'error' && !found.hostDependent && found.code !== 'after-immutable'
        && found.code !== 'duplicate-rule' && !lines.has(found.range.start.line)) {
        lines.set(found.range.start.line, found.code);
      }
    }
    failingLines.set(file, lines);
  }

  let errorMode: ErrorMode = 'stop';
  let errorModeEntry: StreamEntry | undefined;
  let lock: StreamEntry | undefined;
  const afterLock: StreamEntry[] = [];
  let stoppedAt: StreamEntry | undefined;
  let stopReason = '';
  const lost: StreamEntry[] = [];
  const loaded = new Map<string, StreamEntry>();
  let rulesSeen = 0;

  for (const entry of stream) {
    if (stoppedAt) {
      lost.push(entry);
      if (entry.rule && lock) afterLock.push(entry);
      continue;
    }

    const failure = failingLines.get(entry.file)?.get(entry.line);
    let fails = failure !== undefined;
    let reason = `the line is rejected: ${failure}`;
    const optionNames = entry.parsed.options.map((o) => o.name);

    if (lock && (entry.rule || entry.parsed.kind === 'control')) {
      afterLock.push(entry);
      fails = true;
      reason = `the configuration is locked by -e 2 at ${place(lock)}`;
      if (entry.rule && lock.file !== entry.file) {
        diagnostics.push(diagnostic('after-immutable', entry.rule.range, {
          lockLine: `${lock.line + 1} of ${baseName(lock.file)}`,
        }, { file: entry.file, related: [related(lock, 'the -e 2 that locks the rules')] }));
      }
    } else if (entry.rule) {
      rulesSeen++;
      const identity = kernelIdentity(entry.rule);
      if (entry.rule.operation === 'delete') {
        loaded.delete(identity);
      } else if (loaded.has(identity)) {
        const first = loaded.get(identity)!;
        fails = true;
        reason = `the kernel refuses the duplicate of ${place(first)} (Rule exists)`;
        if (first.file !== entry.file) {
          diagnostics.push(diagnostic('duplicate-rule', entry.rule.range, {
            otherLine: `${first.line + 1} of ${baseName(first.file)}`,
          }, {
            file: entry.file,
            related: [related(first, 'the same rule, loaded first')],
            data: removeLineFix(entry),
          }));
        }
      } else if (!fails) {
        loaded.set(identity, entry);
      }
    } else if (entry.parsed.kind === 'control') {
      for (const name of optionNames) {
        if (name === '-i' || name === '-c') {
          const next: ErrorMode = name === '-i' ? 'ignore' : 'continue';
          if (errorModeEntry && errorMode !== next) {
            diagnostics.push(diagnostic('error-mode-changed', wholeLine(entry), {
              option: name, earlier: optionFor(errorMode), place: place(errorModeEntry),
            }, { file: entry.file, related: [related(errorModeEntry, 'the earlier mode')] }));
          }
          if (rulesSeen > 0 && !errorModeEntry) {
            diagnostics.push(diagnostic('error-mode-late', wholeLine(entry), {
              option: name, count: counted(rulesSeen, 'rule'),
            }, { file: entry.file }));
          }
          errorMode = next;
          errorModeEntry = entry;
        }
      }
      const enable = entry.parsed.options.find((o) => o.name === '-e');
      if (enable?.argument?.text === '2' && !fails) lock = entry;

      if (optionNames.includes('-D') && !entry.parsed.options.some((o) => o.name === '-k')
        && loaded.size > 0) {
        const first = [...loaded.values()][0];
        diagnostics.push(diagnostic('delete-all-not-first', wholeLine(entry), {
          count: counted(loaded.size, 'rule'), first: place(first),
        }, {
          file: entry.file,
          related: [related(first, 'loaded, then deleted by the -D')],
        }));
        loaded.clear();
      }

      // `-D -k key` deletes only the rules carrying that key.
      const deleteKey = optionNames.includes('-D')
        ? entry.parsed.options.find((o) => o.name === '-k')?.argument?.text : undefined;
      if (deleteKey !== undefined) {
        for (const [identity, kept] of loaded) {
          if (kept.rule?.keys.includes(deleteKey)) loaded.delete(identity);
        }
      }

      const setting = optionNames.find((n) => n === '-b' || n === '-f');
      if (setting && rulesSeen > 0 && mode === 'file') {
        diagnostics.push(diagnostic('control-after-rules', wholeLine(entry), {
          option: setting, count: counted(rulesSeen, 'rule'),
        }, { file: entry.file }));
      }
    }

    if (fails && errorMode === 'stop') {
      stoppedAt = entry;
      stopReason = reason;
    }
  }

  if (lock && afterLock.some((e) => e.rule)) {
    const rules = afterLock.filter((e) => e.rule);
    diagnostics.push(diagnostic('immutable-not-last', wholeLine(lock), {
      count: counted(rules.length, 'rule'), first: place(rules[0]),
    }, {
      file: lock.file,
      related: rules.slice(0, 10).map((e) => related(e, 'rejected: after -e 2')),
    }));
  }

  // The lines of each file after the one whose line stops the load: none of them loads.
  const lostByFile = new Map<string, StreamEntry[]>();
  for (const entry of lost) {
    if (entry.file === stoppedAt?.file) continue;
    const entries = lostByFile.get(entry.file);
    if (entries) entries.push(entry);
    else lostByFile.set(entry.file, [entry]);
  }

  if (stoppedAt && lost.length > 0) {
    diagnostics.push(diagnostic('load-stops', stoppedAt.rule?.range ?? wholeLine(stoppedAt), {
      reason: stopReason, first: place(lost[0]),
      lost: `${counted(lost.length, 'more line')}`,
      line: stoppedAt.auditctlLine ?? stoppedAt.line + 1,
      file: stoppedAt.auditctlFile ?? stoppedAt.file,
    }, {
      file: stoppedAt.file,
      related: lost.slice(0, 10).map((e) => related(e, `never loaded: ${e.text.trim()}`)),
    }));
    // Each later file is told too, at its first line not loaded: an editor shows a file's
    // own problems, and the stop is in another file.
    for (const [file, entries] of lostByFile) {
      diagnostics.push(diagnostic('load-stopped-earlier', wholeLine(entries[0]), {
        place: place(stoppedAt), reason: stopReason,
        count: counted(entries.length, 'line'),
      }, {
        file,
        related: [related(stoppedAt, 'the load stops here')],
      }));
    }
  }

  const loadedRules = [...loaded.values()].map((entry) => entry.rule!);
  const lockStaysInPlace = lock !== undefined && lock.moved !== 'enable';
  return { loaded: loadedRules, lockStaysInPlace, lostFiles: new Set(lostByFile.keys()) };
}

function optionFor(mode: ErrorMode): string {
  return mode === 'ignore' ? '-i' : mode === 'continue' ? '-c' : 'stop';
}

function removeLineFix(entry: StreamEntry): FixData {
  return {
    fixes: [{
      title: 'Remove the duplicate rule',
      edits: [{
        range: wholeLines(entry.line, entry.line + 1),
        newText: '',
      }],
    }],
  };
}

// --- the matching order --------------------------------------------------------------

/** Where programs live: a `never` rule on such a path most likely meant the program. */
const programLocations = [
  '/bin', '/sbin', '/usr/bin', '/usr/sbin', '/usr/local/bin', '/usr/local/sbin', '/usr/lib',
  '/usr/lib64', '/usr/libexec', '/usr/local/lib', '/opt', '/snap',
];
const executableLocations = [
  '/bin', '/sbin', '/usr/bin', '/usr/sbin', '/usr/local/bin', '/usr/local/sbin',
];

interface IndexedRule {
  rule: RuleModel;
  set: RuleEventSet;
  position: number;
}

function analyseMatchingOrder(
  loaded: RuleModel[],
  version: AuditVersion,
  textOf: (rule: RuleModel) => string,
  diagnostics: RuleDiagnostic[],
): void {
  const order = kernelOrder(loaded);
  const byList = new Map<string, IndexedRule[]>();
  order.forEach((rule, position) => {
    const list = byList.get(rule.list) ?? [];
    list.push({ rule, set: eventSetOf(rule), position });
    byList.set(rule.list, list);
  });

  for (const [list, rules] of byList) {
    if (list === 'exclude') {
      for (const { rule, set } of rules) excludeEverything(rule, set, version, diagnostics);
      continue;
    }
    const shadowed = shadowing(rules, textOf, diagnostics);
    partlyPreEmpted(rules, shadowed, version, textOf, diagnostics);
    if (list === 'exit') for (const { rule } of rules) pathNotCaller(rule, diagnostics);
  }

  const exitRules = byList.get('exit') ?? [];
  for (const { rule, set } of byList.get('task') ?? []) {
    if (set.action !== 'never' || set.conditions.length > 0 || exitRules.length === 0) continue;
    const firstExit = exitRules[0].rule;
    diagnostics.push(diagnostic('task-never-all', rule.range, {
      count: counted(exitRules.length, 'rule'),
    }, {
      file: rule.file,
      related: [ruleRelated(firstExit, 'an exit rule that sees no task started after the load')],
    }));
  }
}

function ruleRelated(rule: RuleModel, message: string): RelatedInformation {
  return { file: rule.file, range: rule.range, message };
}

/**
 * For each rule, the first earlier rule on its list that matches all of its events: that
 * rule decides every one of them (first match wins), so the later rule never does.
 */
function shadowing(
  rules: IndexedRule[],
  textOf: (rule: RuleModel) => string,
  diagnostics: RuleDiagnostic[],
): Set<IndexedRule> {
  const index = new CandidateIndex();
  const shadowed = new Set<IndexedRule>();
  for (const later of rules) {
    if (!later.set.empty) {
      const earlier = index.firstCovering(later.set, (c) => subsumes(c.set, later.set));
      if (earlier) {
        reportShadow(earlier, later, textOf, diagnostics);
        shadowed.add(later);
      }
    }
    index.add(later);
  }
  return shadowed;
}

/**
 * A never rule placed after an always rule that certainly matches some of its events (the
 * noise report's rules appended at the end of a file): those events are recorded before
 * the never rule is reached. Reported only when no earlier never rule may take them.
 */
function partlyPreEmpted(
  rules: IndexedRule[],
  shadowed: ReadonlySet<IndexedRule>,
  version: AuditVersion,
  textOf: (rule: RuleModel) => string,
  diagnostics: RuleDiagnostic[],
): void {
  // The first earlier rule that decides for some of a never rule's events: an always rule
  // that certainly shares events with it is reported, unless a never rule before that one
  // may already take them. Only the always rules are tried for every never rule (a file of
  // thousands of never rules has few of them); the never rules before the one found are
  // looked at only then.
  const always: number[] = [];
  rules.forEach((later, position) => {
    if (later.set.action !== 'never') {
      always.push(position);
      return;
    }
    if (later.set.empty || shadowed.has(later)) return;
    const found = always.find((at) => certainlyOverlap(rules[at].set, later.set));
    if (found === undefined) return;
    for (let at = 0; at < found; at++) {
      const earlier = rules[at].set;
      if (earlier.action === 'never' && mayOverlap(earlier, later.set)) return;
    }
    reportPartialPreEmption(rules[found].rule, later, version, textOf, diagnostics);
  });
}

function reportPartialPreEmption(
  a: RuleModel,
  later: IndexedRule,
  version: AuditVersion,
  textOf: (rule: RuleModel) => string,
  diagnostics: RuleDiagnostic[],
): void {
  const b = later.rule;
  const where = `${baseName(a.file ?? '')}:${a.line + 1}`.replace(/^:/, 'line ');

  // The conditions of the always rule that split the never rule's events.
  const splitting = a.fields.filter((field) => {
    if (field.field === 'key' || field.field === 'arch') return false;
    const alone = eventSetOf({ list: a.list, action: 'always', syscalls: a.syscalls,
      arches: [], fields: [field] });
    return !subsumes({ ...alone, syscalls: undefined }, later.set);
  }).map((field) => `${field.field}${field.operator}${field.raw}`);
  const bSyscalls = later.set.syscalls;
  const aSyscalls = eventSetOf(a).syscalls;
  let share = splitting.length > 0 ? `those with ${splitting.join(' and ')}` : 'some';
  if (bSyscalls && aSyscalls && [...bSyscalls].some((n) => !aSyscalls.has(n))) {
    const table = b.machine && a.list === 'exit' ? syscallTable(b.machine, version) : undefined;
    const shared = [...bSyscalls].filter((n) => aSyscalls.has(n))
      .map((n) => table?.byNumber.get(n) ?? String(n));
    share = `its ${shared.join(', ')} events` +
      (splitting.length > 0 ? ` with ${splitting.join(' and ')}` : '');
  }

  const data: MoveRuleData = {
    move: { file: b.file ?? '', line: b.line, beforeFile: a.file ?? '', beforeLine: a.line },
    fixes: a.file === b.file ? [moveAboveFix(a, b, textOf(b))] : [],
  };
  diagnostics.push(diagnostic('never-partly-pre-empted', b.range, { earlier: where, share }, {
    file: b.file, data,
    related: [ruleRelated(a, 'this always rule matches part of its events first')],
  }));
}

function reportShadow(
  earlier: IndexedRule,
  later: IndexedRule,
  textOf: (rule: RuleModel) => string,
  diagnostics: RuleDiagnostic[],
): void {
  const a = earlier.rule;
  const b = later.rule;
  const where = `${baseName(a.file ?? '')}:${a.line + 1}`.replace(/^:/, 'line ');

  if (a.action === 'always' && b.action === 'never') {
    const data: MoveRuleData = {
      move: { file: b.file ?? '', line: b.line, beforeFile: a.file ?? '', beforeLine: a.line },
      fixes: a.file === b.file ? [moveAboveFix(a, b, textOf(b))] : [],
    };
    diagnostics.push(diagnostic('never-after-always', b.range, { earlier: where }, {
      file: b.file, data,
      related: [ruleRelated(a, 'this always rule matches all of its events first')],
    }));
    return;
  }
  if (a.action === 'never' && b.action === 'always') {
    diagnostics.push(diagnostic('always-under-never', b.range, { earlier: where }, {
      file: b.file,
      related: [ruleRelated(a, 'this never rule matches all of its events first')],
    }));
    return;
  }
  if (a.action === 'always' && b.action === 'always') {
    const sameKeys = a.keys.join('\u0001') === b.keys.join('\u0001');
    const keys = b.keys.length > 0 ? b.keys.join(', ') : '(none)';
    diagnostics.push(diagnostic('shadowed-rule', b.range, {
      earlier: where,
      effect: sameKeys ? 'it is redundant'
        : `its key ${keys} is never recorded (events get ${a.keys.join(', ') || 'no key'})`,
    }, {
      file: b.file,
      related: [ruleRelated(a, 'this rule matches all of its events first')],
    }));
  }
}

function moveAboveFix(target: RuleModel, moving: RuleModel, movingText: string) {
  return {
    title: `Move this rule above line ${target.line + 1}`,
    preferred: true,
    edits: [
      {
        range: wholeLines(target.line, target.line),
        newText: `${movingText}\n`,
      },
      {
        range: wholeLines(moving.line, moving.line + 1),
        newText: '',
      },
    ],
  };
}

/**
 * Earlier rules that may cover a later one. An earlier rule can cover only if its mask
 * holds the later rule's smallest syscall number, and only if the later rule repeats the
 * earlier rule's first equality (a `path=` or `exe=` value, or a field held to one value).
 * Indexing on both keeps large rulesets close to linear.
 */
/** Earlier rules tried as a cover of one rule (see CandidateIndex.firstCovering). */
const maxCandidates = 500;

class CandidateIndex {
  private readonly buckets = new Map<string, IndexedRule[]>();

  add(rule: IndexedRule): void {
    const pointKey = pointKeys(rule.set)[0] ?? '*';
    const numbers = rule.set.syscalls ? [...rule.set.syscalls] : ['all'];
    for (const number of numbers) {
      const key = `${pointKey}|${number}`;
      const bucket = this.buckets.get(key) ?? [];
      bucket.push(rule);
      this.buckets.set(key, bucket);
    }
  }

  /**
   * The first earlier rule, in file order, that `covers` accepts. The candidate lists are
   * each in file order and are walked together, so the walk stops at the first cover. At
   * most maxCandidates rules are tried: thousands of rules on one syscall with no equality
   * in common would otherwise cost a comparison with every earlier one.
   */
  firstCovering(
    set: RuleEventSet,
    covers: (rule: IndexedRule) => boolean,
  ): IndexedRule | undefined {
    const smallest = set.syscalls && set.syscalls.size > 0 ? Math.min(...set.syscalls) : undefined;
    const numberKeys = smallest === undefined ? ['all'] : ['all', `${smallest}`];

    const lists: IndexedRule[][] = [];
    for (const pointKey of ['*', ...pointKeys(set)]) {
      for (const numberKey of numberKeys) {
        const bucket = this.buckets.get(`${pointKey}|${numberKey}`);
        if (bucket !== undefined) lists.push(bucket);
      }
    }
    const next = lists.map(() => 0);
    for (let tried = 0; tried < maxCandidates; tried++) {
      let first = -1;
      for (let i = 0; i < lists.length; i++) {
        if (next[i] >= lists[i].length) continue;
        if (first < 0 || lists[i][next[i]].position < lists[first][next[first]].position) {
          first = i;
        }
      }
      if (first < 0) return undefined;
      const rule = lists[first][next[first]++];
      if (covers(rule)) return rule;
    }
    return undefined;
  }
}

/** The equalities a rule holds: text `=` conditions and process fields held to one value. */
function pointKeys(set: RuleEventSet): string[] {
  const keys: string[] = [];
  for (const condition of set.conditions) {
    if (condition.kind === 'text' && condition.op === '=') {
      keys.push(`${condition.scope}:${condition.field}=${condition.value}`);
    }
  }
  for (const [field, values] of set.processRanges) {
    const [low, high] = values[0] ?? [0, -1];
    if (values.length === 1 && low === high) keys.push(`#${field}=${low}`);
  }
  return keys;
}

/** An exclude rule whose conditions every record meets drops the whole log. */
function excludeEverything(
  rule: RuleModel,
  set: RuleEventSet,
  version: AuditVersion,
  diagnostics: RuleDiagnostic[],
): void {
  if (set.empty) return;
  const knownTypes = [...messageTypes(version).byNumber.keys()];
  const universal = set.conditions.every((condition) => {
    if (condition.kind === 'bits') return condition.all && condition.mask >>> 0 === 0;
    if (condition.kind !== 'range') return false;
    if (condition.field === 'msgtype') {
      return knownTypes.every((type) => contains(condition.values, type));
    }
    return isSubset(everyValue, condition.values);
  });
  if (!universal) return;
  diagnostics.push(diagnostic('exclude-drops-everything', rule.range, {}, { file: rule.file }));
}

/** `-a never,exit -F dir=/opt/agent`: dir and path name what a syscall touches. */
function pathNotCaller(rule: RuleModel, diagnostics: RuleDiagnostic[]): void {
  if (rule.action !== 'never' || rule.fields.some((f) => f.field === 'exe')) return;
  for (const field of rule.fields) {
    if ((field.field !== 'path' && field.field !== 'dir') || field.implicit) continue;
    const value = `${field.value}`;
    if (!programLocations.some((root) => isInTree(value, root) && value !== root)) continue;

    const isProgram = field.field === 'path'
      && executableLocations.some((root) => isInTree(value, root));
    const data: ExeFieldData = {
      field: field.field, value, exe: isProgram ? value : undefined,
      fixes: isProgram ? [{
        title: `Match the program: -F exe=${value}`,
        preferred: true,
        edits: [{ range: field.range, newText: `exe=${value}` }],
      }] : [],
    };
    diagnostics.push(diagnostic('path-not-caller', field.range, {
      field: field.field, value,
    }, { file: rule.file, data }));
  }
}
