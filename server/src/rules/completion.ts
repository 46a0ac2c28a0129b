/**
 * Completion for rules files: a pure function of the parsed document and a position.
 * Options; list,action after -a; fields after -F filtered by the rule's list; operators;
 * values by field kind; syscall names for the rule's arch after -S; the document's keys
 * after -k; snippets for a watch, a syscall rule and exclusion rules.
 */
import {
  AuditVersion,
  Machine,
  errnoByName,
  fieldInfo,
  fields,
  fileTypeByName,
  fsTypes,
  listNames,
  machines,
  messageTypes,
  syscallTable,
  uringOpTable,
} from '../tables';
import { syscallDescription } from '../tables/descriptions';
import type { Position, Range } from './diagnostics';
import { lineRange } from './diagnostics';
import {
  commaElementAt,
  keysOfLine,
  listOfLine,
  machineForSyscallsAt,
  splitFieldArgument,
  targetAt,
} from './cursor';
import { archLabel } from './hover';
import type { OptionName, RulesDocument, RulesLine } from './parse';
import {
  actionDocs,
  enableValueDocs,
  failureValueDocs,
  listDocs,
  operatorDocs,
  optionDocs,
  permLetterDocs,
  signalDocs,
} from './vocabulary';

export interface CompletionOptions {
  auditVersion: AuditVersion;
  hostMachine: Machine;
}

export type RulesCompletionKind =
  | 'option' | 'list-action' | 'field' | 'operator' | 'value' | 'syscall' | 'key' | 'snippet';

export interface RulesCompletion {
  label: string;
  kind: RulesCompletionKind;
  detail?: string;
  /** Markdown. */
  documentation?: string;
  /** Replaces `range`; a snippet when `snippet` is set (LSP snippet syntax). */
  insertText: string;
  range: Range;
  snippet?: boolean;
  /** Text the editor filters on, when it differs from the label. */
  filterText?: string;
  sortText?: string;
}

/** Options that take an argument, keyed as the parser names them. */
const argumentOptions: ReadonlySet<string> = new Set([
  '-C', '-e', '-f', '-r', '-b', '-a', '-A', '-d', '-S', '-F', '-m', '-R', '-w', '-W', '-k',
  '-p', '-q', '--backlog_wait_time', '--signal',
]);

export function completionsAt(
  document: RulesDocument,
  position: Position,
  options: CompletionOptions,
): RulesCompletion[] {
  const line = document.lines[position.line];
  if (!line || line.kind === 'comment') return [];

  const before = line.text.slice(0, position.character);
  const wordStart = before.lastIndexOf(' ') + 1;
  const prefix = before.slice(wordStart);
  const lineNumber = position.line;

  const target = targetAt(document, position, true);
  if (target?.kind === 'argument') {
    const start = target.argument.range.start.character;
    const typed = target.argument.text.slice(0, target.offset);
    return argumentCompletions(document, line, target.option.name, typed, start, position, options);
  }

  if (prefix === '') {
    const waiting = optionWaitingForArgument(line, wordStart);
    if (waiting) {
      return argumentCompletions(document, line, waiting, '', wordStart, position, options);
    }
  }

  if (prefix === '' || prefix.startsWith('-')) {
    const range = lineRange(lineNumber, wordStart, position.character);
    const atLineStart = before.slice(0, wordStart).trim() === '';
    const items = optionCompletions(line, range);
    if (atLineStart) items.push(...snippetCompletions(range, options));
    return items;
  }
  return [];
}

/** The option whose argument is the next word: `-S ` with the cursor after the space. */
function optionWaitingForArgument(line: RulesLine, wordStart: number): OptionName | undefined {
  const previous = [...line.tokens].reverse().find((token) => token.end < wordStart);
  if (!previous) return undefined;
  const index = line.tokens.indexOf(previous);

  for (const option of line.options) {
    if (option.tokenIndex !== index || option.midCluster) continue;
    const takesNext = !option.argument || option.argument.tokenIndex !== index;
    if (argumentOptions.has(option.name) && takesNext) return option.name;
  }
  for (const problem of line.problems) {
    if (problem.tokenIndex === index && problem.kind === 'missing-argument') {
      const name = problem.text.startsWith('--') ? problem.text : problem.text.slice(0, 2);
      if (argumentOptions.has(name)) return name as OptionName;
    }
  }
  return undefined;
}

function optionCompletions(line: RulesLine, range: Range): RulesCompletion[] {
  const hasRule = line.options.some((o) => ['-a', '-A', '-d'].includes(o.name));
  const hasWatch = line.options.some((o) => o.name === '-w' || o.name === '-W');
  const ruleParts: ReadonlySet<string> = new Set(['-S', '-F', '-C', '-k', '-p']);
  const watchParts: ReadonlySet<string> = new Set(['-p', '-k']);

  return optionDocs
    .filter((doc) => {
      if (hasRule) return ruleParts.has(doc.name);
      if (hasWatch) return watchParts.has(doc.name);
      return doc.name !== '-R' && doc.name !== '-h';
    })
    .map((doc, index): RulesCompletion => ({
      label: doc.name,
      kind: 'option',
      detail: doc.synopsis,
      documentation: doc.notes ? `${doc.summary}\n\n${doc.notes}` : doc.summary,
      insertText: argumentOptions.has(doc.name) ? `${doc.name} ` : doc.name,
      range,
      sortText: String(index).padStart(3, '0'),
    }));
}

function snippetCompletions(range: Range, options: CompletionOptions): RulesCompletion[] {
  const b64 = archLabel(options.hostMachine, options.hostMachine).split(' ')[0];
  return [
    {
      label: 'watch',
      kind: 'snippet',
      detail: '-w PATH -p PERMS -k KEY',
      documentation: 'Watch a file or directory for the given kinds of access.',
      insertText: '-w ${1:/etc/passwd} -p ${2|wa,rwxa,w,x,r,a|} -k ${3:identity}',
      snippet: true,
      range,
      sortText: 'z1',
    },
    {
      label: 'syscall rule',
      kind: 'snippet',
      detail: `-a always,exit -F arch=${b64} -S ...`,
      documentation: 'Record syscalls made by logged-in users, tagged with a key.',
      insertText: `-a always,exit -F arch=${b64} -S \${1:openat} ` +
        '-F auid>=1000 -F auid!=unset -k ${2:key}',
      snippet: true,
      range,
      sortText: 'z2',
    },
    {
      label: 'exclusion rule (program)',
      kind: 'snippet',
      detail: `-a never,exit -F arch=${b64} -S ... -F exe=...`,
      documentation: 'Stop recording the given syscalls of one program. Place it before the ' +
        '`always` rules it should pre-empt.',
      insertText: `-a never,exit -F arch=${b64} -S \${1:openat} -F exe=\${2:/usr/sbin/daemon} ` +
        '-k ${3:exclude_daemon}',
      snippet: true,
      range,
      sortText: 'z3',
    },
    {
      label: 'exclusion rule (record type)',
      kind: 'snippet',
      detail: '-a always,exclude -F msgtype=...',
      documentation: 'Drop every record of one type before it is written.',
      insertText: '-a always,exclude -F msgtype=${1:CWD}',
      snippet: true,
      range,
      sortText: 'z4',
    },
  ];
}

function argumentCompletions(
  document: RulesDocument,
  line: RulesLine,
  option: OptionName,
  typed: string,
  argumentStart: number,
  position: Position,
  options: CompletionOptions,
): RulesCompletion[] {
  const whole = lineRange(position.line, argumentStart, position.character);
  switch (option) {
    case '-a':
    case '-A':
    case '-d':
      return listActionCompletions(whole, options.auditVersion);
    case '-S': {
      const element = commaElementAt(typed, typed.length);
      const range = lineRange(position.line, argumentStart + element.start, position.character);
      return syscallCompletions(line, argumentStart, range, options);
    }
    case '-F':
      return fieldCompletions(document, line, typed, argumentStart, position, options);
    case '-C':
      return comparisonCompletions(typed, argumentStart, position);
    case '-k':
      return keyCompletions(document, whole);
    case '-p':
      return permCompletions(whole);
    case '-e':
      return valueItems(enableValueDocs, whole);
    case '-f':
      return valueItems(failureValueDocs, whole);
    case '--signal':
      return valueItems(signalDocs, whole);
    default:
      return [];
  }
}

function listActionCompletions(range: Range, version: AuditVersion): RulesCompletion[] {
  const lists = listNames.filter((list) => list !== 'io_uring' || version !== '3.0.9');
  const items: RulesCompletion[] = [];
  const common = ['always,exit', 'never,exit', 'always,exclude', 'never,filesystem'];
  for (const action of ['always', 'never']) {
    for (const list of lists) {
      const label = `${action},${list}`;
      const rank = common.indexOf(label);
      items.push({
        label,
        kind: 'list-action',
        detail: `${action} on the ${list} list`,
        documentation: `${actionDocs[action]}\n\n**${list}**: ${listDocs[list]}`,
        insertText: `${label} `,
        range,
        sortText: `${rank === -1 ? 9 : rank}${label}`,
      });
    }
  }
  return items;
}

function syscallCompletions(
  line: RulesLine,
  argumentStart: number,
  range: Range,
  options: CompletionOptions,
): RulesCompletion[] {
  if (listOfLine(line) === 'io_uring') {
    const table = uringOpTable(options.auditVersion);
    if (!table) return [];
    return [...table.byName].map(([name, number]) => ({
      label: name,
      kind: 'syscall',
      detail: `io_uring operation ${number}`,
      insertText: name,
      range,
    }));
  }

  const { machine } = machineForSyscallsAt(
    line,
    argumentStart,
    options.hostMachine,
    options.auditVersion,
  );
  const table = machine ? syscallTable(machine, options.auditVersion) : undefined;
  const items: RulesCompletion[] = [{
    label: 'all',
    kind: 'syscall',
    detail: 'every syscall',
    insertText: 'all',
    range,
    sortText: '0',
  }];
  if (!table || !machine) return items;

  const label = archLabel(machine, options.hostMachine);
  for (const [name, number] of table.byName) {
    const description = syscallDescription(name);
    items.push({
      label: name,
      kind: 'syscall',
      detail: `${number} on ${label}`,
      documentation: description,
      insertText: name,
      range,
    });
  }
  return items;
}

function fieldCompletions(
  document: RulesDocument,
  line: RulesLine,
  typed: string,
  argumentStart: number,
  position: Position,
  options: CompletionOptions,
): RulesCompletion[] {
  const parts = splitFieldArgument(typed);
  const list = listOfLine(line);

  if (!parts.operator) {
    const range = lineRange(position.line, argumentStart, position.character);
    const items = fields
      .filter((field) => fieldAllowedOn(field.name, list, options.auditVersion))
      .map((field): RulesCompletion => ({
        label: field.name,
        kind: 'field',
        detail: field.description,
        documentation: `Operators: ${field.auditctlOperators.join(' ')}` +
          (field.minimumKernel ? `\n\nNeeds kernel ${field.minimumKernel}` : ''),
        insertText: field.name,
        range,
      }));

    // A complete field name: offer its operators too.
    const info = fieldInfo(parts.name);
    if (info && fieldAllowedOn(info.name, list, options.auditVersion)) {
      for (const operator of info.kernelOperators) {
        items.push({
          label: `${parts.name}${operator}`,
          kind: 'operator',
          detail: operatorDocs[operator],
          insertText: `${parts.name}${operator}`,
          filterText: `${parts.name}${operator}`,
          range,
        });
      }
    }
    return items;
  }

  const range = lineRange(position.line, argumentStart + parts.valueStart, position.character);
  return fieldValueCompletions(document, parts.name, range, options);
}

function fieldAllowedOn(name: string, list: string | undefined, version: AuditVersion): boolean {
  const info = fieldInfo(name);
  if (!info) return false;
  if (!list) return true;
  if (list === 'exclude') return info.excludeList[version];
  return (info.lists as readonly string[]).includes(list);
}

function fieldValueCompletions(
  document: RulesDocument,
  fieldName: string,
  range: Range,
  options: CompletionOptions,
): RulesCompletion[] {
  const info = fieldInfo(fieldName);
  const value = (label: string, detail?: string, sortText?: string): RulesCompletion => ({
    label,
    kind: 'value',
    detail,
    insertText: label,
    range,
    sortText,
  });

  switch (info?.valueKind) {
    case 'arch':
      return [
        value('b64', archLabel(options.hostMachine, options.hostMachine), '0'),
        value('b32', '32-bit ABI of the host', '1'),
        ...machines.map((machine) => value(machine, 'machine name', `2${machine}`)),
      ];
    case 'msgtype':
      return [...messageTypes(options.auditVersion).byName].map(([name, number]) =>
        value(name, `record type ${number}`),
      );
    case 'exit':
      return [...errnoByName].flatMap(([name, number]) => [
        value(`-${name}`, `errno ${number} (failed with ${name})`, `0${name}`),
      ]);
    case 'perm':
      return permCompletions(range);
    case 'filetype':
      return [...fileTypeByName.keys()].map((name) => value(name));
    case 'fstype':
      return [...fsTypes(options.auditVersion).keys()].map((name) => value(name));
    case 'success':
      return [value('1', 'the syscall succeeded'), value('0', 'the syscall failed')];
    case 'uid':
      return [
        value('unset', 'no login uid set (4294967295)', '0'),
        value('1000', 'first regular user on most distributions', '1'),
        value('0', 'root', '2'),
      ];
    case 'sessionid':
      return [value('unset', 'no session (4294967295)')];
    case 'key':
      return keyCompletions(document, range);
    default:
      return [];
  }
}

function comparisonCompletions(
  typed: string,
  argumentStart: number,
  position: Position,
): RulesCompletion[] {
  const uidGroup = ['uid', 'euid', 'suid', 'fsuid', 'auid', 'obj_uid'];
  const gidGroup = ['gid', 'egid', 'sgid', 'fsgid', 'obj_gid'];
  const parts = splitFieldArgument(typed);
  const start = parts.operator ? argumentStart + parts.valueStart : argumentStart;
  const range = lineRange(position.line, start, position.character);

  let names = [...uidGroup, ...gidGroup];
  if (parts.operator) {
    const left = fieldInfo(parts.name)?.name ?? parts.name;
    const group = uidGroup.includes(left) ? uidGroup : gidGroup.includes(left) ? gidGroup : [];
    names = group.filter((name) => name !== left);
  }
  return names.map((name) => ({
    label: name,
    kind: 'field',
    detail: fieldInfo(name)?.description,
    insertText: name,
    range,
  }));
}

function keyCompletions(document: RulesDocument, range: Range): RulesCompletion[] {
  const counts = new Map<string, number>();
  for (const line of document.lines) {
    if (line.kind !== 'rule' && line.kind !== 'watch') continue;
    for (const { key } of keysOfLine(line)) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([key, count]) => ({
    label: key,
    kind: 'key',
    detail: count === 1 ? '1 rule has this key' : `${count} rules share this key`,
    insertText: key,
    range,
  }));
}

function permCompletions(range: Range): RulesCompletion[] {
  const combinations = ['wa', 'rwxa', 'x', 'w', 'r', 'a', 'rw', 'rwa'];
  return combinations.map((letters, index) => ({
    label: letters,
    kind: 'value',
    detail: letters.split('').map((letter) => permLetterDocs[letter].split(' ')[0]).join(', '),
    insertText: letters,
    range,
    sortText: String(index),
  }));
}

function valueItems(docs: Readonly<Record<string, string>>, range: Range): RulesCompletion[] {
  return Object.entries(docs).map(([value, detail]) => ({
    label: value,
    kind: 'value',
    detail,
    insertText: value,
    range,
  }));
}
