/**
 * Text from a rules file or a log, made safe to print on a terminal. A rules file or an
 * executable name can hold ESC sequences that set the window title, clear the screen or
 * rewrite earlier lines; printed raw, they act on the admin's terminal. Every echoed
 * source line and message goes through `terminalSafe`, and long lines are cut to an
 * excerpt around the place a diagnostic points at.
 */

import { visibleText } from '../rules/visibleText';

/** The most characters of a source line shown under a diagnostic. */
export const excerptLimit = 200;

/** How many characters before the start of a range an excerpt keeps, when it must cut. */
const leadingContext = 40;

/** The text with every character a terminal could act on written as an escape. */
export function terminalSafe(text: string): string {
  return visibleText(text);
}

/** Whether the UTF-16 unit at `index` is the second half of a surrogate pair. */
function isLowSurrogate(text: string, index: number): boolean {
  const code = text.charCodeAt(index);
  return code >= 0xdc00 && code <= 0xdfff;
}

export interface SourceExcerpt {
  /** The line as printed: escaped, and cut with `…` when longer than the limit. */
  text: string;
  /** Where the caret line starts (tabs kept, so it lines up under a tab). */
  indent: string;
  /** How many columns the caret and its tildes cover (at least 1). */
  width: number;
}

/**
 * The part of a source line printed under a diagnostic, with the place of the range
 * [start, end) in it. A line within the limit is shown whole; a longer one is cut to
 * `excerptLimit` characters that hold the range's start, with `…` where text is left out.
 */
export function sourceExcerpt(line: string, start: number, end: number): SourceExcerpt {
  let from = 0;
  let to = line.length;
  if (line.length > excerptLimit) {
    from = Math.max(0, Math.min(start - leadingContext, line.length - excerptLimit));
    if (from > 0 && isLowSurrogate(line, from)) from++;
    to = Math.min(line.length, from + excerptLimit);
    if (to < line.length && isLowSurrogate(line, to)) to--;
  }

  let text = from > 0 ? '…' : '';
  let indent = from > 0 ? ' ' : '';
  let width = 0;
  const caretFrom = Math.max(start, from);
  const caretTo = Math.min(Math.max(end, start + 1), to + 1);
  for (let column = from; column < to; column++) {
    const shown = visibleText(line[column]);
    text += shown;
    if (column < caretFrom) indent += shown === '\t' ? '\t' : ' '.repeat(shown.length);
    else if (column < caretTo) width += shown.length;
  }
  if (to < line.length) text += '…';
  // A range at the end of the line (a missing argument) points just past the last word.
  if (caretTo > to) width += 1;

  return { text, indent, width: Math.max(1, width) };
}

let countFormat: Intl.NumberFormat | undefined;

/**
 * A count with thousands separators (12,345). The formatter is made on first use: making it
 * loads the locale data, about 20 ms, which a command printing JSON never needs.
 */
export function formatCount(count: number): string {
  countFormat ??= new Intl.NumberFormat('en-US');
  return countFormat.format(count);
}
