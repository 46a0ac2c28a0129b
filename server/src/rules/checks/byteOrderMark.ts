/**
 * A UTF-8 byte-order mark at the start of a file (what some editors save as "UTF-8 with
 * BOM"). auditctl has no notion of it: its three bytes become part of the first word, so
 * `<BOM>-D` is no option and `<BOM># comment` no comment, and line 1 fails. The mark is
 * invisible in a terminal, so the usual "not an option" reports would quote a word that
 * looks right; one diagnostic names the cause instead.
 */
import { diagnostic } from '../codes';
import { lineRange } from '../diagnostics';
import { LineState } from './state';

const byteOrderMark = '\ufeff';

/** Reports codes that the mark alone causes on line 1; replaces them by one error. */
export function explainByteOrderMark(state: LineState): void {
  const line = state.line;
  if (line.line !== 0 || !line.text.startsWith(byteOrderMark)) return;

  // A line meant as a comment fails on each of its words; otherwise on the first.
  const meantAsComment = line.text.slice(1).startsWith('#');
  const first = line.tokens[0];
  const causedByMark = (code: string, start: number) =>
    code === 'no-option' ||
    (code === 'stray-parameter' && (meantAsComment || start === first?.start));
  state.diagnostics = state.diagnostics.filter((entry) =>
    !(entry.range.start.line === 0 && causedByMark(entry.code, entry.range.start.character)));

  const range = lineRange(0, 0, 1);
  state.diagnostics.push(diagnostic('byte-order-mark', range, {}, {
    data: {
      fixes: [{ title: 'Remove the byte-order mark', preferred: true,
        edits: [{ range, newText: '' }] }],
    },
  }));
  state.failed = true;
}
