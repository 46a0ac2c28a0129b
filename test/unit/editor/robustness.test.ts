// Property test: the editor features never throw and every range they return lies inside
// its line, whatever the text (auditctl-like words, escapes, tabs, CR, stray bytes).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseRulesDocument } from '../../../server/src/rules/parse';
import { hoverAt } from '../../../server/src/rules/hover';
import { completionsAt } from '../../../server/src/rules/completion';
import { semanticTokens } from '../../../server/src/rules/semanticTokens';
import {
  documentSymbols,
  foldingRanges,
  keyAt,
  keyReferences,
} from '../../../server/src/rules/navigation';
import type { Range } from '../../../server/src/rules/diagnostics';

const words = [
  '-a', '-A', '-d', '-S', '-F', '-C', '-k', '-w', '-W', '-p', '-e', '-f', '-b', '-D', '-i',
  '--signal', '--backlog_wait_time', '--back', '--', 'always,exit', 'never,exclude',
  'exit,always', 'ALWAYS,foo', 'open,openat', '263', 'all', 'arch=b64', 'arch=b32',
  'arch=aarch64', 'auid>=1000', 'auid!=unset', 'exit=-EACCES', 'msgtype=CWD', 'perm=wa',
  'key=k', 'exe=/usr/bin/x', 'uid&1', '=1', 'x=', '/etc/passwd', 'wa', 'rwxa', 'identity',
  '#', '# note', '\t', '\r', '\\ ', '\\\\', 'a\\ b', '-Farch=b64', '-kfoo', '-ic', ',', ',,',
  '\u00e9', '\ud83d\ude00', '\u0000',
];

const line = fc
  .array(fc.oneof(fc.constantFrom(...words), fc.string({ maxLength: 6 })), { maxLength: 10 })
  .map((parts) => parts.join(' '));
const text = fc.array(line, { minLength: 1, maxLength: 5 }).map((lines) => lines.join('\n'));

function inside(range: Range, lines: string[]): boolean {
  const { start, end } = range;
  const startLine = lines[start.line];
  const endLine = lines[end.line];
  return startLine !== undefined && endLine !== undefined &&
    start.character >= 0 && start.character <= startLine.length &&
    end.character >= 0 && end.character <= endLine.length &&
    (start.line < end.line || start.character <= end.character);
}

test('hover, completion, tokens and navigation never throw and stay inside the lines', () => {
  const options = { auditVersion: '4.2' as const, hostMachine: 'x86_64' as const };
  let positions = 0;
  fc.assert(
    fc.property(text, (source) => {
      const document = parseRulesDocument(source);
      const lines = source.split('\n');

      for (const token of semanticTokens(document, options)) {
        assert.ok(token.length >= 0 && token.character + token.length <= lines[token.line].length);
      }
      for (const symbol of documentSymbols(document)) assert.ok(inside(symbol.range, lines));
      for (const fold of foldingRanges(document)) assert.ok(fold.endLine < lines.length);

      lines.forEach((lineText, lineNumber) => {
        for (let character = 0; character <= lineText.length; character++) {
          positions++;
          const position = { line: lineNumber, character };
          const hover = hoverAt(document, position, options);
          if (hover) assert.ok(inside(hover.range, lines), JSON.stringify(hover.range));
          for (const item of completionsAt(document, position, options)) {
            assert.ok(inside(item.range, lines), `${item.label} ${JSON.stringify(item.range)}`);
          }
          const key = keyAt(document, position);
          if (key !== undefined) {
            for (const range of keyReferences(document, key)) assert.ok(inside(range, lines));
          }
        }
      });
    }),
    { numRuns: 1500 },
  );
  assert.ok(positions > 1000, `only ${positions} positions were tried`);
});
