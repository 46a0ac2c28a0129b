import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkCommand } from '../../../server/src/cli/check';
import { sourceExcerpt, terminalSafe } from '../../../server/src/cli/terminalText';
import { diagnosticsOf } from './check-helpers';

/** Runs `check` in-process on one rules file; returns the exit status and what it printed. */
async function checkFile(text: string, ...options: string[]) {
  const dir = mkdtempSync(join(tmpdir(), 'auditd-tools-terminal-'));
  const file = join(dir, 'a.rules');
  writeFileSync(file, text);
  let stdout = '';
  let stderr = '';
  try {
    const status = await checkCommand.run([...options, file], {
      stdout: (chunk) => { stdout += chunk; },
      stderr: (chunk) => { stderr += chunk; },
    });
    return { status, stdout, stderr, file };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Any byte a terminal acts on, tab and the newlines between report lines aside. */
const acting = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

test('text output escapes ESC, BEL and other control bytes of a rules file', async () => {
  const line = '-a always,exit -F arch=b64 -S open -k \u001b]0;PWNED\u0007\u001b[2Jred';
  const result = await checkFile(`${line}\n`);

  assert.doesNotMatch(result.stdout, acting, JSON.stringify(result.stdout));
  assert.ok(result.stdout.includes('-k \\x1b]0;PWNED\\x07\\x1b[2Jred'), result.stdout);
});

/** The excerpt and caret lines printed under the diagnostic whose header has `code`. */
function caretLines(stdout: string, code: string, nth = 0) {
  const lines = stdout.split('\n');
  const headers = lines.flatMap((entry, index) => entry.includes(` ${code}: `) ? [index] : []);
  const at = headers[nth];
  assert.ok(at !== undefined, stdout);
  const excerpt = lines[at + 1].slice(2);
  const caret = lines[at + 2].slice(2);
  const column = caret.indexOf('^');
  return { excerpt, caret, marked: excerpt.slice(column, column + caret.length - column) };
}

test('the caret stays under the word after escaped characters', async () => {
  // The ESC is a stray word shown as four characters; the caret of the next stray follows.
  const result = await checkFile('-a always,exit -F arch=b64 -S open \u001b -k x zz\n');

  const escape = caretLines(result.stdout, 'stray-parameter', 0);
  assert.equal(escape.excerpt, '-a always,exit -F arch=b64 -S open \\x1b -k x zz');
  assert.equal(escape.marked, '\\x1b');
  assert.equal(caretLines(result.stdout, 'stray-parameter', 1).marked, 'zz');
});

test('a 50,000-character line is cut to an excerpt, and so is the word a message quotes',
  async () => {
    const word = 'a'.repeat(50_000);
    const result = await checkFile(`${word}\n`);

    assert.ok(result.stdout.length < 4_000, `printed ${result.stdout.length} characters`);
    const excerpts = result.stdout.split('\n').filter((entry) => entry.startsWith('  a'));
    assert.ok(excerpts.length > 0, result.stdout);
    for (const excerpt of excerpts) assert.equal(excerpt, `  ${'a'.repeat(200)}…`);

    const json = await checkFile(`${word}\n`, '--format', 'json');
    const found = JSON.parse(json.stdout) as { message: string; endColumn: number }[];
    assert.ok(found.length > 0);
    for (const entry of found) assert.ok(entry.message.length < 1_000, entry.message);
    assert.ok(found.some((entry) => entry.endColumn === 50_001), 'the range keeps the word');
  });

test('past the limit, the excerpt holds the range and the caret points at it', async () => {
  const path = `/${'p'.repeat(300)}`;
  const result = await checkFile(`-a always,exit -F arch=b64 -S open -F path=${path} -k x zz\n`);

  const stray = caretLines(result.stdout, 'stray-parameter');
  assert.ok(stray.excerpt.startsWith('…') && stray.excerpt.length <= 201, stray.excerpt);
  assert.ok(stray.excerpt.endsWith(' -k x zz'), stray.excerpt);
  assert.equal(stray.marked, 'zz');
});

test('sourceExcerpt: whole short lines, cut long ones, carets inside the excerpt', () => {
  assert.deepEqual(sourceExcerpt('-e 3', 3, 4), { text: '-e 3', indent: '   ', width: 1 });
  assert.deepEqual(sourceExcerpt('\t-e 3', 4, 5), { text: '\t-e 3', indent: '\t   ', width: 1 });
  // A missing argument points just past the end.
  assert.deepEqual(sourceExcerpt('-k', 2, 3), { text: '-k', indent: '  ', width: 1 });

  const long = `${'x'.repeat(500)} -k`;
  const cut = sourceExcerpt(long, 501, 503);
  assert.equal(cut.text, `…${long.slice(long.length - 200)}`);
  assert.equal(cut.text.slice(cut.indent.length, cut.indent.length + cut.width), '-k');

  const early = sourceExcerpt(long, 0, 500);
  assert.equal(early.text, `${'x'.repeat(200)}…`);
  assert.equal(early.indent, '');
  assert.equal(early.width, 201, 'the range runs on past the excerpt: up to the …');
});

test('terminalSafe escapes C0, DEL, C1 and bidi overrides, and keeps tabs and text', () => {
  assert.equal(terminalSafe('plain /etc/passwd é'), 'plain /etc/passwd é');
  assert.equal(terminalSafe('a\tb'), 'a\tb');
  assert.equal(terminalSafe('\u001b[2J\u0007\u007f\u009b\u202e'),
    '\\x1b[2J\\x07\\x7f\\u009b\\u202e');
});

test('messages quote at most 200 characters of a word; the range covers all of it', () => {
  const key = 'q'.repeat(7_000);
  const found = diagnosticsOf(`-a always,exit -F arch=b64 -S open -k x ${key}\n`);
  const stray = found.find((entry) => entry.code === 'stray-parameter');
  assert.ok(stray, JSON.stringify(found.map((entry) => entry.code)));
  assert.ok(stray.message.includes(`${'q'.repeat(200)}…`), stray.message.slice(0, 300));
  assert.ok(!stray.message.includes('q'.repeat(201)));
  assert.equal(stray.range.end.character - stray.range.start.character, 7_000);
});

test('--arch riscv64 with --audit-version 3.0.9 says which version knows it', async () => {
  const result = await checkFile('-D\n', '--arch', 'riscv64', '--audit-version', '3.0.9');
  assert.equal(result.status, 2);
  assert.match(result.stderr, /--arch riscv64 needs --audit-version 4\.2/);
  const unknown = await checkFile('-D\n', '--arch', 'vax');
  assert.match(unknown.stderr, /unknown --arch "vax"/);
});

test('check - reads one rules file from the standard input', async () => {
  let stdout = '';
  const status = await checkCommand.run(['-'], {
    stdout: (chunk) => { stdout += chunk; },
    stderr: () => undefined,
    stdin: (async function* () {
      yield Buffer.from('-w /etc/passwd -p wa -k identity\n');
      yield '-e 3\n';
    })(),
  });
  assert.equal(status, 1);
  assert.match(stdout, /^<stdin>:2:4: error bad-enable-value: /m);
  assert.match(stdout, /^ {2}-e 3$/m);
});
