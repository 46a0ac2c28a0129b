/**
 * Reads a rules file into lines and options the way auditctl 3.0.9 / 4.2 does: words as
 * in tokens.ts, then GNU getopt_long over the words with auditctl's option string
 * `hicslDvtC:e:f:r:b:a:A:d:S:F:m:R:w:W:k:p:q:` and its five long options.
 *
 * getopt behaviour kept here: attached arguments (`-Farch=b64`, `-kfoo`), clusters
 * (`-ic`), an option taking an argument swallows the next word even when it starts with
 * `-` (`-k -F`), `--name=value` and `--name value`, unique prefixes of long names,
 * permutation (words that are not options are skipped and reported as strays), and `--`
 * ending the options.
 */
import { Range, lineRange, spanRange } from './diagnostics';
import { Token, auditctlWordLimit, isBlankLine, maxLineBytes, tokenizeLine } from './tokens';

export type LineKind = 'comment' | 'blank' | 'control' | 'rule' | 'watch' | 'error';

/** Canonical option names: the short letter with its dash, or the full long name. */
export type OptionName =
  | '-h' | '-i' | '-c' | '-s' | '-l' | '-D' | '-v' | '-t'
  | '-C' | '-e' | '-f' | '-r' | '-b' | '-a' | '-A' | '-d' | '-S' | '-F' | '-m' | '-R'
  | '-w' | '-W' | '-k' | '-p' | '-q'
  | '--loginuid-immutable' | '--backlog_wait_time' | '--reset-lost'
  | '--reset_backlog_wait_time_actual' | '--signal';

interface OptionSpec {
  name: OptionName;
  takesArgument: boolean;
}

const shortOptions = new Map<string, OptionSpec>();
for (const letter of 'hicslDvt') {
  shortOptions.set(letter, { name: `-${letter}` as OptionName, takesArgument: false });
}
for (const letter of 'CefrbaAdSFmRwWkpq') {
  shortOptions.set(letter, { name: `-${letter}` as OptionName, takesArgument: true });
}

/** The short options by the char code of their letter (ASCII letters only). */
const shortOptionsByCode: (OptionSpec | undefined)[] = [];
for (let code = 0; code < 0x80; code++) {
  shortOptionsByCode.push(shortOptions.get(String.fromCharCode(code)));
}

/** auditctl's long options, in its long_opts order (both versions build all five). */
export const longOptions: readonly { long: string; spec: OptionSpec }[] = [
  { long: 'loginuid-immutable', spec: { name: '--loginuid-immutable', takesArgument: false } },
  { long: 'backlog_wait_time', spec: { name: '--backlog_wait_time', takesArgument: true } },
  { long: 'reset-lost', spec: { name: '--reset-lost', takesArgument: false } },
  {
    long: 'reset_backlog_wait_time_actual',
    spec: { name: '--reset_backlog_wait_time_actual', takesArgument: false },
  },
  { long: 'signal', spec: { name: '--signal', takesArgument: true } },
];

/** Options that build a filter rule; a line with one of them is a rule or a watch. */
export const ruleOptions: ReadonlySet<OptionName> = new Set<OptionName>([
  '-a', '-A', '-d', '-S', '-F', '-C', '-k', '-p', '-w', '-W',
]);

export interface OptionArgument {
  /** The argument as auditctl receives it (escapes removed). */
  text: string;
  /** As written in the line. */
  raw: string;
  readonly range: Range;
  /** True for `-Fx=1` / `--signal=HUP`, false when it is the next word. */
  attached: boolean;
  /** Index of the word that holds the argument. */
  tokenIndex: number;
  /** Where the argument starts in its word's unescaped text (2 in `-Farch=b64`). */
  readonly textOffset: number;
}

export interface ParsedOption {
  name: OptionName;
  /** As written: `-F`, `--backlog` (a prefix), or `-c` for the second letter of `-ic`. */
  written: string;
  /** The option's own characters (one letter and its dash, or the whole `--name`). */
  readonly range: Range;
  argument?: OptionArgument;
  /** Index of the word holding the option letter or long name. */
  tokenIndex: number;
  /** True when more letters of the same cluster follow (`-i` in `-ic`). */
  midCluster: boolean;
  /** True when written as a long-name prefix (`--backlog` for `--backlog_wait_time`). */
  abbreviated?: boolean;
}

export type ParseProblemKind =
  /** An unknown letter, unknown or ambiguous long name, or `--name=x` on a flag. */
  | 'unknown-option'
  /** The option wants an argument but is the last word. */
  | 'missing-argument'
  /** A word that is neither an option nor an option's argument. */
  | 'stray-parameter';

export interface ParseProblem {
  kind: ParseProblemKind;
  /** The word or option text concerned, as auditctl would echo it. */
  text: string;
  range: Range;
  tokenIndex: number;
  /** For unknown long names matching several options by prefix. */
  candidates?: string[];
}

/**
 * One step of getopt's walk over the words, in the order auditctl processes them: an
 * option, or a problem (which has a `kind`; see isParseProblem).
 */
export type LineItem = ParsedOption | ParseProblem;

export function isParseProblem(item: LineItem): item is ParseProblem {
  return (item as ParseProblem).kind !== undefined;
}

// Ranges are made on demand: a check reads few of them, and a 10,000-line file would
// otherwise allocate millions of position objects up front. A range read is kept: the
// checks read the same option's range for a rule part, a diagnostic and the rule's list,
// and a checked document keeps them all, so they share one object.
class LineSpan {
  private keptRange?: Range;

  constructor(
    protected readonly lineNumber: number,
    protected readonly startColumn: number,
    protected readonly endColumn: number,
  ) {}

  get range(): Range {
    return (this.keptRange ??= spanRange(this.lineNumber, this.startColumn, this.endColumn));
  }
}

/** An option's argument: the rest of its word (attached) or the next word, read from it. */
class ArgumentSpan implements OptionArgument {
  private keptRange?: Range;
  private argumentText?: string;

  constructor(
    private readonly token: Token,
    /** Where the argument starts in the word's text (after `-F` in `-Farch=b64`). */
    readonly textOffset: number,
    public tokenIndex: number,
  ) {}

  /** Only an argument in the option's own word starts past its first character. */
  get attached(): boolean {
    return this.textOffset > 0;
  }

  get range(): Range {
    const token = this.token;
    return (this.keptRange ??= spanRange(token.line, token.start + rawOffset(token, this.textOffset),
      token.end));
  }

  get text(): string {
    return (this.argumentText ??= this.textOffset === 0 ? this.token.text
      : this.token.text.slice(this.textOffset));
  }

  get raw(): string {
    const rawStart = rawOffset(this.token, this.textOffset);
    return rawStart === 0 ? this.token.raw : this.token.raw.slice(rawStart);
  }
}

class OptionSpan extends LineSpan implements ParsedOption {
  argument?: OptionArgument;
  abbreviated?: boolean;

  constructor(
    public name: OptionName,
    public written: string,
    line: number,
    start: number,
    end: number,
    public tokenIndex: number,
    public midCluster: boolean,
  ) {
    super(line, start, end);
  }
}

export interface RulesLine {
  /** 0-based line number. */
  line: number;
  /** The line's text without its `\n` (a CR stays). */
  text: string;
  kind: LineKind;
  tokens: Token[];
  /** Options and problems, in getopt order. */
  items: LineItem[];
  options: ParsedOption[];
  problems: ParseProblem[];
  /** Words auditctl silently drops (more words than its argv slots; see tokens.ts). */
  droppedTokens: Token[];
  /** The `--` word, when present. */
  endOfOptions?: Token;
  /** Whether the line is longer than auditctl's read buffer (6143 bytes). */
  overlong: boolean;
}

/**
 * A line as a checked document keeps it: its number, text and kind, with the words and
 * options parsed again when first read (then kept). A check reads every word of every
 * line once; hovers, completion and fixes read a few lines. Holding only the text keeps
 * a 10,000-line document small, and the garbage collector has far less to copy while a
 * full check runs.
 */
class StoredLine implements RulesLine {
  private parsed?: RulesLine;

  constructor(
    readonly line: number,
    readonly text: string,
    readonly kind: LineKind,
    readonly overlong: boolean,
  ) {}

  private get full(): RulesLine {
    return (this.parsed ??= parseRulesLine(this.text, this.line));
  }

  get tokens(): Token[] { return this.full.tokens; }
  get items(): LineItem[] { return this.full.items; }
  get options(): ParsedOption[] { return this.full.options; }
  get problems(): ParseProblem[] { return this.full.problems; }
  get droppedTokens(): Token[] { return this.full.droppedTokens; }
  get endOfOptions(): Token | undefined { return this.full.endOfOptions; }
}

/** The same line text under another line number (a line inserted or removed above it). */
export function movedLine(line: RulesLine, delta: number): RulesLine {
  return new StoredLine(line.line + delta, line.text, line.kind, line.overlong);
}

/** The compact form of a parsed line, for a document that is kept (see StoredLine). */
export function storedLine(parsed: RulesLine): RulesLine {
  if (parsed instanceof StoredLine) return parsed;
  return new StoredLine(parsed.line, parsed.text, parsed.kind, parsed.overlong);
}

export interface RulesDocument {
  lines: RulesLine[];
  /** Whether the text ends with a newline (false for an empty text). */
  finalNewline?: boolean;
}

const DASH = 0x2d;

export function parseRulesDocument(text: string): RulesDocument {
  const lines: RulesLine[] = [];
  splitRulesText(text, (line, lineNumber) => lines.push(parseRulesLine(line, lineNumber)));
  return { lines, finalNewline: text.endsWith('\n') };
}

/**
 * Calls `visit` with each line of a text and its 0-based number, as auditctl reads them:
 * `\n` ends a line (a CR stays in it), and a final newline starts no empty last line.
 */
export function splitRulesText(
  text: string,
  visit: (line: string, lineNumber: number) => void,
): void {
  let lineStart = 0;
  let lineNumber = 0;

  while (lineStart <= text.length) {
    const newline = text.indexOf('\n', lineStart);
    const lineEnd = newline === -1 ? text.length : newline;
    if (newline === -1 && lineStart === text.length && lineNumber > 0) break;
    visit(text.slice(lineStart, lineEnd), lineNumber);
    lineNumber++;
    if (newline === -1) break;
    lineStart = newline + 1;
  }
}

const noTokens: Token[] = [];

/**
 * The problems of every line that has none, shared (most lines have none). Frozen, so a
 * reader that pushes onto it fails loudly instead of changing every line.
 */
const noProblems: ParseProblem[] = Object.freeze([]) as never as ParseProblem[];

export function parseRulesLine(text: string, line: number): RulesLine {
  // Until a problem turns up, the items are the options: one list serves as both.
  const options: ParsedOption[] = [];
  const result: RulesLine = {
    line,
    text,
    kind: 'blank',
    tokens: noTokens,
    items: options,
    options,
    problems: noProblems,
    droppedTokens: noTokens,
    overlong: text.length > maxLineBytes / 3 && Buffer.byteLength(text, 'utf8') > maxLineBytes,
  };

  if (isBlankLine(text)) return result;

  const allTokens = tokenizeLine(text, line);
  result.tokens = allTokens;
  if (allTokens[0].raw.charCodeAt(0) === 0x23) {
    result.kind = 'comment';
    return result;
  }

  const limit = allTokens.length > 8 ? auditctlWordLimit(text) : allTokens.length;
  const tokens = allTokens.length > limit ? allTokens.slice(0, limit) : allTokens;
  if (tokens !== allTokens) result.droppedTokens = allTokens.slice(limit);

  walkOptions(tokens, line, result);
  result.kind = classify(result);
  return result;
}

function walkOptions(tokens: Token[], line: number, result: RulesLine): void {
  let index = 0;
  let optionsEnded = false;

  while (index < tokens.length) {
    const token = tokens[index];
    // Most words are one option letter (`-F`) or an argument: read those two characters in
    // the line, without making the word's string.
    if (!optionsEnded && token.end - token.start === 2 && token.rawCodeAt(0) === DASH) {
      const spec = shortOptionsByCode[token.rawCodeAt(1)];
      if (spec !== undefined) {
        index = readShortOption(tokens, index, line, spec, result);
        continue;
      }
    }
    const word = token.text;

    if (optionsEnded || word.length < 2 || word.charCodeAt(0) !== DASH) {
      pushProblem(result, strayProblem(token, index, line));
      index++;
      continue;
    }

    if (word === '--') {
      result.endOfOptions = token;
      optionsEnded = true;
      index++;
      continue;
    }

    if (word.charCodeAt(1) === DASH) {
      index = readLongOption(tokens, index, line, result);
      continue;
    }

    index = readShortCluster(tokens, index, line, result);
  }
}

/**
 * A word of one known option letter (`-F`), as readShortCluster reads it: the letter's
 * option, with the next word as its argument when it takes one. Two characters of raw text
 * starting with a dash hold no escape, so the word is as written.
 */
function readShortOption(
  tokens: Token[],
  index: number,
  line: number,
  spec: OptionSpec,
  result: RulesLine,
): number {
  const token = tokens[index];
  const option = new OptionSpan(spec.name, spec.name, line, token.start, token.end, index, false);
  if (!spec.takesArgument) {
    pushOption(result, option);
    return index + 1;
  }
  if (index + 1 >= tokens.length) {
    pushProblem(result, {
      kind: 'missing-argument', text: spec.name, range: option.range, tokenIndex: index,
    });
    return index + 1;
  }
  option.argument = separateArgument(tokens[index + 1], index + 1);
  pushOption(result, option);
  return index + 2;
}

function pushOption(result: RulesLine, option: ParsedOption): void {
  if (result.items !== result.options) result.items.push(option);
  result.options.push(option);
}

function pushProblem(result: RulesLine, problem: ParseProblem): void {
  if (result.items === result.options) result.items = result.options.slice();
  if (result.problems === noProblems) result.problems = [];
  result.items.push(problem);
  result.problems.push(problem);
}

function strayProblem(token: Token, tokenIndex: number, line: number): ParseProblem {
  return {
    kind: 'stray-parameter',
    text: token.text,
    range: lineRange(line, token.start, token.end),
    tokenIndex,
  };
}

function readLongOption(
  tokens: Token[],
  index: number,
  line: number,
  result: RulesLine,
): number {
  const token = tokens[index];
  const word = token.text;
  const equals = word.indexOf('=');
  const name = equals === -1 ? word.slice(2) : word.slice(2, equals);
  const nameEnd = token.start + (equals === -1 ? token.raw.length : rawOffset(token, equals));

  const exact = longOptions.find((entry) => entry.long === name);
  const prefixed = exact ? [exact] : longOptions.filter((entry) => entry.long.startsWith(name));
  if (prefixed.length !== 1) {
    pushProblem(result, {
      kind: 'unknown-option',
      text: word,
      range: lineRange(line, token.start, token.end),
      tokenIndex: index,
      candidates: prefixed.length > 1 ? prefixed.map((entry) => `--${entry.long}`) : undefined,
    });
    return index + 1;
  }

  const { spec } = prefixed[0];
  const written = exact ? spec.name : `--${name}`;
  const option = new OptionSpan(spec.name, written, line, token.start, nameEnd, index, false);
  if (!exact) option.abbreviated = true;

  if (equals !== -1) {
    if (!spec.takesArgument) {
      // getopt_long: "option '--reset-lost' doesn't allow an argument".
      pushProblem(result, {
        kind: 'unknown-option',
        text: word,
        range: lineRange(line, token.start, token.end),
        tokenIndex: index,
      });
      return index + 1;
    }
    option.argument = attachedArgument(token, equals + 1, index);
    pushOption(result, option);
    return index + 1;
  }

  if (!spec.takesArgument) {
    pushOption(result, option);
    return index + 1;
  }

  if (index + 1 >= tokens.length) {
    pushProblem(result, {
      kind: 'missing-argument', text: word, range: option.range, tokenIndex: index,
    });
    return index + 1;
  }
  option.argument = separateArgument(tokens[index + 1], index + 1);
  pushOption(result, option);
  return index + 2;
}

function readShortCluster(
  tokens: Token[],
  index: number,
  line: number,
  result: RulesLine,
): number {
  const token = tokens[index];
  const word = token.text;

  for (let position = 1; position < word.length; position++) {
    const letter = word[position];
    const letterStart = token.start + rawOffset(token, position);
    const letterEnd = token.start + rawOffset(token, position + 1);
    const spec = shortOptions.get(letter);
    const last = position === word.length - 1;

    if (!spec) {
      pushProblem(result, {
        kind: 'unknown-option',
        text: word,
        range: lineRange(line, position === 1 ? token.start : letterStart, letterEnd),
        tokenIndex: index,
      });
      if (last) return index + 1;
      continue;
    }

    const optionStart = position === 1 ? token.start : letterStart;
    const option = new OptionSpan(spec.name, spec.name, line, optionStart, letterEnd, index,
      !last && !spec.takesArgument);

    if (!spec.takesArgument) {
      pushOption(result, option);
      continue;
    }

    if (!last) {
      option.argument = attachedArgument(token, position + 1, index);
      pushOption(result, option);
      return index + 1;
    }
    if (index + 1 >= tokens.length) {
      pushProblem(result, {
        kind: 'missing-argument',
        text: `-${letter}`,
        range: option.range,
        tokenIndex: index,
      });
      return index + 1;
    }
    option.argument = separateArgument(tokens[index + 1], index + 1);
    pushOption(result, option);
    return index + 2;
  }

  return index + 1;
}

function attachedArgument(token: Token, textOffset: number, tokenIndex: number): OptionArgument {
  return new ArgumentSpan(token, textOffset, tokenIndex);
}

function separateArgument(token: Token, tokenIndex: number): OptionArgument {
  return new ArgumentSpan(token, 0, tokenIndex);
}

/**
 * Where the character at `textOffset` of a word's unescaped text sits in its raw text.
 * Words without escapes map one to one.
 */
export function rawOffset(token: Token, textOffset: number): number {
  if (token.end - token.start === token.text.length) return textOffset;
  let raw = 0;
  let text = 0;
  while (text < textOffset && raw < token.raw.length) {
    const code = token.raw.charCodeAt(raw);
    const next = token.raw.charCodeAt(raw + 1);
    raw += code === 0x5c && (next === 0x20 || next === 0x5c) ? 2 : 1;
    text++;
  }
  return raw;
}

/** The range of characters [from, to) of a word's unescaped text, in line columns. */
export function textRange(
  token: Token,
  line: number,
  from: number,
  to: number,
): Range {
  return spanRange(line, token.start + rawOffset(token, from), token.start + rawOffset(token, to));
}

function classify(result: RulesLine): LineKind {
  let hasWatch = false;
  let hasRule = false;
  let hasControl = false;
  for (const option of result.options) {
    if (option.name === '-w' || option.name === '-W') hasWatch = true;
    else if (option.name === '-a' || option.name === '-A' || option.name === '-d') hasRule = true;
    else if (!ruleOptions.has(option.name)) hasControl = true;
  }
  if (hasRule) return 'rule';
  if (hasWatch) return 'watch';
  if (hasControl && result.problems.length === 0) return 'control';
  if (result.options.length > 0 && result.problems.length === 0) {
    // Only -S / -F / -k / -p / -C without a list: auditctl fails the line.
    return 'error';
  }
  return hasControl ? 'control' : 'error';
}
