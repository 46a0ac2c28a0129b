import { test } from 'node:test';
import assert from 'node:assert/strict';
import { printableLine } from '../../../server/src/log/scan';

// The preview of a line that is not an audit record: shown as the rankings show names,
// whole UTF-8 characters as themselves, anything a terminal would act on as an escape.

function preview(bytes: Buffer, max?: number): string {
  return printableLine(bytes, 0, bytes.length, max);
}

test('valid UTF-8 in a skipped line is shown as text, other bytes as \\xNN', () => {
  assert.equal(preview(Buffer.from('syslog: done… café ✓ 𝄞')), 'syslog: done… café ✓ 𝄞');
  assert.equal(preview(Buffer.from([0x61, 0xe2, 0x80, 0x62])), 'a\\xe2\\x80b');
  assert.equal(preview(Buffer.from([0xc0, 0xaf, 0xff, 0x09, 0x1b])), '\\xc0\\xaf\\xff\t\\x1b');
  // C1 controls and bidi overrides are characters a person cannot see: escaped.
  assert.equal(preview(Buffer.from('x\u202ey\u0085')), 'x\\u202ey\\u0085');
});

test('a preview cut at its limit never shows half a character', () => {
  const bytes = Buffer.from('ab…é');
  assert.equal(preview(bytes, 3), 'ab...');
  assert.equal(preview(bytes, 4), 'ab...');
  assert.equal(preview(bytes, 5), 'ab…...');
  assert.equal(preview(bytes, 6), 'ab…...');
  assert.equal(preview(bytes, 7), 'ab…é');
  // A character cut short by the end of the line itself is bytes, not text.
  assert.equal(preview(Buffer.from([0x61, 0xe2, 0x80])), 'a\\xe2\\x80');
});
