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
