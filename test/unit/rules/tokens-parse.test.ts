import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tokenizeLine, isBlankLine } from '../../../server/src/rules/tokens';
import { parseRulesDocument, parseRulesLine } from '../../../server/src/rules/parse';

const words = (line: string) => tokenizeLine(line).map((token) => token.text);

test('words are split on spaces only; runs and leading spaces are one separator', () => {
  assert.deepEqual(words('  -w   /etc/passwd  -p wa '), ['-w', '/etc/passwd', '-p', 'wa']);
  assert.deepEqual(words('-w /etc/passwd\t-p wa'), ['-w', '/etc/passwd\t-p', 'wa']);
});

test('token columns are exact, in UTF-16 units', () => {
  const tokens = tokenizeLine('-k  clé -S open');
  assert.deepEqual(tokens.map((t) => [t.start, t.end]), [[0, 2], [4, 7], [8, 10], [11, 15]]);
  assert.deepEqual(tokens[1].range, {
    start: { line: 0, character: 4 }, end: { line: 0, character: 7 },
  });
});

test('backslash-space and double backslash are unescaped except in the first word', () => {
  const tokens = tokenizeLine('-w /tmp/with\\ space -k a\\\\b');
  assert.deepEqual(tokens.map((t) => t.text), ['-w', '/tmp/with space', '-k', 'a\\b']);
  assert.equal(tokens[1].raw, '/tmp/with\\ space');
  assert.deepEqual([tokens[1].start, tokens[1].end], [3, 19]);
  const first = tokenizeLine('-kfoo\\ bar x');
  assert.deepEqual(first.map((t) => t.text), ['-kfoo\\ bar', 'x']);
});

test('quotes are literal and a trailing CR stays in the last word', () => {
  assert.deepEqual(words('-k "a b"'), ['-k', '"a', 'b"']);
  assert.deepEqual(words('-S open\r'), ['-S', 'open\r']);
});

test('blank means spaces only: a tab-only line is not blank', () => {
  assert.equal(isBlankLine('   '), true);
  assert.equal(isBlankLine(''), true);
  assert.equal(isBlankLine('\t'), false);
});

test('lines are comment, blank, control, rule, watch or error', () => {
  const doc = parseRulesDocument(
    '# c\n   # indented\n\n-D\n-a always,exit -S all\n-w /x -p r\nfoo\n-b 1 -f 1',
  );
  assert.deepEqual(doc.lines.map((l) => l.kind),
    ['comment', 'comment', 'blank', 'control', 'rule', 'watch', 'error', 'control']);
});

test('a final newline does not add a line; CRLF keeps the CR', () => {
  assert.equal(parseRulesDocument('-D\n').lines.length, 1);
  assert.equal(parseRulesDocument('-D\r\n-e 1\r\n').lines[0].text, '-D\r');
  assert.equal(parseRulesDocument('').lines.length, 1);
});

test('getopt: attached arguments, clusters and swallowed options', () => {
  const line = parseRulesLine('-aalways,exit -Farch=b64 -Sopen -ic -k -F x', 0);
  assert.deepEqual(line.options.map((o) => [o.name, o.argument?.text ?? null]), [
    ['-a', 'always,exit'], ['-F', 'arch=b64'], ['-S', 'open'], ['-i', null], ['-c', null],
    ['-k', '-F'],
  ]);
  assert.deepEqual(line.problems.map((p) => [p.kind, p.text]), [['stray-parameter', 'x']]);

  const farch = line.options[1];
  assert.deepEqual([farch.range.start.character, farch.range.end.character], [14, 16]);
  assert.deepEqual([farch.argument!.range.start.character, farch.argument!.range.end.character],
    [16, 24]);
  assert.equal(line.options[3].midCluster, true);
  assert.equal(line.options[4].midCluster, false);
});

test('getopt: long options with = or a separate value, unique prefixes, ambiguity', () => {
  const line = parseRulesLine('--backlog_wait_time=60 --backlog 5 --signal HUP --reset', 0);
  assert.deepEqual(line.options.map((o) => [o.name, o.argument?.text, o.abbreviated ?? false]), [
    ['--backlog_wait_time', '60', false], ['--backlog_wait_time', '5', true],
    ['--signal', 'HUP', false],
  ]);
  assert.equal(line.problems.length, 1);
  assert.equal(line.problems[0].kind, 'unknown-option');
  assert.deepEqual(line.problems[0].candidates,
    ['--reset-lost', '--reset_backlog_wait_time_actual']);
});

test('getopt: a missing argument, an unknown letter, and -- ending the options', () => {
  assert.equal(parseRulesLine('-w /x -k', 0).problems[0].kind, 'missing-argument');
  const unknown = parseRulesLine('-x', 0).problems[0];
  assert.deepEqual([unknown.kind, unknown.range.start.character, unknown.range.end.character],
    ['unknown-option', 0, 2]);
  const ended = parseRulesLine('-w /x -- -k y', 0);
  assert.deepEqual(ended.problems.map((p) => p.text), ['-k', 'y']);
  assert.equal(ended.endOfOptions?.start, 6);
});

test('escaped argument ranges map back to the raw text', () => {
  const line = parseRulesLine('-a always,exit -F dir=/a\\ b', 0);
  const field = line.options[1].argument!;
  assert.equal(field.text, 'dir=/a b');
  assert.deepEqual([field.range.start.character, field.range.end.character], [18, 27]);
});
