/**
 * Document symbols (rules grouped by key), folding of comment blocks, and references
 * between rules that share a key. Pure functions of the parsed document.
 */
import type { Position, Range } from './diagnostics';
import { lineRange } from './diagnostics';
import { argumentSubrange, keysOfLine, splitFieldArgument, targetAt } from './cursor';
import type { RulesDocument, RulesLine } from './parse';

export type RulesSymbolKind = 'key' | 'rule' | 'watch' | 'control';

export interface RulesSymbol {
  name: string;
  kind: RulesSymbolKind;
  detail?: string;
  range: Range;
  selectionRange: Range;
  children?: RulesSymbol[];
}

/** The group name for rules that set no key. */
export const noKeyGroup = '(no key)';

function lineExtent(line: RulesLine): Range {
  const first = line.tokens[0];
  const last = line.tokens[line.tokens.length - 1];
  return lineRange(line.line, first?.start ?? 0, last?.end ?? line.text.length);
}

function spanOf(ranges: Range[]): Range {
  const sorted = [...ranges].sort((a, b) =>
    a.start.line - b.start.line || a.start.character - b.start.character,
  );
  const last = sorted.reduce((latest, range) =>
    range.end.line > latest.end.line ||
    (range.end.line === latest.end.line && range.end.character > latest.end.character)
      ? range
      : latest,
  );
  return { start: sorted[0].start, end: last.end };
}

/**
 * One symbol per key, holding the rules and watches that set it (in file order), then
 * the rules without a key, then control lines (-D, -b, -e ...).
 */
export function documentSymbols(document: RulesDocument): RulesSymbol[] {
  const byKey = new Map<string, RulesSymbol[]>();
  const controls: RulesSymbol[] = [];

  for (const line of document.lines) {
    if (line.kind === 'control') {
      const range = lineExtent(line);
      controls.push({ name: line.text.trim(), kind: 'control', range, selectionRange: range });
      continue;
    }
    if (line.kind !== 'rule' && line.kind !== 'watch') continue;

    const range = lineExtent(line);
    const keys = keysOfLine(line);
    const symbol: RulesSymbol = {
      name: line.text.trim(),
      kind: line.kind,
      detail: `line ${line.line + 1}`,
      range,
      selectionRange: keys[0]?.range ?? range,
    };
    const groupNames = keys.length > 0 ? [...new Set(keys.map((k) => k.key))] : [noKeyGroup];
    for (const name of groupNames) {
      const group = byKey.get(name) ?? [];
      group.push(symbol);
      byKey.set(name, group);
    }
  }

  const symbols: RulesSymbol[] = [];
  const keyed = [...byKey].filter(([name]) => name !== noKeyGroup);
  const unkeyed = byKey.get(noKeyGroup);
  for (const [name, children] of unkeyed ? [...keyed, [noKeyGroup, unkeyed] as const] : keyed) {
    const range = spanOf(children.map((child) => child.range));
    symbols.push({
      name,
      kind: 'key',
      detail: children.length === 1 ? '1 rule' : `${children.length} rules`,
      range,
      selectionRange: children[0].selectionRange,
      children: [...children],
    });
  }
  if (controls.length > 0) {
    symbols.push({
      name: 'settings',
      kind: 'key',
      detail: `${controls.length} control lines`,
      range: spanOf(controls.map((c) => c.range)),
      selectionRange: controls[0].range,
      children: controls,
    });
  }
  return symbols;
}

export interface RulesFoldingRange {
  startLine: number;
  endLine: number;
  kind: 'comment' | 'region';
}

/** Runs of two or more comment lines fold; so do blocks between blank lines of rules. */
export function foldingRanges(document: RulesDocument): RulesFoldingRange[] {
  const ranges: RulesFoldingRange[] = [];
  let runStart = -1;
  let runKind: 'comment' | 'region' | undefined;

  const close = (endLine: number) => {
    if (runKind && endLine > runStart) {
      ranges.push({ startLine: runStart, endLine, kind: runKind });
    }
    runKind = undefined;
  };

  for (const line of document.lines) {
    const kind = line.kind === 'comment' ? 'comment' : line.kind === 'blank' ? undefined : 'region';
    if (kind !== runKind) {
      close(line.line - 1);
      if (kind) {
        runStart = line.line;
        runKind = kind;
      }
    }
  }
  close(document.lines.length - 1);
  return ranges;
}

/** The key under the position (in a -k argument or a -F key= value), if any. */
export function keyAt(document: RulesDocument, position: Position): string | undefined {
  return keyRangeAt(document, position)?.key;
}

/** The key under the position and the range it is written in. */
export function keyRangeAt(
  document: RulesDocument,
  position: Position,
): { key: string; range: Range } | undefined {
  const target = targetAt(document, position);
  if (target?.kind !== 'argument') return undefined;
  if (target.option.name === '-k') {
    return { key: target.argument.text, range: target.argument.range };
  }
  if (target.option.name === '-F') {
    const parts = splitFieldArgument(target.argument.text);
    if (parts.name.toLowerCase() === 'key' && target.offset >= parts.valueStart) {
      const { argument } = target;
      const range = argumentSubrange(argument, parts.valueStart, argument.text.length);
      return { key: parts.value, range };
    }
  }
  return undefined;
}

/** Every place the key is set in the document, in file order. */
export function keyReferences(document: RulesDocument, key: string): Range[] {
  const ranges: Range[] = [];
  for (const line of document.lines) {
    if (line.kind !== 'rule' && line.kind !== 'watch') continue;
    for (const entry of keysOfLine(line)) if (entry.key === key) ranges.push(entry.range);
  }
  return ranges;
}

export interface KeyRename {
  /** The key's ranges, each to be replaced with `newText`. */
  ranges: Range[];
  newText: string;
}

/**
 * Renaming a key renames it in every rule that sets it. A space in the new key is
 * written `\ ` (and a backslash `\\`), the escapes auditctl reads in a rules file.
 */
export function renameKey(
  document: RulesDocument,
  position: Position,
  newKey: string,
): KeyRename | { error: string } | undefined {
  const key = keyAt(document, position);
  if (key === undefined) return undefined;
  if (newKey === '') return { error: 'A key cannot be empty.' };
  if (/[\u0000-\u001f\u007f]/.test(newKey)) {
    return { error: 'A key cannot hold control characters.' };
  }
  if (Buffer.byteLength(newKey, 'utf8') > 256) {
    return { error: 'A key is at most 256 bytes.' };
  }
  const newText = newKey.replace(/\\/g, '\\\\').replace(/ /g, '\\ ');
  return { ranges: keyReferences(document, key), newText };
}
