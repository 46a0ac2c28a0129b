/**
 * Hover text for a position in a rules file: a pure function of the parsed document, the
 * target audit version and the host machine. The language server turns the result into
 * an LSP Hover; tests call it directly.
 */
import {
  AuditVersion,
  Machine,
  compatMachine,
  errnoByName,
  errnoByNumber,
  fieldInfo,
  fileTypeByName,
  fsTypes,
  machineBits,
  machineElf,
  machines,
  messageTypes,
  nativeMachine,
  resolveArch,
  syscallTable,
  uringOpTable,
  versionsWithSyscall,
} from '../tables';
import { syscallDescription } from '../tables/descriptions';
import { maxSyscallNumber, readSyscallNumber, unassignedDetail } from './checks/syscalls';
import { formatMessage } from './codes';
import { describeRule } from './describe';
import { markdownCode, markdownText } from './hoverText';
import { shellWord } from './shellWord';
import type { RuleModel } from './model';
import { plainRange, type Position, type Range } from './diagnostics';
import {
  argumentSubrange,
  commaElementAt,
  keysOfLine,
  listOfLine,
  machineForSyscallsAt,
  splitFieldArgument,
  targetAt,
} from './cursor';
import type { OptionArgument, ParsedOption, RulesDocument, RulesLine } from './parse';
import {
  actionDocs,
  enableValueDocs,
  failureValueDocs,
  listDocs,
  operatorDocs,
  optionDoc,
  permLetterDocs,
  signalDocs,
} from './vocabulary';

export interface HoverOptions {
  auditVersion: AuditVersion;
  /** The machine auditctl runs on (`uname -m`): what b64 / b32 and arch-less rules use. */
  hostMachine: Machine;
  /** The checked rules of the document: hovering -a or -w then also says what it does. */
  rules?: readonly RuleModel[];
}

const ruleStarts: ReadonlySet<string> = new Set(['-a', '-A', '-d', '-w', '-W']);

export interface RulesHover {
  /** Markdown. */
  contents: string;
  range: Range;
}

export function hoverAt(
  document: RulesDocument,
  position: Position,
  options: HoverOptions,
): RulesHover | undefined {
  const found = hoverOf(document, position, options);
  return found && { contents: found.contents, range: plainRange(found.range) };
}

function hoverOf(
  document: RulesDocument,
  position: Position,
  options: HoverOptions,
): RulesHover | undefined {
  const target = targetAt(document, position);
  if (!target) return undefined;

  if (target.kind === 'option') {
    const doc = optionDoc(target.option.name);
    if (!doc) return undefined;
    const lines = [`**${doc.synopsis}**`, '', doc.summary];
    if (doc.notes) lines.push('', doc.notes);
    if (target.option.abbreviated) {
      lines.push('', `Written as the prefix ${markdownCode(target.option.written)} of ` +
        `\`${doc.name}\`.`);
    }
    const rule = ruleStarts.has(target.option.name)
      ? options.rules?.find((candidate) => candidate.line === position.line)
      : undefined;
    if (rule) lines.unshift(ruleSummaryMarkdown(describeRule(rule)), '', '---', '');
    return { contents: lines.join('\n'), range: target.option.range };
  }
  if (target.kind === 'stray') {
    return {
      contents: `${markdownCode(target.text)} is not an option or an option's argument: auditctl ` +
        'rejects the line with "parameter passed without an option given".',
      range: target.range,
    };
  }

  const { option, argument, offset, line } = target;
  switch (option.name) {
    case '-a':
    case '-A':
    case '-d':
      return hoverListAction(argument, offset);
    case '-S':
      return hoverSyscall(document, line, option, argument, offset, options);
    case '-F':
      return hoverField(document, line, argument, offset, options);
    case '-C':
      return hoverComparison(argument, offset);
    case '-k':
      return hoverKey(document, argument.text, argument.range);
    case '-p':
      return hoverPerms(argument.text, argument.range);
    case '-w':
    case '-W':
      return {
        contents: `Watch on ${markdownCode(argument.text)}: a directory becomes a recursive dir= ` +
          'watch, anything else a path= watch (decided on the machine that loads it).',
        range: argument.range,
      };
    case '-e':
      return valueHover(enableValueDocs, argument, '-e');
    case '-f':
      return valueHover(failureValueDocs, argument, '-f');
    case '--signal':
      return valueHover(signalDocs, argument, '--signal', true);
    default: {
      const doc = optionDoc(option.name);
      return doc ? { contents: `**${doc.synopsis}**\n\n${doc.summary}`, range: argument.range } :
        undefined;
    }
  }
}

function valueHover(
  docs: Readonly<Record<string, string>>,
  argument: OptionArgument,
  optionName: string,
  upperCase = false,
): RulesHover {
  const value = upperCase ? argument.text.toUpperCase() : argument.text;
  const meaning = docs[value];
  const choices = Object.entries(docs).map(([v, d]) => `\`${v}\` ${d}`).join(', ');
  return {
    contents: meaning
      ? `${markdownCode(`${optionName} ${argument.text}`)}: ${meaning}.`
      : `${markdownCode(argument.text)} is not a value ${optionName} takes: ${choices}.`,
    range: argument.range,
  };
}

function hoverListAction(argument: OptionArgument, offset: number): RulesHover | undefined {
  const element = commaElementAt(argument.text, offset);
  const range = argumentSubrange(argument, element.start, element.end);
  const word = element.text;

  if (actionDocs[word]) return { contents: `**${word}** (action)\n\n${actionDocs[word]}`, range };
  const list = word.toLowerCase();
  if (listDocs[list]) return { contents: `**${list}** (filter list)\n\n${listDocs[list]}`, range };
  if (actionDocs[word.toLowerCase()]) {
    return {
      contents: `Actions are case-sensitive: auditctl rejects ${markdownCode(word)}; ` +
        `write \`${word.toLowerCase()}\`.`,
      range,
    };
  }
  return undefined;
}

/** How a rules file names a machine relative to the host: b64, b32 or the machine name. */
export function archLabel(machine: Machine, hostMachine: Machine): string {
  if (machine === hostMachine) return `${machineBits(machine) === 64 ? 'b64' : 'b32'} (${machine})`;
  if (machine === compatMachine(hostMachine)) return `b32 (${machine})`;
  if (machine === nativeMachine(hostMachine)) return `b64 (${machine})`;
  return machine;
}

/** Machines in display order: the host's b64 and b32 first, then the others. */
function machinesForDisplay(first: Machine | undefined, hostMachine: Machine): Machine[] {
  const lead = [first, hostMachine, compatMachine(hostMachine), nativeMachine(hostMachine)];
  const ordered: Machine[] = [];
  for (const machine of [...lead, ...machines]) {
    if (machine && !ordered.includes(machine)) ordered.push(machine);
  }
  return ordered;
}

/** A two-column table: each machine shown, and what `valueOn` finds in its syscall table. */
function syscallTableRows(
  heading: string,
  machine: Machine | undefined,
  hostMachine: Machine,
  valueOn: (machine: Machine) => string | number | undefined,
): string[] {
  const rows = [`| arch | ${heading} |`, '|---|---|'];
  for (const each of machinesForDisplay(machine, hostMachine)) {
    rows.push(`| ${archLabel(each, hostMachine)} | ${valueOn(each) ?? '—'} |`);
  }
  return rows;
}

function hoverSyscall(
  document: RulesDocument,
  line: RulesLine,
  option: ParsedOption,
  argument: OptionArgument,
  offset: number,
  options: HoverOptions,
): RulesHover | undefined {
  const element = commaElementAt(argument.text, offset);
  const range = argumentSubrange(argument, element.start, element.end);
  const word = element.text;
  if (word === '') return undefined;

  if (listOfLine(line) === 'io_uring') return hoverUringOp(word, range, options.auditVersion);
  if (word === 'all') {
    return { contents: '**all**: every syscall (the whole mask). Case-sensitive.', range };
  }

  const { machine, fromHost } = machineForSyscallsAt(
    line,
    option.range.start.character,
    options.hostMachine,
    options.auditVersion,
  );
  const archNote = fromHost
    ? `No \`-F arch=\` before this -S: auditctl uses the host's table (${options.hostMachine}).`
    : undefined;

  if (/^[0-9]/.test(word)) {
    return hoverSyscallNumber(word, range, machine, archNote, options);
  }
  return hoverSyscallName(word, range, machine, archNote, options);
}

function hoverSyscallNumber(
  word: string,
  range: Range,
  machine: Machine | undefined,
  archNote: string | undefined,
  options: HoverOptions,
): RulesHover {
  // The number as -S reads it, so the hover says what the checker says: 4294967355 is 59
  // (the low 32 bits), 59abc is 59, and 4294967295 (-1) is refused.
  const read = readSyscallNumber(word);
  if (!read) {
    const refused = `auditctl refuses ${markdownCode(word)} as a syscall: -S takes numbers ` +
      `from 0 to ${maxSyscallNumber}, after keeping their low 32 bits as a signed int.`;
    return { contents: refused, range };
  }
  const number = read.number;
  const named = machine && syscallTable(machine, options.auditVersion)?.byNumber.get(number);
  const readAs = read.wrapped
    ? formatMessage('syscall-number-wrapped', {
      value: word.slice(0, read.length), number, named: named ? ` (${named} on ${machine})` : '',
    })
    : read.length < word.length
      ? formatMessage('syscall-number-trailing', { value: word, number })
      : undefined;

  const nameOn = (each: Machine) => syscallTable(each, options.auditVersion)?.byNumber.get(number);
  const rows = syscallTableRows(`syscall ${number}`, machine, options.hostMachine, nameOn);
  let headline = `Syscall number **${number}**`;

  if (machine) {
    const name = nameOn(machine);
    const label = archLabel(machine, options.hostMachine);
    const twin = compatMachine(machine) ?? nativeMachine(machine);
    const twinName = twin && nameOn(twin);
    const onTwin = twin && twinName
      ? `on ${archLabel(twin, options.hostMachine)} it is **${twinName}**`
      : undefined;
    if (name) {
      headline = `**${number}** on ${label} is **${name}**`;
      if (onTwin) headline += `; ${onTwin}`;
    } else {
      // The checker's syscall-number-unassigned text: a syscall class, a number another
      // auditctl's table names, or one that never matches.
      headline = markdownText(
        unassignedDetail(number, machine, options.auditVersion, options.hostMachine));
      if (onTwin) headline += ` On ${onTwin.slice(3)}.`;
    }
    const description = name ? syscallDescription(name) : undefined;
    if (description) headline += `\n\n${name}: ${description}`;
  }

  const parts = readAs ? [markdownText(readAs), '', headline] : [headline];
  parts.push('', ...rows);
  if (archNote) parts.push('', archNote);
  parts.push('', 'Names are portable across arches; numbers are not.');
  return { contents: parts.join('\n'), range };
}

function hoverSyscallName(
  word: string,
  range: Range,
  machine: Machine | undefined,
  archNote: string | undefined,
  options: HoverOptions,
): RulesHover {
  const name = word.toLowerCase();
  const description = syscallDescription(name);
  const numberOn = (each: Machine) => syscallTable(each, options.auditVersion)?.byName.get(name);
  const rows = syscallTableRows('number', machine, options.hostMachine, numberOn);

  let headline = `**${markdownText(name)}**`;
  if (machine) {
    const number = numberOn(machine);
    const label = archLabel(machine, options.hostMachine);
    if (number !== undefined) {
      headline += ` is syscall ${number} on ${label}`;
    } else {
      const versions = versionsWithSyscall(name, machine);
      headline += versions.length > 0
        ? ` is not in audit ${options.auditVersion}'s table for ${label}; ` +
          `audit ${versions.join(', ')} has it`
        : ` is not a syscall on ${label}`;
    }
  }
  const parts = [headline];
  if (description) parts.push('', description);
  parts.push('', ...rows);
  if (archNote) parts.push('', archNote);
  return { contents: parts.join('\n'), range };
}

function hoverUringOp(word: string, range: Range, version: AuditVersion): RulesHover {
  const table = uringOpTable(version);
  if (!table) {
    return { contents: `audit ${version} has no io_uring list.`, range };
  }
  const number = /^[0-9]/.test(word)
    ? readSyscallNumber(word)?.number : table.byName.get(word.toLowerCase());
  const name = typeof number === 'number' ? table.byNumber.get(number) : undefined;
  return {
    contents: name !== undefined
      ? `io_uring operation **${name}** (${number})`
      : `${markdownCode(word)} is not an io_uring operation audit ${version} knows.`,
    range,
  };
}

function countRulesWithKey(document: RulesDocument, key: string): number {
  let count = 0;
  for (const line of document.lines) {
    if (line.kind !== 'rule' && line.kind !== 'watch') continue;
    if (keysOfLine(line).some((entry) => entry.key === key)) count++;
  }
  return count;
}

function hoverKey(document: RulesDocument, key: string, range: Range): RulesHover {
  return { contents: keyText(document, key), range };
}

function keyText(document: RulesDocument, key: string): string {
  const count = countRulesWithKey(document, key);
  const rules = count === 1 ? '1 rule' : `${count} rules`;
  const lines = [
    `Key **${markdownText(key)}**: ${rules} in this file ${count === 1 ? 'has' : 'share'} it.`,
    '',
    `${markdownCode(`ausearch -k ${shellWord(key)}`)} finds their events.`,
  ];
  if (key.startsWith('-')) {
    lines.push('', 'A key that starts with `-` usually means an option was swallowed by -k.');
  }
  if (Buffer.byteLength(key, 'utf8') > 256) lines.push('', 'Longer than the 256-byte limit.');
  return lines.join('\n');
}

function hoverPerms(text: string, range: Range): RulesHover {
  return { contents: permText(text), range };
}

function permText(text: string): string {
  const letters = [...new Set(text.toLowerCase().split(''))];
  const lines = letters.map((letter) =>
    permLetterDocs[letter] ? `- \`${letter}\` ${permLetterDocs[letter]}` :
      `- ${markdownCode(letter)} is not a permission letter (only r, w, x, a)`,
  );
  return ['**Permissions**', '', ...lines].join('\n');
}

function hoverComparison(argument: OptionArgument, offset: number): RulesHover | undefined {
  const parts = splitFieldArgument(argument.text);
  const side = offset < parts.nameEnd ? parts.name : parts.value;
  const field = fieldInfo(side);
  const opDoc = parts.operator ? operatorDocs[parts.operator] : undefined;
  const lines = [
    `Compares **${markdownText(parts.name)}** with **${markdownText(parts.value)}** ` +
      `(${opDoc ?? 'no operator'}).`,
    '',
    '-C works on the exit list only, with `=` or `!=`.',
  ];
  if (field) lines.push('', `**${field.name}**: ${field.description}`);
  return { contents: lines.join('\n'), range: argument.range };
}

function hoverField(
  document: RulesDocument,
  line: RulesLine,
  argument: OptionArgument,
  offset: number,
  options: HoverOptions,
): RulesHover | undefined {
  const parts = splitFieldArgument(argument.text);
  const info = fieldInfo(parts.name);

  if (offset < parts.nameEnd || !parts.operator) {
    const range = argumentSubrange(argument, 0, parts.nameEnd);
    if (!info) {
      return { contents: `${markdownCode(parts.name)} is not a field auditctl knows.`, range };
    }
    return { contents: describeField(info.name, options.auditVersion), range };
  }

  if (offset < parts.valueStart) {
    const range = argumentSubrange(argument, parts.nameEnd, parts.valueStart);
    const lines = [`\`${parts.operator}\`: ${operatorDocs[parts.operator]}`];
    if (info && !info.kernelOperators.includes(parts.operator)) {
      lines.push(
        '',
        info.auditctlOperators.includes(parts.operator)
          ? `auditctl sends it, but the kernel refuses \`${parts.operator}\` on ` +
            `${info.name} (it takes ${info.kernelOperators.join(' ')}).`
          : `${info.name} takes only ${info.auditctlOperators.join(' ')}.`,
      );
    }
    return { contents: lines.join('\n'), range };
  }

  if (!info) return undefined;
  const range = argumentSubrange(argument, parts.valueStart, argument.text.length);
  const contents = describeValue(document, line, info.name, parts.value, options);
  return contents ? { contents, range } : undefined;
}

function describeField(name: string, version: AuditVersion): string {
  const info = fieldInfo(name);
  if (!info) return '';
  const lines = [`**${info.name}** (field ${info.id}): ${info.description}`, ''];
  if (info.aliases.length > 0) lines.push(`Also written: ${info.aliases.join(', ')}.`, '');

  const lists = info.lists.filter((list) => list !== 'exclude' || info.excludeList[version]);
  lines.push(`- Lists: ${lists.join(', ')}`);
  lines.push(`- Operators: ${info.auditctlOperators.join(' ')}`);
  const refused = info.auditctlOperators.filter((op) => !info.kernelOperators.includes(op));
  if (refused.length > 0) lines.push(`  (the kernel refuses ${refused.join(' ')})`);
  lines.push(`- Value: ${valueKindText[info.valueKind] ?? info.valueKind}`);
  if (info.minimumKernel || info.feature) {
    const feature = info.feature ? ` (feature ${info.feature})` : '';
    lines.push(`- Needs kernel ${info.minimumKernel ?? 'support'}${feature}`);
  }
  if (info.exitOnly) lines.push('- Exit list only');
  return lines.join('\n');
}

const valueKindText: Readonly<Record<string, string>> = {
  number: 'a non-negative number',
  uid: 'a uid: number, -1 or `unset`, or a user name looked up on the loading host',
  gid: 'a gid: number or a group name looked up on the loading host',
  arch: '`b64`, `b32`, a machine name or an AUDIT_ARCH number',
  msgtype: 'a record type name (case-insensitive) or number',
  label: 'an LSM label',
  sessionid: 'a session number, -1 or `unset`',
  fstype: 'a filesystem type name or magic number',
  exit: 'a return value: a number or an errno name (`-EACCES`)',
  success: '`1` (succeeded) or `0` (failed)',
  path: 'an absolute path to one file',
  dir: 'an absolute directory path (the whole tree)',
  perm: 'permission letters r w x a',
  filetype: 'file, dir, socket, link, character, block or fifo',
  exe: 'an absolute path to an executable',
  saddr_fam: 'an address family number (2 inet, 10 inet6)',
  arg: 'a number (decimal or 0x hex); only the low 32 bits are compared',
  key: 'a key (same as -k)',
};

function describeValue(
  document: RulesDocument,
  line: RulesLine,
  field: string,
  value: string,
  options: HoverOptions,
): string | undefined {
  const info = fieldInfo(field);
  switch (info?.valueKind) {
    case 'arch': {
      const resolution = resolveArch(value, options.hostMachine, options.auditVersion);
      if (!resolution.ok) {
        return `${markdownCode(value)} names no arch auditctl ${options.auditVersion} knows ` +
          `on a ${options.hostMachine} host.`;
      }
      const elf = machineElf[resolution.machine].toString(16);
      return `${markdownCode(value)} on a ${options.hostMachine} host is ` +
        `**${resolution.machine}** ` +
        `(${resolution.bits}-bit, AUDIT_ARCH 0x${elf}).`;
    }
    case 'msgtype': {
      const table = messageTypes(options.auditVersion);
      if (/^[0-9]+$/.test(value)) {
        const name = table.byNumber.get(Number(value));
        return name ? `Record type ${value} is **${name}**.` : `Record type ${value} has no name.`;
      }
      const number = table.byName.get(value.toUpperCase());
      return number !== undefined
        ? `Record type **${value.toUpperCase()}** is ${number}.`
        : `${markdownCode(value)} is not a record type audit ${options.auditVersion} knows.`;
    }
    case 'exit': {
      if (/^-?[0-9]+$/.test(value)) {
        const name = errnoByNumber.get(Math.abs(Number(value)));
        return name ? `${value} is ${Number(value) < 0 ? '-' : ''}**${name}**.` : undefined;
      }
      const bare = value.replace(/^-/, '').toUpperCase();
      const number = errnoByName.get(bare);
      return number !== undefined
        ? `**${bare}** is errno ${number}; \`exit=${value}\` compares with ` +
          `${value.startsWith('-') ? -number : number}.`
        : `${markdownCode(value)} is not an errno name.`;
    }
    case 'perm':
      return permText(value);
    case 'filetype': {
      const mode = fileTypeByName.get(value.toLowerCase());
      return mode !== undefined
        ? `File type **${value.toLowerCase()}** (mode 0${mode.toString(8)}).`
        : `${markdownCode(value)} is not a file type (file dir socket link character block ` +
          'fifo).';
    }
    case 'fstype': {
      const magic = fsTypes(options.auditVersion).get(value.toLowerCase());
      return magic !== undefined
        ? `Filesystem **${value.toLowerCase()}** (magic 0x${magic.toString(16)}).`
        : undefined;
    }
    case 'success':
      return value === '1' ? 'The syscall succeeded (exit >= 0).' :
        value === '0' ? 'The syscall failed (exit < 0).' : 'success takes only 1 or 0.';
    case 'uid':
    case 'sessionid':
      if (value === 'unset' || value === '-1' || value === '4294967295') {
        return '**unset** (4294967295): no login uid / session was ever set.';
      }
      if (/^[0-9]/.test(value)) return `${info.name} ${Number(value)}`;
      return `${markdownCode(value)} is a name: auditctl looks it up on the machine that ` +
        'loads the ' +
        'rules, so it cannot be checked here.';
    case 'key':
      return keyText(document, value);
    case 'arg':
      if (/^-?(0x[0-9a-f]+|[0-9]+)$/i.test(value)) {
        const number = Number(value.replace(/^-/, '')) * (value.startsWith('-') ? -1 : 1);
        const low32 = number >>> 0;
        return `${value} = ${low32} = 0x${low32.toString(16)} (low 32 bits).`;
      }
      return undefined;
    default:
      return undefined;
  }
}

/**
 * "This rule ..." for a hover: the sentence quotes paths, keys and values from the file,
 * so it is escaped as a whole (the language server's counted summary uses the same).
 */
export function ruleSummaryMarkdown(sentence: string): string {
  return markdownText(`This rule ${sentence}.`);
}
