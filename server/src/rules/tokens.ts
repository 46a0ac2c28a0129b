/**
 * Splits one rules-file line into words exactly as auditctl does when it reads a file
 * (auditctl.c fileopt: preprocess, audit_strsplit, postprocess).
 *
 * - Only the space character (0x20) separates words; runs of spaces are one separator.
 *   Tabs, CR and every other character are ordinary word characters.
 * - `\ ` keeps a space inside a word and `\\` stands for one backslash. The pair is
 *   recognised on the whole line, but only words after the first are unescaped: the
 *   first word keeps its escape pairs as written.
 * - There is no quoting: quotes are literal characters.
 * - A trailing CR (CRLF files) stays part of the last word.
 * - A NUL byte ends the line: auditctl handles the line as a C string, so nothing after
 *   the first NUL is read (auditctl 3.0.9 loads `-w /etc/pa<NUL>sswd -p wa` as
 *   `-w /etc/pa`).
 */
import type { Range } from './diagnostics';

export interface Token {
  /** The characters as written in the line, escapes included. */
  raw: string;
  /** The word as auditctl passes it on (escapes removed, except for the first word). */
  text: string;
  /** Column of the first character (UTF-16 units, 0-based). */
  start: number;
  /** Column after the last character. */
  end: number;
  /** The 0-based line the word is on. */
  readonly line: number;
  /** The same span as a range on the token's line. */
  readonly range: Range;
  /** The UTF-16 code unit at `offset` of the raw word, without making its string. */
  rawCodeAt(offset: number): number;
}

/**
 * A word of a line. Its strings and range are made when first asked for: a document
 * keeps every word of every line, and many are never read, so keeping only offsets into
 * the line's text makes a large file much cheaper to hold. A string read once is kept,
 * as the checks read the same word several times.
 */
class LineToken implements Token {
  private rawText?: string;

  constructor(
    private readonly source: string,
    public start: number,
    public end: number,
    readonly line: number,
    /** The unescaped text, for the few words that have escapes. */
    private unescaped?: string,
  ) {}

  rawCodeAt(offset: number): number {
    return this.source.charCodeAt(this.start + offset);
  }

  get raw(): string {
    return (this.rawText ??= this.source.slice(this.start, this.end));
  }

  get text(): string {
    return (this.unescaped ??= this.raw);
  }

  get range(): Range {
    return {
      start: { line: this.line, character: this.start },
      end: { line: this.line, character: this.end },
    };
  }
}

/** Where auditctl's reading of a line ends: at the first NUL byte, else at its end. */
export function auditctlLineEnd(line: string): number {
  const nul = line.indexOf('\0');
  return nul === -1 ? line.length : nul;
}

/**
 * Whether auditctl skips the line as blank: nothing but spaces (a tab is not blank)
 * before its end or its first NUL.
 */
export function isBlankLine(line: string): boolean {
  for (let i = 0; i < line.length; i++) {
    const code = line.charCodeAt(i);
    if (code === 0) return true;
    if (code !== 0x20) return false;
  }
  return true;
}

const SPACE = 0x20;
const BACKSLASH = 0x5c;

export function tokenizeLine(line: string, lineNumber = 0): Token[] {
  const tokens: Token[] = [];
  const length = auditctlLineEnd(line);
  const backslash = line.indexOf('\\');
  if (backslash === -1 || backslash >= length) return plainWords(line, length, lineNumber, tokens);
  let i = 0;

  while (i < length) {
    while (i < length && line.charCodeAt(i) === SPACE) i++;
    if (i >= length) break;

    const start = i;
    let escaped = false;
    let text = '';
    let plainFrom = i;
    while (i < length) {
      const code = line.charCodeAt(i);
      if (code === BACKSLASH && i + 1 < length) {
        const next = line.charCodeAt(i + 1);
        if (next === SPACE || next === BACKSLASH) {
          // An escape pair: auditctl marks both characters, so neither splits the word
          // nor starts another escape.
          text += line.slice(plainFrom, i) + (next === SPACE ? ' ' : '\\');
          escaped = true;
          i += 2;
          plainFrom = i;
          continue;
        }
      }
      if (code === SPACE) break;
      i++;
    }

    if (escaped) text += line.slice(plainFrom, i);
    const isFirst = tokens.length === 0;
    tokens.push(new LineToken(line, start, i, lineNumber, escaped && !isFirst ? text : undefined));
  }

  return tokens;
}

/**
 * The words of a line without a backslash before `length`: nothing is escaped, so each
 * word runs to the next space, found by the string search rather than a character loop.
 */
function plainWords(line: string, length: number, lineNumber: number, tokens: Token[]): Token[] {
  let i = 0;
  while (i < length) {
    while (i < length && line.charCodeAt(i) === SPACE) i++;
    if (i >= length) break;
    const space = line.indexOf(' ', i);
    const end = space === -1 || space > length ? length : space;
    tokens.push(new LineToken(line, i, end, lineNumber));
    i = end;
  }
  return tokens;
}

/**
 * How many words auditctl keeps from a line: fileopt allocates strlen(line)/3 + 3 argv
 * slots and silently drops the words that do not fit (only lines of very short words
 * reach the limit). The length is in bytes, as auditctl sees the UTF-8 line.
 */
export function auditctlWordLimit(line: string): number {
  const end = auditctlLineEnd(line);
  return Math.floor(utf8Length(end === line.length ? line : line.slice(0, end)) / 3) + 1;
}

/**
 * The length in bytes of a text as auditctl reads it (UTF-8). Rules text is nearly
 * always ASCII, and counting it here is much cheaper than a call into Buffer per word.
 */
export function utf8Length(text: string): number {
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) >= 0x80) return Buffer.byteLength(text, 'utf8');
  }
  return text.length;
}

/** auditctl reads a file through a 6144-byte buffer: longer lines are cut in two. */
export const maxLineBytes = 6143;
