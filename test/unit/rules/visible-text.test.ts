import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hasHiddenCharacters, visibleText } from '../../../server/src/rules/visibleText';

// What a person cannot see, or sees as something else, is written as an escape wherever a
// name from a rules file or a log is shown: the CLI's output and the hovers.

test('controls, bidi marks and characters that show as nothing or a space are escaped', () => {
  const cases: [string, string][] = [
    ['a\u001bb', 'a\\x1bb'],
    ['a\u0085b', 'a\\u0085b'],
    ['a\u00a0b', 'a\\u00a0b'],
    ['soft\u00adhyphen', 'soft\\u00adhyphen'],
    ['arabic\u061cmark', 'arabic\\u061cmark'],
    ['line\u2028break', 'line\\u2028break'],
    ['bidi\u202eevil', 'bidi\\u202eevil'],
    ['invisible\u2061times', 'invisible\\u2061times'],
    ['filler\u3164', 'filler\\u3164'],
    ['tag\u{e0041}', 'tag\\u{e0041}'],
  ];
  for (const [text, shown] of cases) {
    assert.equal(visibleText(text), shown, JSON.stringify(text));
    assert.ok(hasHiddenCharacters(text));
  }
});

test('tabs, ordinary non-ASCII text and characters past U+FFFF are shown as they are', () => {
  for (const text of ['a\tb', 'café', 'Привет', '日本語', '𝄞 🚀', 'שלום']) {
    assert.equal(visibleText(text), text);
    assert.ok(!hasHiddenCharacters(text));
  }
});
