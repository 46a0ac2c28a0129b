/**
 * Semantic tokens for what a TextMate grammar cannot know: whether a syscall name exists
 * in the table of the rule's arch (and audit version), what a syscall number stands for,
 * and whether a field name is one auditctl knows.
 */
import {
  AuditVersion,
  FieldInfo,
  Machine,
  fieldInfo,
  syscallTable,
  uringOpTable,
} from '../tables';
import { readSyscallNumber } from './checks/syscalls';
import { argumentSubrange, listOfLine, machineForSyscallsAt, splitFieldArgument } from './cursor';
import type { RulesDocument } from './parse';

/** Token types, in legend order (the LSP legend is built from these arrays). */
export const semanticTokenTypes = ['syscall', 'auditField', 'auditKey'] as const;
/**
 * Modifiers, in legend order. `unavailable`: a syscall not in the table of the rule's arch
 * (and version), or a field the rule's list does not take; `unknown`: a field name
 * auditctl does not know.
 */
export const semanticTokenModifiers = ['unavailable', 'unknown', 'numeric'] as const;

export type SemanticTokenType = (typeof semanticTokenTypes)[number];
export type SemanticTokenModifier = (typeof semanticTokenModifiers)[number];

export interface RulesSemanticToken {
  line: number;
  character: number;
  length: number;
  type: SemanticTokenType;
  modifiers: SemanticTokenModifier[];
}

export interface SemanticTokenOptions {
  auditVersion: AuditVersion;
  hostMachine: Machine;
}

export function semanticTokens(
  document: RulesDocument,
  options: SemanticTokenOptions,
): RulesSemanticToken[] {
  const tokens: RulesSemanticToken[] = [];

  for (const line of document.lines) {
    if (line.kind !== 'rule' && line.kind !== 'watch' && line.kind !== 'error') continue;
    const list = listOfLine(line);
    const uring = list === 'io_uring';

    for (const option of line.options) {
      const argument = option.argument;
      if (!argument) continue;

      if (option.name === '-S') {
        const { machine } = machineForSyscallsAt(
          line,
          option.range.start.character,
          options.hostMachine,
          options.auditVersion,
        );
        const table = uring
          ? uringOpTable(options.auditVersion)
          : machine && syscallTable(machine, options.auditVersion);

        let start = 0;
        for (const word of argument.text.split(',')) {
          const end = start + word.length;
          if (word !== '' && word !== 'all') {
            const range = argumentSubrange(argument, start, end);
            const numeric = /^[0-9]/.test(word);
            // A number as -S reads it: 4294967355 is 59, and 59abc is 59 too.
            const read = numeric ? readSyscallNumber(word) : undefined;
            const known = !table ? false : numeric
              ? read !== undefined && table.byNumber.has(read.number)
              : table.byName.has(word.toLowerCase());
            const modifiers: SemanticTokenModifier[] = [];
            if (numeric) modifiers.push('numeric');
            if (!known) modifiers.push('unavailable');
            tokens.push({
              line: line.line,
              character: range.start.character,
              length: range.end.character - range.start.character,
              type: 'syscall',
              modifiers,
            });
          }
          start = end + 1;
        }
        continue;
      }

      if (option.name === '-F') {
        const parts = splitFieldArgument(argument.text);
        if (parts.name === '' || !parts.operator) continue;
        const range = argumentSubrange(argument, 0, parts.nameEnd);
        const info = fieldInfo(parts.name);
        tokens.push({
          line: line.line,
          character: range.start.character,
          length: range.end.character - range.start.character,
          type: 'auditField',
          modifiers: !info ? ['unknown'] :
            fieldOnList(info, list, options.auditVersion) ? [] : ['unavailable'],
        });
        if (parts.name.toLowerCase() === 'key' && parts.value !== '') {
          const valueRange = argumentSubrange(argument, parts.valueStart, argument.text.length);
          tokens.push({
            line: line.line,
            character: valueRange.start.character,
            length: valueRange.end.character - valueRange.start.character,
            type: 'auditKey',
            modifiers: [],
          });
        }
        continue;
      }

      if (option.name === '-k') {
        tokens.push({
          line: line.line,
          character: argument.range.start.character,
          length: argument.range.end.character - argument.range.start.character,
          type: 'auditKey',
          modifiers: [],
        });
      }
    }
  }
  return tokens;
}

/** Whether auditctl takes the field on the list (the exclude list depends on the version). */
function fieldOnList(info: FieldInfo, list: string | undefined, version: AuditVersion): boolean {
  if (!list) return true;
  if (list === 'exclude') return info.excludeList[version];
  return (info.lists as readonly string[]).includes(list);
}

/** The LSP relative encoding: five integers per token, positions relative to the last. */
export function encodeSemanticTokens(tokens: RulesSemanticToken[]): number[] {
  const sorted = [...tokens].sort((a, b) => a.line - b.line || a.character - b.character);
  const data: number[] = [];
  let previousLine = 0;
  let previousCharacter = 0;
  for (const token of sorted) {
    const deltaLine = token.line - previousLine;
    const deltaCharacter = deltaLine === 0 ? token.character - previousCharacter : token.character;
    const typeIndex = semanticTokenTypes.indexOf(token.type);
    let modifierBits = 0;
    for (const modifier of token.modifiers) {
      modifierBits |= 1 << semanticTokenModifiers.indexOf(modifier);
    }
    data.push(deltaLine, deltaCharacter, token.length, typeIndex, modifierBits);
    previousLine = token.line;
    previousCharacter = token.character;
  }
  return data;
}
