/** Ranges of parts of option arguments, mapped back through the word's escapes. */
import type { Range } from '../diagnostics';
import { lineRange, spanRange } from '../diagnostics';
import type { ParsedOption, RulesLine } from '../parse';
import { textRange } from '../parse';

/** The range of characters [from, to) of an option's argument text. */
export function argumentPartRange(
  line: RulesLine,
  option: ParsedOption,
  from: number,
  to: number,
): Range {
  const argument = option.argument!;
  const token = line.tokens[argument.tokenIndex];
  const offset = argument.textOffset;
  return textRange(token, line.line, offset + from, offset + to);
}

/** From the option letter to the end of its argument (`-F arch=b64`). */
export function wholeOptionRange(option: ParsedOption): Range {
  const end = option.argument ? option.argument.range.end : option.range.end;
  return { start: option.range.start, end };
}

export function argumentRange(option: ParsedOption): Range {
  return option.argument ? option.argument.range : option.range;
}

/** The whole line's extent, first word to last. */
export function lineExtent(line: RulesLine): Range {
  if (line.tokens.length === 0) return lineRange(line.line, 0, line.text.length);
  return spanRange(line.line, line.tokens[0].start, line.tokens[line.tokens.length - 1].end);
}
