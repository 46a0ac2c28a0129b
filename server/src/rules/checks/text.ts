/**
 * Problems in the characters of a line rather than its options: CR endings, tabs, inline
 * comments, lines past auditctl's buffer, words auditctl drops, and a field written
 * without its -F (`-a0=2`), which getopt reads as another option.
 */
import { fieldInfo } from '../../tables';
import { diagnostic, quotedWord } from '../codes';
import { lineRange } from '../diagnostics';
import { isParseProblem } from '../parse';
import { splitFieldPair } from './fields';
import { keyCharacterHints } from './keyText';
import { LineState, report } from './state';

export function lintLineText(state: LineState): void {
  const line = state.line;
  const text = line.text;
  const lineNumber = line.line;

  const nul = text.indexOf('\0');
  if (nul !== -1 && line.kind !== 'comment') nulByte(state, nul);

  // After a NUL the CR is never read.
  if (text.endsWith('\r') && nul === -1) {
    const range = lineRange(lineNumber, text.length - 1, text.length);
    report(state, diagnostic('crlf-line-ending', range, {}, {
      data: {
        fixes: [{ title: 'Remove the CR', preferred: true, edits: [{ range, newText: '' }] }],
      },
    }));
  }

  if (line.kind === 'comment' || line.kind === 'blank') return;
  keyCharacterHints(state);

  for (let column = text.indexOf('\t'); column !== -1; column = text.indexOf('\t', column + 1)) {
    const token = line.tokens.find((word) => word.start <= column && column < word.end);
    const range = lineRange(lineNumber, column, column + 1);
    report(state, diagnostic('tab-character', range, { word: token?.raw ?? '\t' }, {
      data: {
        fixes: [{ title: 'Replace the tab with a space', preferred: true,
          edits: [{ range, newText: ' ' }] }],
      },
    }));
  }

  for (const problem of line.problems) {
    if (problem.kind !== 'stray-parameter' || !problem.text.startsWith('#')) continue;
    let from = problem.range.start.character;
    while (from > 0 && text[from - 1] === ' ') from--;
    const end = text.endsWith('\r') ? text.length - 1 : text.length;
    const range = lineRange(lineNumber, problem.range.start.character, end);
    // The comment goes on a line of its own above the rule, so no word of it is lost.
    const comment = text.slice(problem.range.start.character, end);
    state.diagnostics.push(diagnostic('inline-comment', range, { word: problem.text }, {
      data: {
        fixes: [{ title: 'Move the comment to its own line', preferred: true,
          edits: [
            { range: lineRange(lineNumber, from, end), newText: '' },
            { range: lineRange(lineNumber, 0, 0), newText: `${comment}\n` },
          ] }],
      },
    }));
    break;
  }

  if (line.overlong) {
    report(state, diagnostic('line-too-long', lineRange(lineNumber, 0, text.length), {
      bytes: Buffer.byteLength(text, 'utf8'),
    }));
    state.failed = true;
  }

  if (line.droppedTokens.length > 0) {
    const first = line.droppedTokens[0];
    const last = line.droppedTokens[line.droppedTokens.length - 1];
    report(state, diagnostic('words-dropped', lineRange(lineNumber, first.start, last.end), {
      limit: line.tokens.length - line.droppedTokens.length, word: first.text,
    }));
  }
}

/**
 * auditctl handles each line as a C string (fgets, then strchr and strtok on the buffer):
 * a NUL byte ends it, and everything after is silently lost. Recorded with auditctl
 * 3.0.9: `-w /etc/pa<NUL>sswd -p wa -k x` loads a watch on /etc/pa with all permissions
 * and no key.
 */
function nulByte(state: LineState, nul: number): void {
  const line = state.line;
  const end = line.text.endsWith('\r') ? line.text.length - 1 : line.text.length;
  const rest = line.text.slice(nul + 1, end).replace(/\0/g, '\u2400');
  const quoted = rest.trim() === '' ? '' : `: "${quotedWord(rest)}"`;
  report(state, diagnostic('nul-byte', lineRange(line.line, nul, Math.max(end, nul + 1)), {
    rest: quoted,
  }, {
    data: {
      fixes: [{
        title: 'Remove the NUL byte (auditctl then reads the whole line)',
        preferred: true,
        edits: [{ range: lineRange(line.line, nul, nul + 1), newText: '' }],
      }],
    },
  }));
}

const fieldShaped = /^-([A-Za-z_][A-Za-z_0-9]*)(!=|>=|<=|&=|=|>|<|&)/;

/**
 * `-a0=2`, `-auid>=1000`, `-path=/x`: a field name after a bare dash. getopt reads the
 * first letter as an option; whatever that does, the author meant -F. When that reading
 * is what fails the line, the field diagnostic replaces the confusing one.
 */
export function rewriteFieldWithoutF(state: LineState): void {
  const line = state.line;
  let previous = -1;
  for (const item of line.items) {
    const index = !isParseProblem(item) ? item.tokenIndex
      : item.kind === 'unknown-option' ? item.tokenIndex : -1;
    if (index === -1 || index === previous) continue;
    previous = index;
    const token = line.tokens[index];
    // The shortest field-shaped word is `-a=1`: an option word such as `-F` is skipped
    // without making its string.
    if (token.end - token.start < 3) continue;
    // Only a word with an operator character can be a field: skip the regex otherwise.
    if (!/[=<>&]/.test(token.text) || token.text.charCodeAt(1) === 0x2d) continue;
    const match = fieldShaped.exec(token.text);
    if (!match || !fieldInfo(match[1]) || !splitFieldPair(token.text.slice(1))) continue;

    const range = lineRange(line.line, token.start, token.end);
    const inToken = (start: number) => start >= token.start && start < token.end;
    const errors = state.diagnostics.filter((entry) =>
      entry.severity === 'error' && entry.range.start.line === line.line &&
      inToken(entry.range.start.character));
    if (errors.length > 0) {
      state.diagnostics = state.diagnostics.filter((entry) => !errors.includes(entry));
    }
    const option = `-${token.text[1]}`;
    const quoted = errors.length > 0 ? /auditctl: ".*"$/.exec(errors[0].message)?.[0] : undefined;
    state.diagnostics.push(diagnostic('field-missing-F', range, {
      word: token.text, field: match[1].toLowerCase(), option, argument: token.text.slice(2),
      result: quoted ? ` ${quoted}` : '',
    }, {
      severity: errors.length > 0 ? 'error' : 'warning',
      data: {
        fixes: [{ title: `Insert -F: "-F ${token.text.slice(1)}"`, preferred: true,
          edits: [{ range: lineRange(line.line, token.start, token.start + 1), newText: '-F ' }] }],
      },
    }));
  }
}
