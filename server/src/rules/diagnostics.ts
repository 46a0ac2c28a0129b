/**
 * The shapes the rules engine reports in. They mirror LSP's shapes (0-based lines,
 * columns in UTF-16 code units) without importing LSP types, so the CLI, the tests and
 * the language server all read the same objects.
 */

/** A place in a document: 0-based line, 0-based column counted in UTF-16 code units. */
export interface Position {
  line: number;
  character: number;
}

/** A half-open span: `end` is the first position after the range. */
export interface Range {
  start: Position;
  end: Position;
}

export type Severity = 'error' | 'warning' | 'information' | 'hint';

/** Another place that explains a diagnostic (the earlier duplicate, the `-e 2` line). */
export interface RelatedInformation {
  /** Set when the place is in another file of the same rules.d stream. */
  file?: string;
  range: Range;
  message: string;
}

export interface RuleDiagnostic {
  /** Stable code from the code table (server/src/rules/codes.ts). */
  code: string;
  severity: Severity;
  range: Range;
  message: string;
  /**
   * True when the verdict depends on the machine auditctl runs on (user names, paths
   * that must exist, the kernel's HZ): the engine cannot know it here.
   */
  hostDependent?: boolean;
  /** What the code's quick fix needs; its shape is named by the code's `fix` kind. */
  data?: unknown;
  related?: RelatedInformation[];
  /** The file the diagnostic belongs to, when several files are checked as one stream. */
  file?: string;
}

export function position(line: number, character: number): Position {
  return { line, character };
}

export function lineRange(line: number, start: number, end: number): Range {
  return { start: { line, character: start }, end: { line, character: end } };
}

/**
 * A range within one line, as the parts of a rule are: one object of three numbers, its
 * positions made when read. A checked 10,000-line document holds about 80,000 ranges of
 * rule parts; as plain ranges (three objects each) they were a quarter of what a check
 * keeps, and the garbage collector copies all of it while the check runs. JSON (the
 * language server's wire) sees the plain shape.
 */
export class LineRange implements Range {
  constructor(
    readonly line: number,
    readonly startCharacter: number,
    readonly endCharacter: number,
  ) {}

  get start(): Position {
    return { line: this.line, character: this.startCharacter };
  }

  get end(): Position {
    return { line: this.line, character: this.endCharacter };
  }

  toJSON(): Range {
    return { start: this.start, end: this.end };
  }
}

/** The range of columns [start, end) of a line, in its compact form (see LineRange). */
export function spanRange(line: number, start: number, end: number): Range {
  return new LineRange(line, start, end);
}

/** A range as three plain objects, for results handed out one at a time (a hover). */
export function plainRange(range: Range): Range {
  return { start: range.start, end: range.end };
}
