import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRulesDocument } from '../../../server/src/rules/parse';
import {
  documentSymbols,
  foldingRanges,
  keyAt,
  keyReferences,
  noKeyGroup,
  renameKey,
} from '../../../server/src/rules/navigation';

const text = [
  '# Identity files',             // 0
  '# (user and group databases)', // 1
  '-w /etc/passwd -p wa -k identity', // 2
  '-w /etc/group -p wa -k identity',  // 3
  '',                              // 4
  '-a always,exit -F arch=b64 -S sethostname -F key=system-locale', // 5
  '-a always,exit -F arch=b64 -S execve', // 6
  '-w /etc/hosts -p wa -k system-locale', // 7
  '-e 2',                          // 8
].join('\n');

test('symbols group the rules by key, then rules without key, then settings', () => {
  const symbols = documentSymbols(parseRulesDocument(text));
  assert.deepEqual(
    symbols.map((s) => [s.name, s.children?.length]),
    [['identity', 2], ['system-locale', 2], [noKeyGroup, 1], ['settings', 1]],
  );
  const identity = symbols[0];
  assert.equal(identity.range.start.line, 2);
  assert.equal(identity.range.end.line, 3);
  assert.equal(identity.children![0].name, '-w /etc/passwd -p wa -k identity');
  assert.equal(identity.children![0].kind, 'watch');
  assert.equal(symbols[1].children![0].kind, 'rule');
  assert.equal(symbols[1].range.start.line, 5);
  assert.equal(symbols[1].range.end.line, 7);
});

test('comment blocks fold', () => {
  const ranges = foldingRanges(parseRulesDocument(text));
  assert.deepEqual(ranges.find((r) => r.kind === 'comment'), {
    startLine: 0, endLine: 1, kind: 'comment',
  });
  assert.ok(ranges.some((r) => r.kind === 'region' && r.startLine === 5 && r.endLine === 8));
});

test('a single comment line does not fold', () => {
  const ranges = foldingRanges(parseRulesDocument('# one\n-D\n-b 8192'));
  assert.ok(!ranges.some((r) => r.kind === 'comment'));
});

test('references find every rule sharing the key, -k and -F key= alike', () => {
  const document = parseRulesDocument(text);
  const key = keyAt(document, { line: 7, character: 30 });
  assert.equal(key, 'system-locale');
  const ranges = keyReferences(document, key!);
  assert.deepEqual(ranges.map((r) => [r.start.line, r.start.character, r.end.character]), [
    [5, 49, 62],
    [7, 23, 36],
  ]);
  assert.equal(keyAt(document, { line: 5, character: 55 }), 'system-locale');
  assert.equal(keyAt(document, { line: 6, character: 5 }), undefined);
});

test('renaming a key renames it in every rule, escaping spaces as auditctl reads them', () => {
  const document = parseRulesDocument(text);
  const rename = renameKey(document, { line: 5, character: 55 }, 'locale changes');
  assert.ok(rename && !('error' in rename));
  assert.equal(rename.newText, 'locale\\ changes');
  assert.deepEqual(rename.ranges.map((r) => r.start.line), [5, 7]);
  assert.deepEqual(renameKey(document, { line: 5, character: 55 }, ''), {
    error: 'A key cannot be empty.',
  });
  assert.equal(renameKey(document, { line: 6, character: 3 }, 'x'), undefined);
});
