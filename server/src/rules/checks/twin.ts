/**
 * The b32 twin of a syscall rule: the same line with `-F arch=b32`, keeping only the
 * syscalls the 32-bit table has. A syscall written by number is mapped through its name
 * on the rule's own table to the number of the same call on the twin's table (263 is
 * unlinkat on x86_64, and unlinkat is 301 on i386).
 */
import type { SyscallTable } from '../../tables';
import type { FixEdit } from '../codes';
import type { RuleModel } from '../model';
import type { RulesLine } from '../parse';
import { readSyscallNumber } from './syscalls';

/** An edit of one line's text, in columns. */
export interface LineEdit {
  from: number;
  to: number;
  text: string;
}

/**
 * The edits that turn each `-S` of the rule into its twin's: a word the twin keeps stays
 * as written, a number becomes the twin table's number, and an `-S` left with no syscall
 * is removed with its argument. Undefined when no syscall is left at all: auditctl refuses
 * a twin with no -S before its -k, and loads one without -k as every 32-bit syscall.
 */
export function twinSyscallEdits(
  line: RulesLine,
  rule: RuleModel,
  table: SyscallTable | undefined,
  twinTable: SyscallTable,
  keep: ReadonlySet<string>,
): LineEdit[] | undefined {
  const edits: LineEdit[] = [];
  const text = line.text;
  let keptCount = 0;

  for (const option of line.options) {
    if (option.name !== '-S' || !option.argument) continue;
    const argument = option.argument.range;
    const from = argument.start.character;
    const to = argument.end.character;
    const written = rule.syscalls.written.filter((entry) =>
      entry.range.start.character >= from && entry.range.end.character <= to);
    if (written.length === 0) continue;

    const kept: string[] = [];
    for (const entry of written) {
      const twinWord = twinSyscallWord(entry.text, table, twinTable, keep);
      if (twinWord !== undefined) kept.push(twinWord);
    }
    keptCount += kept.length;
    const unchanged = kept.length === written.length &&
      kept.every((word, index) => word === written[index].text);
    if (unchanged) continue;

    if (kept.length > 0) {
      edits.push({ from, to, text: kept.join(',') });
      continue;
    }
    // Nothing left for this -S: drop the option, its argument and the spaces after them
    // (before them when they end the line).
    let start = option.range.start.character;
    let end = to;
    while (end < text.length && text.charCodeAt(end) === 0x20) end++;
    if (end === text.length || text[end] === '\r') {
      end = to;
      while (start > 0 && text.charCodeAt(start - 1) === 0x20) start--;
    }
    edits.push({ from: start, to: end, text: '' });
  }
  return keptCount > 0 ? edits : undefined;
}

/**
 * One `-S` element as the twin writes it, or undefined when the twin drops it. A number is
 * read as -S reads it (4294967355 and 59abc are 59), so the twin names the syscall the
 * rule loads with.
 */
function twinSyscallWord(
  word: string,
  table: SyscallTable | undefined,
  twinTable: SyscallTable,
  keep: ReadonlySet<string>,
): string | undefined {
  const lower = word.toLowerCase();
  if (keep.has(lower) && twinTable.byName.has(lower)) return word;
  const read = readSyscallNumber(word);
  if (!read) return undefined;
  const name = table?.byNumber.get(read.number);
  if (name === undefined || !keep.has(name)) return undefined;
  const twinNumber = twinTable.byName.get(name);
  return twinNumber === undefined ? undefined : String(twinNumber);
}

/** Applies column edits to a line's text; edits must not overlap. */
export function applyLineEdits(text: string, edits: readonly LineEdit[]): string {
  // From the end of the line backwards; at one column, a removal before an insertion.
  const ordered = [...edits].sort((a, b) => b.from - a.from || b.to - a.to);
  let result = text;
  for (const edit of ordered) {
    result = result.slice(0, edit.from) + edit.text + result.slice(edit.to);
  }
  return result;
}

/**
 * Inserts a new line after `line`: at the end of its text (before a CR, whose line
 * ending the new line then repeats), so it works on a last line without a final newline.
 */
export function insertLineAfter(line: RulesLine, newLine: string): FixEdit {
  const crlf = line.text.endsWith('\r');
  const at = { line: line.line, character: crlf ? line.text.length - 1 : line.text.length };
  return { range: { start: at, end: at }, newText: `${crlf ? '\r\n' : '\n'}${newLine}` };
}
