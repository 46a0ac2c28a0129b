/**
 * What sits at a position of a parsed rules line: an option, a part of an option's
 * argument, or a stray word. Hover, completion, references and semantic tokens all start
 * here, from the parser's options and ranges; nothing is re-tokenized.
 */
import { AuditVersion, Machine, resolveArch } from '../tables';
import type { Position, Range } from './diagnostics';
import { splitFieldPair } from './checks/fields';
import type { FieldOperator } from './model';
import { rawOffset, textRange } from './parse';
import type { OptionArgument, ParsedOption, RulesDocument, RulesLine } from './parse';
import type { Token } from './tokens';

export type CursorTarget =
  | { kind: 'option'; line: RulesLine; option: ParsedOption }
  | {
      kind: 'argument';
      line: RulesLine;
      option: ParsedOption;
      argument: OptionArgument;
      /** Offset of the position inside the argument's text (escapes removed). */
      offset: number;
    }
  | { kind: 'stray'; line: RulesLine; range: Range; text: string };

function within(range: Range, character: number, inclusiveEnd: boolean): boolean {
  const { start, end } = range;
  return character >= start.character &&
    (inclusiveEnd ? character <= end.character : character < end.character);
}

/**
 * The option part under `position`. With `inclusiveEnd` a position just after the last
 * character counts (completion asks about the word being typed).
 */
export function targetAt(
  document: RulesDocument,
  position: Position,
  inclusiveEnd = false,
): CursorTarget | undefined {
  const line = document.lines[position.line];
  if (!line || line.kind === 'comment' || line.kind === 'blank') return undefined;
  const character = position.character;

  for (const option of line.options) {
    const argument = option.argument;
    if (argument && within(argument.range, character, inclusiveEnd)) {
      return {
        kind: 'argument',
        line,
        option,
        argument,
        offset: textOffsetOf(argument, character - argument.range.start.character),
      };
    }
    if (within(option.range, character, inclusiveEnd && !argument)) {
      return { kind: 'option', line, option };
    }
  }

  for (const problem of line.problems) {
    if (problem.kind === 'stray-parameter' && within(problem.range, character, inclusiveEnd)) {
      return { kind: 'stray', line, range: problem.range, text: problem.text };
    }
  }
  return undefined;
}

export interface FieldArgumentParts {
  name: string;
  operator?: FieldOperator;
  value: string;
  /** Offsets into the argument text. */
  nameEnd: number;
  valueStart: number;
}

/** Splits a `-F` / `-C` argument at its operator the way the checker (and auditctl) does. */
export function splitFieldArgument(text: string): FieldArgumentParts {
  const pair = splitFieldPair(text);
  if (!pair) return { name: text, value: '', nameEnd: text.length, valueStart: text.length };
  return {
    name: pair.name,
    operator: pair.operator,
    value: pair.value,
    nameEnd: pair.operatorIndex,
    valueStart: pair.operatorIndex + pair.operator.length,
  };
}

/** The comma-separated element of an argument (`-S a,b,c`, `-a list,action`) at `offset`. */
export function commaElementAt(
  text: string,
  offset: number,
): { text: string; start: number; end: number } {
  const start = text.lastIndexOf(',', Math.max(0, offset - 1)) + 1;
  const comma = text.indexOf(',', offset);
  const end = comma === -1 ? text.length : comma;
  return { text: text.slice(start, end), start, end };
}

function argumentToken(argument: OptionArgument): Token {
  return {
    raw: argument.raw,
    text: argument.text,
    start: argument.range.start.character,
    end: argument.range.end.character,
    line: argument.range.start.line,
    range: argument.range,
    rawCodeAt: (offset) => argument.raw.charCodeAt(offset),
  };
}

/** The range of characters [from, to) of an argument's text, in line columns. */
export function argumentSubrange(argument: OptionArgument, from: number, to: number): Range {
  return textRange(argumentToken(argument), argument.range.start.line, from, to);
}

/** The text offset that a raw offset (columns from the argument's start) falls on. */
function textOffsetOf(argument: OptionArgument, rawColumn: number): number {
  if (argument.raw.length === argument.text.length) return rawColumn;
  let text = 0;
  while (text < argument.text.length && rawOffset(argumentToken(argument), text + 1) <= rawColumn) {
    text++;
  }
  return text;
}

/**
 * The machine whose syscall table a `-S` at `beforeCharacter` uses: the last `-F arch=`
 * before it on the line (auditctl resolves names when it meets the -S), else the host.
 */
export function machineForSyscallsAt(
  line: RulesLine,
  beforeCharacter: number,
  hostMachine: Machine,
  version: AuditVersion,
): { machine: Machine | undefined; fromHost: boolean } {
  let machine: Machine | undefined = hostMachine;
  let fromHost = true;
  for (const option of line.options) {
    if (option.range.start.character >= beforeCharacter) break;
    if (option.name !== '-F' || !option.argument) continue;
    const parts = splitFieldArgument(option.argument.text);
    if (parts.name.toLowerCase() !== 'arch' || !parts.operator) continue;
    const resolution = resolveArch(parts.value, hostMachine, version);
    machine = resolution.ok ? resolution.machine : undefined;
    fromHost = false;
  }
  return { machine, fromHost };
}

/** The list a rule line names in its `-a` / `-A` / `-d` (or exit for a watch). */
export function listOfLine(line: RulesLine): string | undefined {
  for (const option of line.options) {
    if (option.name === '-w' || option.name === '-W') return 'exit';
    if ((option.name === '-a' || option.name === '-A' || option.name === '-d') && option.argument) {
      const words = option.argument.text.split(',');
      const list = words.find((word) => !['always', 'never', 'possible'].includes(word));
      return list?.toLowerCase();
    }
  }
  return undefined;
}

/** Every key a line sets, with its range: `-k KEY` and `-F key=KEY`. */
export function keysOfLine(line: RulesLine): { key: string; range: Range }[] {
  const keys: { key: string; range: Range }[] = [];
  for (const option of line.options) {
    const argument = option.argument;
    if (!argument) continue;
    if (option.name === '-k') {
      keys.push({ key: argument.text, range: argument.range });
    } else if (option.name === '-F') {
      const parts = splitFieldArgument(argument.text);
      if (parts.name.toLowerCase() === 'key' && parts.operator && parts.value !== '') {
        keys.push({
          key: parts.value,
          range: argumentSubrange(argument, parts.valueStart, argument.text.length),
        });
      }
    }
  }
  return keys;
}
