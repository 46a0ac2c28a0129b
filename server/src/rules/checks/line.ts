/**
 * One line as auditctl's setopt processes it: options in getopt order, stopping at the
 * first failure (retval -1) or at an option that completes the line (retval -2), then
 * the leftover-word check, the key, and what handle_request sends. The result is the
 * line's diagnostics, its resolved rule (if it builds one) and its effect on the file.
 */
import {
  compatMachine, fieldInfo, nativeMachine, syscallTable, type ListName, type Machine,
} from '../../tables';
import { diagnostic } from '../codes';
import type { RuleDiagnostic } from '../diagnostics';
import type { RuleModel, SyscallSelection } from '../model';
import { isParseProblem, type ParsedOption, type RulesLine } from '../parse';
import { ControlEffect, applyControl, optionOptind } from './control';
import { applyComparison, applyField, keyAllowed } from './fields';
import { lineExtent, wholeOptionRange } from './ranges';
import {
  CheckOptions, LineState, fail, maxFieldsPerRule, newLineState, releaseLineState, report,
} from './state';
import { applySyscalls } from './syscalls';
import { lintLineText, rewriteFieldWithoutF } from './text';
import { explainByteOrderMark } from './byteOrderMark';
import { applyLineEdits, insertLineAfter, twinSyscallEdits } from './twin';
import { applyPerm, applyWatch } from './watch';
import { utf8Length } from '../tokens';
import { identitySeparator, identityValue } from '../identityText';

export interface LineResult {
  diagnostics: RuleDiagnostic[];
  rule?: RuleModel;
  /**
   * What the kernel compares to refuse a duplicate (audit_compare_rule): prepend flag,
   * list, action, syscall mask, every field in order with operator and value, the key.
   */
  identity?: string;
  /**
   * What the whole-file twin check (checks/ruleset.ts) found for the rule, kept for a later
   * check that reuses the line: its twin signature, and the diagnostic made when it lacked
   * a twin, with the syscalls that diagnostic named. A result is reused only for an
   * unchanged line under the same options, so while the same syscalls lack a twin the
   * diagnostic and its fix are the same too.
   */
  twinSignature?: string;
  twinFinding?: { names: string; diagnostic: RuleDiagnostic };
  effects: ControlEffect[];
  /** Whether auditctl (or the kernel) fails this line, host-independent errors only. */
  failed: boolean;
}

/**
 * The empty list every line without diagnostics, effects or rule parts shares: a checked
 * document keeps a few lists per line, and most of them are empty. Frozen, so that a
 * reader that pushes onto one fails loudly instead of changing every line.
 */
const none: readonly never[] = Object.freeze([]);

/** A list as a result keeps it: the shared empty one, or a copy cut to its length. */
function kept<T>(items: readonly T[]): T[] {
  return items.length === 0 ? none as never as T[] : items.slice();
}

/** The lists, each mapped to its own name: a rule keeps this string, not the word's copy. */
const listNamesLower = new Map<string, ListName>(
  (['user', 'task', 'exit', 'exclude', 'filesystem', 'io_uring'] as const)
    .map((name) => [name, name]),
);

export function interpretLine(line: RulesLine, options: CheckOptions): LineResult {
  const state = newLineState(line, options);
  try {
    return interpretWith(state);
  } finally {
    releaseLineState(state);
  }
}

function interpretWith(state: LineState): LineResult {
  const line = state.line;
  const effects: ControlEffect[] = [];
  lintLineText(state);

  if (line.kind === 'comment' || line.kind === 'blank') {
    return { diagnostics: kept(state.diagnostics), effects: kept(effects), failed: false };
  }

  const argvCount = line.tokens.length - line.droppedTokens.length + 1;
  let lastOption: ParsedOption | undefined;
  let processedOptions = 0;
  let walkEndedEarly = false;

  for (const item of line.items) {
    if (isParseProblem(item)) {
      if (item.kind === 'stray-parameter') continue;
      const code = item.candidates ? 'ambiguous-option'
        : item.kind === 'missing-argument' ? 'missing-argument' : 'unknown-option';
      fail(state, diagnostic(code, item.range, {
        option: item.text, line: line.line + 1,
        candidates: item.candidates?.join(', ') ?? '',
      }));
      walkEndedEarly = true;
      break;
    }

    const option = item;
    processedOptions++;
    swallowedOption(state, option);
    if (option.abbreviated) abbreviatedOption(state, option);
    lastOption = option;
    applyOption(state, option, argvCount, effects);
    if (state.retval < 0) {
      walkEndedEarly = true;
      if (state.retval === -2) state.stoppedBy = option;
      break;
    }
  }

  if (state.dropped) {
    return { diagnostics: kept(state.diagnostics), effects: kept(effects), failed: false };
  }

  if (state.returnedEarly && lastOption) {
    ignoredWords(state, lastOption);
    return {
      diagnostics: kept(state.diagnostics), effects: kept(effects), failed: state.failed,
    };
  }

  // Kernel refusals (state.failed without retval -1) come later than these steps.
  if (state.retval !== -1) {
    checkLeftoverWords(state, processedOptions, walkEndedEarly ? lastOption : undefined);
  } else {
    reportStrays(state, 'error');
  }

  if (state.retval !== -1) finishKey(state);

  if (!state.failed && state.retval === 0 && state.syscallAdded && !state.selection) {
    fail(state, diagnostic('syscall-without-list', lineExtent(line)));
  }

  if (state.stoppedBy && state.selection && !state.failed) {
    report(state, diagnostic('rule-not-sent', state.stoppedBy.range, {
      option: state.stoppedBy.written,
    }));
  }

  rewriteFieldWithoutF(state);
  explainByteOrderMark(state);

  const rule = !state.dropped && state.selection && state.action && state.retval > 0
    ? buildRule(state)
    : undefined;
  if (rule) ruleWarnings(state, rule);
  const identity = rule ? kernelIdentity(state, rule) : undefined;

  return {
    diagnostics: kept(state.diagnostics), rule, identity, effects: kept(effects),
    failed: state.failed, twinSignature: undefined, twinFinding: undefined,
  };
}

function applyOption(
  state: LineState,
  option: ParsedOption,
  argvCount: number,
  effects: ControlEffect[],
): void {
  switch (option.name) {
    case '-a':
    case '-A':
    case '-d':
      applyListAction(state, option);
      return;
    case '-S':
      applySyscalls(state, option);
      return;
    case '-F':
      applyFieldOption(state, option);
      return;
    case '-C':
      applyComparison(state, option, state.selection ? state.selection.list : undefined);
      return;
    case '-k':
      applyKey(state, option);
      return;
    case '-w':
    case '-W':
      applyWatch(state, option);
      return;
    case '-p':
      applyPerm(state, option);
      return;
    default:
      applyControl(state, option, argvCount, effects);
  }
}

/**
 * auditctl's audit_rule_setup: list and action in either order, exactly one comma,
 * actions case-sensitive, lists case-sensitive in 3.0.9 and not in 4.2.
 */
function applyListAction(state: LineState, option: ParsedOption): void {
  const text = option.argument!.text;
  const range = option.argument!.range;
  const verb = option.name === '-a' ? 'Append' : option.name === '-A' ? 'Add' : 'Delete';
  const version = state.options.auditVersion;
  const bad = (reason: string) =>
    fail(state, diagnostic('bad-list-action', range, { value: text, reason, verb }));

  if (option.name !== '-d' && text.includes('task') && state.syscallAdded) {
    fail(state, diagnostic('syscall-on-list', option.range, {
      list: 'task',
      text: option.name === '-a' ? 'Syscall auditing requested for task list'
        : 'Error: syscall auditing requested for task list',
    }));
    return;
  }

  state.ruleOperations++;
  if (state.ruleOperations !== 1) {
    multipleRules(state, option);
    return;
  }

  const comma = text.indexOf(',');
  if (comma === -1 || text.indexOf(',', comma + 1) !== -1) {
    bad('it must be a list and an action separated by one comma');
    return;
  }
  const first = text.slice(0, comma);
  const second = text.slice(comma + 1);

  let list = state.selection?.list;
  let listText = state.selection?.listText ?? '';
  let listKnown = state.selection !== undefined;
  let action = state.action;
  const lookupList = (word: string) => resolveList(word, version);

  const firstAction = lookupAction(first);
  if (firstAction === 'other') {
    const resolved = lookupList(first);
    if (!resolved) {
      bad(listReason(first, version));
      return;
    }
    list = resolved;
    listText = first;
    listKnown = true;
  } else if (firstAction !== 'possible') {
    action = firstAction;
  }

  if (!listKnown) {
    // The first word was an action: the second must be the list. 3.0.9 refuses an unknown
    // list here; 4.2 sends the rule and the kernel refuses it.
    const resolved = lookupList(second);
    if (!resolved) {
      if (version === '3.0.9' || action === undefined) {
        bad(listReason(second, version));
        return;
      }
      listText = second;
      state.selection = { operation: operationOf(option), listText, range };
      state.action = action;
      fail(state, diagnostic('unknown-list-kernel', range, { list: second, version }));
      return;
    }
    list = resolved;
    listText = second;
  } else {
    const secondAction = lookupAction(second);
    if (secondAction === 'possible') {
      state.dropped = true;
      state.retval = -3;
      report(state, diagnostic('deprecated-possible', range, {
        verb: verb === 'Add' ? 'Append' : verb,
      }));
      return;
    }
    if (secondAction === 'other') {
      bad(`"${second}" is not an action (always or never, in lower case)`);
      return;
    }
    action = secondAction;
  }

  if (action === undefined || list === undefined) {
    bad(firstAction === 'possible'
      ? 'possible is deprecated and only dropped silently in the list,possible order'
      : 'it needs one list and one action');
    return;
  }

  if (listText !== list) {
    report(state, diagnostic('list-case', range, { list: listText, lower: list }, {
      data: {
        fixes: [{
          title: `Write "${list}"`, preferred: true,
          edits: [{ range, newText: text.replace(listText, list) }],
        }],
      },
    }));
  }

  if (state.syscallAdded && (list === 'user' || list === 'exclude' || list === 'filesystem')) {
    report(state, diagnostic('syscall-ignored-on-list', state.syscallOptions[0]?.range ?? range, {
      list,
    }));
  }

  state.selection = { operation: operationOf(option), list, listText, range };
  state.action = action;
  state.retval = 1;
}

function operationOf(option: ParsedOption) {
  return option.name === '-a' ? 'append' as const
    : option.name === '-A' ? 'prepend' as const : 'delete' as const;
}

function lookupAction(word: string): 'always' | 'never' | 'possible' | 'other' {
  // The literals, not the word: a rule keeps its action.
  if (word === 'always') return 'always';
  if (word === 'never') return 'never';
  if (word === 'possible') return 'possible';
  return 'other';
}

function resolveList(word: string, version: '3.0.9' | '4.2'): ListName | undefined {
  if (version === '3.0.9') {
    if (word === 'io_uring') return undefined;
    return listNamesLower.get(word);
  }
  const lower = word.toLowerCase();
  return listNamesLower.get(lower);
}

function listReason(word: string, version: '3.0.9' | '4.2'): string {
  const lower = word.toLowerCase();
  if (word === 'entry') return 'the entry list was removed; use exit';
  if (lower === 'io_uring' && version === '3.0.9') {
    return 'the io_uring list needs auditctl 3.1 or later';
  }
  if (lookupAction(lower) !== 'other') return `actions are case-sensitive: write "${lower}"`;
  if (listNamesLower.has(lower)) return `lists are case-sensitive in auditctl 3.0.9: "${lower}"`;
  return `"${word}" is neither a list (task exit user exclude filesystem${
    version === '4.2' ? ' io_uring' : ''}) nor an action (always never)`;
}

function multipleRules(state: LineState, option: ParsedOption): void {
  // From -a auditctl adds a newline to the text; the quote leaves it out.
  const text = 'Multiple rule insert/delete operations are not allowed';
  fail(state, diagnostic('multiple-rules', option.range, { option: option.written, text }, {
    data: splitLineFix(state, option),
  }));
}

/** Splits a line before the option that starts a second rule. */
export function splitLineFix(state: LineState, option: ParsedOption) {
  const at = option.range.start;
  let from = at.character;
  while (from > 0 && state.line.text[from - 1] === ' ') from--;
  return {
    fixes: [{
      title: 'Split into two lines',
      preferred: true,
      edits: [{
        range: { start: { line: at.line, character: from }, end: at },
        newText: '\n',
      }],
    }],
  };
}

function applyFieldOption(state: LineState, option: ParsedOption): void {
  const text = option.argument!.text;
  if (!state.selection) {
    // `-F arch=... -t` is the one field auditctl takes without a list.
    const next = state.line.tokens[optionOptind(option) - 1];
    if (!(text.includes('arch=') && next?.text === '-t')) {
      fail(state, diagnostic('list-before-field', wholeOptionRange(option)));
      return;
    }
  }

  if (text.startsWith('key=')) {
    addKey(state, text.slice(4), option, true);
    return;
  }
  applyField(state, option, state.selection?.list);
}

function applyKey(state: LineState, option: ParsedOption): void {
  const text = option.argument!.text;
  if (!keyAllowed(state) || !state.selection) {
    fail(state, diagnostic('key-without-rule', option.range));
    return;
  }
  addKey(state, text, option, false);
}

/** auditctl's process_keys: keys join with 0x01 up to 256 bytes in all. */
function addKey(state: LineState, text: string, option: ParsedOption, viaField: boolean): void {
  const range = option.argument!.range;
  const joined = state.keys.filter((key) => !key.viaField || key.text !== undefined);
  const current = joined.reduce((sum, key) => sum + utf8Length(key.text), 0) +
    Math.max(0, joined.length - 1);
  const length = current + utf8Length(text) + (joined.length > 0 ? 1 : 0);
  // libaudit checks one -F key= value on its own first (reference §1.4).
  if (viaField && utf8Length(text) > 256) {
    fail(state, diagnostic('string-too-long', range, {
      what: 'The key value', length: utf8Length(text), limit: 256,
      text: 'String value too long',
    }));
    return;
  }
  if (length > 256) {
    fail(state, diagnostic('key-too-long', range, { length }));
    return;
  }
  const valueRange = viaField
    ? { start: { line: range.start.line, character: range.end.character - text.length },
      end: range.end }
    : range;
  state.keys.push({ text, range: valueRange, viaField });
}

/** The key joins the rule as one more field at the end of the line (setopt's tail). */
function finishKey(state: LineState): void {
  const joinedKeys = state.keys.length - state.extraKeyFields;
  if (joinedKeys <= 0) return;
  const range = state.keys[0].range;
  const list = state.selection?.list;
  if (list === 'exclude' && !fieldInfo('key')!.excludeList[state.options.auditVersion]) {
    fail(state, diagnostic('field-not-on-list', range, {
      field: 'key', list, reason: ` in auditctl ${state.options.auditVersion}`,
      text: 'Only msgtype, *uid, *gid, pid, and subj* fields can be used with exclude filter',
    }));
    return;
  }
  if (!keyAllowed(state)) {
    fail(state, diagnostic('key-field-without-rule', range));
    return;
  }
  if (state.fieldCount >= maxFieldsPerRule) {
    const joined = state.keys.slice(0, joinedKeys).map((key) => key.text).join('\u0001');
    fail(state, diagnostic('too-many-fields', range, {
      count: state.fieldCount + 1, text: `key=${joined}`,
    }));
    return;
  }
  state.fieldCount++;
  if (state.extraKeyFields > 0) {
    // A `-F KEY=` in capitals is a second key field: the kernel takes one key per rule.
    fail(state, diagnostic('string-too-long', range, {
      what: 'A second key field', length: 2, limit: 1,
      text: 'Error sending add rule data request (Invalid argument)',
    }));
  }
  for (const key of state.keys) {
    if (key.text.endsWith('\r')) {
      report(state, diagnostic('key-has-cr', key.range, { key: key.text.slice(0, -1) }));
    }
  }
}

/**
 * getopt's end: words left over are an error unless the walk stopped with success at an
 * option (then only words after it count), and a line whose first word is not an option
 * fails silently (optind == 1).
 */
function checkLeftoverWords(
  state: LineState,
  processedOptions: number,
  stopOption: ParsedOption | undefined,
): void {
  const line = state.line;
  const kept = line.tokens.length - line.droppedTokens.length;
  const strays = line.problems.filter((problem) => problem.kind === 'stray-parameter');

  if (stopOption) {
    const optind = optionOptind(stopOption);
    if (optind === 1) {
      fail(state, diagnostic('no-option', stopOption.range, { line: line.line + 1 }));
      return;
    }
    const firstLeft = optind - 1;
    if (firstLeft < kept - state.consumedWords) {
      const token = line.tokens[firstLeft];
      fail(state, diagnostic('ignored-after-option', {
        start: { line: line.line, character: token.start },
        end: { line: line.line, character: line.tokens[kept - 1].end },
      }, { option: stopOption.written, word: token.text }));
    }
    for (const stray of strays) {
      if (stray.tokenIndex < firstLeft) {
        report(state, diagnostic('stray-parameter', stray.range, { word: stray.text }, {
          severity: 'warning',
        }));
      }
    }
    return;
  }

  if (processedOptions === 0 && strays.length > 0) {
    if (!strays.some((stray) => stray.text.startsWith('#'))) {
      // getopt finds no option at all: auditctl fails the line with no message of its own,
      // so one no-option error says it; a stray-parameter per word would quote a message
      // auditctl does not print here.
      fail(state, diagnostic('no-option', lineExtent(line), { line: line.line + 1 }));
      return;
    }
    reportStrays(state, 'error');
    return;
  }
  reportStrays(state, 'error');
}

/** Words after an option that returns from setopt at once are silently ignored. */
function ignoredWords(state: LineState, option: ParsedOption): void {
  const line = state.line;
  const firstLeft = optionOptind(option) - 1;
  const kept = line.tokens.length - line.droppedTokens.length;
  if (firstLeft >= kept) return;
  report(state, diagnostic('ignored-words', {
    start: { line: line.line, character: line.tokens[firstLeft].start },
    end: { line: line.line, character: line.tokens[kept - 1].end },
  }, { option: option.written, word: line.tokens[firstLeft].text }));
}

function reportStrays(state: LineState, severity: 'error' | 'warning'): void {
  for (const stray of state.line.problems) {
    if (stray.kind !== 'stray-parameter') continue;
    if (stray.text.startsWith('#')) continue; // reported as inline-comment by text.ts
    const diagnosticEntry = diagnostic('stray-parameter', stray.range, { word: stray.text }, {
      severity,
    });
    if (severity === 'error') fail(state, diagnosticEntry);
    else report(state, diagnosticEntry);
  }
  for (const stray of state.line.problems) {
    if (stray.kind === 'stray-parameter' && stray.text.startsWith('#')) {
      state.failed = true;
      state.retval = -1;
    }
  }
}

function abbreviatedOption(state: LineState, option: ParsedOption): void {
  report(state, diagnostic('abbreviated-option', option.range, {
    written: option.written, option: option.name,
  }, {
    data: {
      fixes: [{ title: `Write ${option.name}`, preferred: true,
        edits: [{ range: option.range, newText: option.name }] }],
    },
  }));
}

/** `-k -F key`: an option word taken as the argument of the option before it. */
function swallowedOption(state: LineState, option: ParsedOption): void {
  const argument = option.argument;
  if (!argument || argument.attached || argument.text.charCodeAt(0) !== 0x2d) return;
  if (!/^-[A-Za-z]$|^--[a-z]/.test(argument.text)) return;
  const next = state.line.tokens[argument.tokenIndex + 1];
  const removeTo = next ? next.start : argument.range.end.character;
  report(state, diagnostic('option-as-argument', argument.range, {
    option: option.written, argument: argument.text,
  }, {
    data: next ? {
      fixes: [{
        title: `Remove the stray ${argument.text}`,
        preferred: true,
        edits: [{
          range: {
            start: argument.range.start,
            end: { line: state.line.line, character: removeTo },
          },
          newText: '',
        }],
      }],
    } : undefined,
  }));
}

function buildRule(state: LineState): RuleModel {
  const selection = state.selection!;
  const list = selection.list ?? 'exit';
  const numbers = sortedMask(state.syscallNumbers);
  const noSyscalls = state.syscallWritten.length === 0 && !state.watch;
  return {
    line: state.line.line,
    file: state.options.file,
    list,
    action: state.action!,
    operation: selection.operation,
    machine: state.machine ?? (state.badArch ? undefined : state.options.hostMachine),
    machineFromHost: !state.machineFromArch,
    arches: kept(state.arches),
    syscalls: syscallSelection(
      state.syscallAll || state.watch !== undefined || (noSyscalls && list !== 'task'),
      numbers, state),
    fields: kept(state.fields),
    comparisons: kept(state.comparisons),
    keys: keyTexts(state),
    watch: state.watch,
    range: lineExtent(state.line),
    listRange: selection.range,
  };
}

/**
 * The two selections of a rule with no -S word (every watch, most rules of the other
 * lists), shared: a checked document keeps one per rule. Frozen, like `none`.
 */
const noneWritten: readonly SyscallSelection[] = [true, false].map((all) => Object.freeze({
  all, numbers: none as never as number[], names: none as never as string[],
  written: none as never as SyscallSelection['written'],
}));

function syscallSelection(all: boolean, numbers: number[], state: LineState): SyscallSelection {
  if (numbers.length === 0 && state.syscallNames.length === 0 &&
    state.syscallWritten.length === 0) {
    return noneWritten[all ? 0 : 1];
  }
  return { all, numbers, names: kept(state.syscallNames), written: kept(state.syscallWritten) };
}

function keyTexts(state: LineState): string[] {
  const keys = state.keys;
  if (keys.length === 0) return none as never as string[];
  if (keys.length === 1) return [keys[0].text];
  const texts: string[] = [];
  for (const key of keys) texts.push(key.text);
  return texts;
}

/** The syscall numbers of a rule's mask, ascending, each once. */
function sortedMask(added: readonly number[]): number[] {
  if (added.length === 0) return none as never as number[];
  if (added.length === 1) return [added[0]];
  const numbers = added.slice().sort((a, b) => a - b);
  let unique = 1;
  for (let i = 1; i < numbers.length; i++) {
    if (numbers[i] !== numbers[unique - 1]) numbers[unique++] = numbers[i];
  }
  numbers.length = unique;
  return numbers;
}

/**
 * A -w becomes path= or dir= depending on what the path is on the host, so path and dir
 * compare as one kind here (auditctl turns `-w /etc` into the same rule as `-F dir=/etc`).
 */
function identityField(field: string): string {
  return field === 'path' || field === 'dir' ? 'watch' : field;
}

/** The identityText of the rule's parts, written piece by piece. */
function kernelIdentity(state: LineState, rule: RuleModel): string {
  const separator = identitySeparator;
  const syscalls = rule.syscalls;
  let text = (rule.operation === 'prepend' ? 'prepend' : 'append') + separator + rule.list +
    separator + rule.action + separator +
    (syscalls.all ? 'all' : syscalls.numbers.length === 1 ? String(syscalls.numbers[0])
      : syscalls.numbers.join(','));
  const ordered = state.ordered;
  for (let index = 0; index < ordered.length; index++) {
    const entry = ordered[index];
    if ('field' in entry) {
      text += separator + identityField(entry.field) + entry.operator +
        identityValue(entry.value);
    } else if ('left' in entry) {
      text += separator + 'C' + entry.left + entry.operator + entry.right;
    } else {
      text += separator + 'arch' + entry.operator + entry.machine;
    }
  }
  if (rule.keys.length > 0) {
    text += separator + 'key=' +
      identityValue(rule.keys.length === 1 ? rule.keys[0] : rule.keys.join('\u0001'));
  }
  return flat(text);
}

/**
 * The text as one string of characters. Written with `+`, a text is a tree of its pieces
 * until something reads a character of it (a map lookup does not): a checked document keeps
 * every rule's identity, and as trees they took twice the memory. Reading the first
 * character makes V8 copy the pieces into one string, which the tree then points to.
 */
function flat(text: string): string {
  return text.charCodeAt(0) === 0xffff ? text.slice() : text;
}

/** Warnings beyond auditctl that need the whole rule. */
function ruleWarnings(state: LineState, rule: RuleModel): void {
  if (rule.arches.length > 1) {
    report(state, diagnostic('multiple-arch', rule.arches[1].range));
  }
  foreignArchWarnings(state, rule);

  const syscallsNamed = rule.syscalls.written.length > 0 && !rule.syscalls.all;
  if (syscallsNamed && rule.arches.length === 0 && (rule.list === 'exit')) {
    const firstSyscall = state.syscallOptions[0];
    const machine = rule.machine ?? state.options.hostMachine;
    const twin = compatMachine(machine);
    let mismatch = '';
    // auditctl redoes the lookup in the 32-bit table only on x86_64, ppc64 and s390x hosts,
    // for -a / -A, and prints its warning only when the two masks differ (reference §4).
    let auditctlWarns = false;
    if (twin) {
      const twinTable = syscallTable(twin, state.options.auditVersion);
      const differs = rule.syscalls.names.some((name) =>
        twinTable?.byName.get(name) !== syscallTable(machine, state.options.auditVersion)
          ?.byName.get(name));
      if (differs) {
        mismatch = ` The ${twin} numbers of these names differ, so 32-bit calls of other ` +
          'syscalls match.';
        auditctlWarns = ['x86_64', 'ppc64', 's390x'].includes(machine) &&
          rule.operation !== 'delete';
      }
    }
    const insertAt = firstSyscall ? firstSyscall.range.start : rule.listRange.end;
    const bits = machine === 'x86_64' || twin ? 'b64' : undefined;
    const addArch = { range: { start: insertAt, end: insertAt }, newText: '-F arch=b64 ' };
    const fixes = bits ? [{ title: 'Add -F arch=b64 before -S', preferred: true,
      edits: [addArch] }] : [];
    const twinRule = bits ? missingArchTwin(state, rule, machine, insertAt.character) : undefined;
    if (twinRule) {
      fixes.push({ title: 'Add -F arch=b64 before -S, and the b32 twin rule', preferred: false,
        edits: [addArch, insertLineAfter(state.line, twinRule)] });
    }
    report(state, diagnostic('missing-arch', firstSyscall?.range ?? rule.listRange, {
      machine, mismatch, line: state.line.line + 1,
    }, {
      data: fixes.length > 0 ? { fixes } : undefined,
      withoutAuditctlText: !auditctlWarns,
    }));
  }

  if (rule.watch && (rule.fields.some((field) => !field.implicit) || state.syscallOptions.length)) {
    const extra = rule.fields.find((field) => !field.implicit);
    report(state, diagnostic('watch-extra-fields', extra?.range ?? rule.listRange, {
      option: extra ? `-F ${extra.field}` : '-S',
    }));
  }
}

/**
 * An exit rule whose `-F arch=` names a machine the target's kernel never reports. auditctl
 * resolves -S against that machine's table and loads the rule, but the kernel compares
 * each syscall's AUDIT_ARCH with it: a target runs its own syscalls and those of the 32-bit
 * machine it runs as compat, nothing else. A delete removes a rule whatever it matches,
 * and `arch!=` of another machine holds for every syscall.
 */
function foreignArchWarnings(state: LineState, rule: RuleModel): void {
  if (rule.list !== 'exit' || rule.operation === 'delete') return;
  const target = state.options.hostMachine;
  const compat = kernelCompatMachine(target);
  for (const arch of rule.arches) {
    if (arch.operator !== '=' || arch.machine === target || arch.machine === compat) continue;
    // A 32-bit machine is checked as the 64-bit one that runs it as compat: --arch armeb
    // would flag the aarch64 rules beside it, --arch aarch64 accepts both.
    const native = nativeMachine(arch.machine);
    report(state, diagnostic('foreign-arch', arch.range, {
      value: arch.raw, machine: arch.machine, target,
      reported: compat ? `${target} and ${compat}` : target,
      meantFor: native ? `${native} or ${arch.machine}` : arch.machine,
      checkWith: native ?? arch.machine,
    }));
  }
}

/**
 * The 32-bit machine a target's kernel reports for compat syscalls: the b32 twin, and ppc
 * on ppc64le too. auditctl has no b32 there (reference §4), but a ppc64le kernel built with
 * CONFIG_COMPAT reports its 32-bit tasks as AUDIT_ARCH_PPC, so a ppc rule can match.
 */
function kernelCompatMachine(target: Machine): Machine | undefined {
  return target === 'ppc64le' ? 'ppc' : compatMachine(target);
}

/**
 * The b32 twin of a rule that has no -F arch yet: `-F arch=b32` where the b64 fix puts
 * `-F arch=b64`, and only the syscalls the 32-bit table has. None when it has none.
 */
function missingArchTwin(
  state: LineState,
  rule: RuleModel,
  machine: Machine,
  insertAt: number,
): string | undefined {
  const compat = compatMachine(machine);
  if (!compat || compat === 'armeb') return undefined;
  const version = state.options.auditVersion;
  const twinTable = syscallTable(compat, version);
  if (!twinTable) return undefined;
  const keep = new Set(rule.syscalls.names.filter((name) => twinTable.byName.has(name)));
  if (keep.size === 0) return undefined;

  const syscallEdits =
    twinSyscallEdits(state.line, rule, syscallTable(machine, version), twinTable, keep);
  if (!syscallEdits) return undefined;
  const edits = [{ from: insertAt, to: insertAt, text: '-F arch=b32 ' }, ...syscallEdits];
  const text = state.line.text;
  return applyLineEdits(text.endsWith('\r') ? text.slice(0, -1) : text, edits);
}

export { fail };
