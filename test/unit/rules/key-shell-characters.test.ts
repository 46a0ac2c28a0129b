import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkRulesText } from '../../../server/src/rules/check';

test('check gives a note on a key a shell would act on', () => {
  const found = checkRulesText('-a always,exit -F arch=b64 -S open -k x;reboot\n').diagnostics;
  const note = found.find((entry) => entry.code === 'key-shell-characters');
  assert.ok(note, JSON.stringify(found.map((entry) => entry.code)));
  assert.equal(note.severity, 'information');
  assert.deepEqual([note.range.start.character, note.range.end.character], [38, 46]);
  assert.ok(note.message.endsWith("ausearch -k 'x;reboot'"), note.message);
  const plain = checkRulesText('-a always,exit -F arch=b64 -S open -F key=x_1-a.b\n');
  assert.ok(!plain.diagnostics.some((entry) => entry.code === 'key-shell-characters'));
});

test('a key with a control byte gets the note, with the $\'...\' form to search with', () => {
  const found = checkRulesText('-a always,exit -F arch=b64 -S open -F key=a\u001bb\n').diagnostics;
  const note = found.find((entry) => entry.code === 'key-shell-characters');
  assert.ok(note, JSON.stringify(found.map((entry) => entry.code)));
  assert.deepEqual([note.range.start.character, note.range.end.character], [42, 45]);
  assert.ok(note.message.includes('"a\\x1bb" holds control characters'), note.message);
  assert.ok(note.message.endsWith("ausearch -k $'a\\x1bb'"), note.message);
});

test('a key ending in CR alone gets key-has-cr, not this note', () => {
  const codes = checkRulesText('-w /etc/passwd -p wa -k identity\r\n').diagnostics
    .map((entry) => entry.code);
  assert.ok(codes.includes('key-has-cr'));
  assert.ok(!codes.includes('key-shell-characters'), codes.join(', '));
});
