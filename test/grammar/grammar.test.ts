// Runs the TextMate grammar tests (test/grammar/*.test.rules, *.test.log) with
// vscode-tmgrammar-test, the engine VS Code itself tokenizes with, so they count in the
// node:test run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempFolder } from '../tempFolders';

const repoRoot = join(__dirname, '..', '..', '..');
const cli = join(repoRoot, 'node_modules', 'vscode-tmgrammar-test', 'dist', 'unit.js');
const grammars = ['audit-rules', 'audit-log'].flatMap((name) => [
  '-g',
  join(repoRoot, 'syntaxes', `${name}.tmLanguage.json`),
]);

function runGrammarTests(pattern: string) {
  return spawnSync(process.execPath, [cli, '-c', ...grammars, pattern], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
}

test('rules grammar: every scope assertion holds', () => {
  const result = runGrammarTests('test/grammar/audit-rules.test.rules');
  assert.equal(result.status, 0, result.stdout + result.stderr);
  assert.match(result.stdout, /audit-rules\.test\.rules run successfuly/);
});

test('log grammar: every scope assertion holds', () => {
  const result = runGrammarTests('test/grammar/audit-log.test.log');
  assert.equal(result.status, 0, result.stdout + result.stderr);
  assert.match(result.stdout, /audit-log\.test\.log run successfuly/);
});

test('a wrong scope assertion fails the grammar run', () => {
  const dir = tempFolder('grammar-');
  const file = join(dir, 'wrong.test.rules');
  writeFileSync(file, [
    '# SYNTAX TEST "source.audit-rules" "a deliberately wrong expectation"',
    '-a always,exit',
    '#  ^^^^^^ support.type.list.audit-rules',
    '',
  ].join('\n'));
  const result = runGrammarTests(file);
  assert.notEqual(result.status, 0);
  assert.match(result.stdout, /Missing required scopes: \[ support\.type\.list\.audit-rules \]/);
});
