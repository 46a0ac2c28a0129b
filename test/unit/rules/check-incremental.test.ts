import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  checkRulesText, type CheckRulesOptions, type CheckRulesResult,
} from '../../../server/src/rules/check';
import { sharedRoot } from './check-helpers';

const corpus = join(sharedRoot, 'corpus', 'rules');

/** Every line of every corpus rules file, comments and control lines included. */
function corpusLines(): string[] {
  const lines: string[] = [];
  for (const folder of readdirSync(corpus).filter((name) => !name.includes('.')).sort()) {
    for (const name of readdirSync(join(corpus, folder)).sort()) {
      lines.push(...readFileSync(join(corpus, folder, name), 'utf8').split('\n'));
    }
  }
  return lines;
}

/** A small deterministic generator, so a failure names a reproducible edit sequence. */
function randomSource(seed: number): (below: number) => number {
  let state = seed >>> 0;
  return (below) => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state % below;
  };
}

function verdicts(result: CheckRulesResult): string {
  return JSON.stringify({ diagnostics: result.diagnostics, rules: result.rules });
}

const extraLines = [
  '-e 2', '-D', '-D -k delete', '-b 8192', '', '# a comment', '-a always,exit -S 263',
  '-a always,exit -F arch=b64 -S unlinkat -k delete', '-d always,exit -F arch=b64 -S open',
  '-w /etc/passwd -p wa -k identity', '-a always,exit -F arch=b64 -S openat\r',
];

test('an incremental check gives the same verdicts as a fresh one, edit after edit', (t) => {
  if (!existsSync(corpus)) {
    t.skip(`the rules corpus is not at ${corpus}`);
    return;
  }
  const pool = [...corpusLines().slice(0, 3000), ...extraLines];
  const next = randomSource(20261203);
  const options: CheckRulesOptions = { file: '/etc/audit/rules.d/30-test.rules' };
  let lines = pool.slice(0, 1500);
  let previous = checkRulesText(lines.join('\n'), options);

  for (let step = 0; step < 60; step++) {
    lines = [...lines];
    const at = next(lines.length);
    const kind = next(4);
    if (kind === 0) lines.splice(at, 0, pool[next(pool.length)]);
    else if (kind === 1) lines.splice(at, 1);
    else lines[at] = pool[next(pool.length)];
    const text = lines.join('\n') + (step % 3 === 0 ? '\n' : '');

    const incremental = checkRulesText(text, { ...options, previous });
    const fresh = checkRulesText(text, options);
    assert.equal(verdicts(incremental), verdicts(fresh), `step ${step}: ${kind} at ${at}`);
    assert.equal(incremental.document.lines.length, fresh.document.lines.length);
    previous = incremental;
  }
});

test('an earlier check under other options is not reused', () => {
  const text = '-a always,exit -F arch=b64 -S fchmodat2 -k mode\n';
  const newest = checkRulesText(text);
  const older = checkRulesText(text, { auditVersion: '3.0.9', previous: newest });
  assert.deepEqual(older.diagnostics.map((d) => d.code),
    checkRulesText(text, { auditVersion: '3.0.9' }).diagnostics.map((d) => d.code));
  assert.ok(older.diagnostics.some((d) => d.code === 'unknown-syscall-version' ||
    d.severity === 'error'), 'fchmodat2 is an error for 3.0.9');

  const onArm = checkRulesText('-a always,exit -S 263\n', { hostMachine: 'aarch64',
    previous: checkRulesText('-a always,exit -S 263\n') });
  assert.equal(verdicts(onArm),
    verdicts(checkRulesText('-a always,exit -S 263\n', { hostMachine: 'aarch64' })));
});

test('whole-file verdicts follow an edit of another line', () => {
  const first = checkRulesText('-a always,exit -F arch=b64 -S open -k a\n' +
    '-a always,exit -F arch=b64 -S openat -k a\n');
  assert.deepEqual(first.diagnostics.filter((d) => d.code === 'duplicate-rule'), []);

  const edited = checkRulesText('-a always,exit -F arch=b64 -S open -k a\n' +
    '-a always,exit -F arch=b64 -S open -k a\n', { previous: first });
  assert.deepEqual(edited.diagnostics.filter((d) => d.code === 'duplicate-rule')
    .map((d) => d.range.start.line), [1]);
  assert.equal(edited.document.lines[0], first.document.lines[0], 'line 1 reused');
});

test('lines inserted or removed at the top: every moved line has the verdict of a fresh check',
  (t) => {
    if (!existsSync(corpus)) {
      t.skip(`the rules corpus is not at ${corpus}`);
      return;
    }
    // Every corpus line, control lines and lines whose messages quote their number included.
    let lines = [...corpusLines(), ...extraLines];
    const options: CheckRulesOptions = { file: '/etc/audit/rules.d/30-test.rules' };
    let previous = checkRulesText(lines.join('\n'), options);
    const edits: [string, (current: string[]) => string[]][] = [
      ['one line inserted at the top', (current) => ['# new first line', ...current]],
      ['three rules inserted at the top', (current) => [...extraLines.slice(5, 8), ...current]],
      ['two lines removed from the top', (current) => current.slice(2)],
      ['a line removed in the middle', (current) => current.filter((_, at) => at !== 700)],
    ];
    for (const [name, edit] of edits) {
      lines = edit(lines);
      const text = lines.join('\n');
      const incremental = checkRulesText(text, { ...options, previous });
      assert.equal(verdicts(incremental), verdicts(checkRulesText(text, options)), name);
      assert.deepEqual(incremental.document.lines.map((line) => [line.line, line.text]),
        lines.map((line, at) => [at, line]), name);
      previous = incremental;
    }
  });

test('a moved rule answers for its new line', () => {
  const rule = '-a always,exit -F arch=b64 -S openat -F auid>=1000 -k opened';
  const first = checkRulesText(`${rule}\n`);
  const moved = checkRulesText(`# added\n${rule}\n`, { previous: first });
  assert.equal(moved.rules.length, 1);
  assert.equal(moved.rules[0].line, 1);
  assert.deepEqual(moved.rules[0].fields.map((field) =>
    [field.field, field.range.start.line, field.valueRange.start.character]),
  [['auid', 1, rule.indexOf('1000')]]);
  assert.equal(first.rules[0].line, 0, 'the earlier result is left as it was');
  assert.equal(first.rules[0].fields[0].range.start.line, 0);
});
