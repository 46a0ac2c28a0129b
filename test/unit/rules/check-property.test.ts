import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkRulesText } from '../../../server/src/rules/check';

// Words that make auditctl-shaped lines, mixed with arbitrary text so that both the
// ordinary paths and the odd ones (escapes, tabs, CR, unknown options) are exercised.
const optionWords = [
  '-a', '-A', '-d', '-S', '-F', '-C', '-k', '-w', '-W', '-p', '-e', '-f', '-b', '-r', '-D',
  '-l', '-s', '-m', '-q', '-t', '-v', '-h', '-i', '-c', '-R', '--', '--backlog_wait_time',
  '--loginuid-immutable', '--reset-lost', '--signal', '--back', '-ic', '-Farch=b64',
];
const valueWords = [
  'always,exit', 'exit,always', 'never,task', 'always,exclude', 'never,filesystem',
  'always,user', 'arch=b64', 'arch=b32', 'auid>=1000', 'auid!=unset', 'uid=chrony',
  'path=/etc/passwd', 'dir=/etc/', 'perm=wa', 'exit=-EACCES', 'msgtype=CWD', 'key=x',
  'open,openat', 'all', '263', 'fchmodat2', 'a0&1', 'success=1', 'fstype=tracefs', 'wa',
  'uid=euid', '/etc/passwd', 'rwxa', '0', '1', '2', 'a0=2', '#', '\\ ', '\t', '\r',
];

const word = fc.oneof(
  fc.constantFrom(...optionWords),
  fc.constantFrom(...valueWords),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 6 }),
);
const line = fc.array(word, { maxLength: 12 }).chain((words) =>
  fc.constantFrom(' ', '  ', '\t').map((separator) => words.join(separator)));

test('100,000 generated lines: no exception, every range inside its line', () => {
  const versions = ['3.0.9', '4.2'] as const;
  let checked = 0;
  fc.assert(
    fc.property(fc.array(line, { minLength: 1, maxLength: 10 }), fc.constantFrom(...versions),
      (lines, auditVersion) => {
        const text = lines.join('\n');
        const result = checkRulesText(text, { auditVersion });
        const textLines = text.split('\n');
        for (const entry of result.diagnostics) {
          const { start, end } = entry.range;
          const inside = (p: { line: number; character: number }) =>
            p.line >= 0 && p.line <= textLines.length &&
            p.character >= 0 &&
            (p.line === textLines.length ? p.character === 0
              : p.character <= textLines[p.line].length);
          if (!inside(start) || !inside(end)) return false;
          const backwards = start.line > end.line ||
            (start.line === end.line && start.character > end.character);
          if (backwards) {
            return false;
          }
        }
        for (const rule of result.rules) {
          if (rule.range.start.line !== rule.line) return false;
        }
        checked += lines.length;
        return true;
      }),
    { numRuns: 20_000, seed: 20261203 },
  );
  assert.ok(checked >= 100_000, `only ${checked} lines were checked`);
});
