/**
 * Text from a rules file or a log shown to a person: control characters (tab aside), bidi
 * overrides and marks, line separators and characters that show as nothing or as a plain
 * space (zero-width spaces, a soft hyphen, a no-break space, fillers, tag characters, a
 * byte-order mark) are written as escapes such as `\x1b` or `\u202e`. Printed raw, ESC
 * sequences would set a terminal's title, clear its screen or rewrite earlier lines, bidi
 * overrides reorder what an editor shows, and an invisible character makes a word look
 * right that is not. The CLI's output and the hovers both go through this one function.
 */
const hiddenClass = '[\\u0000-\\u0008\\u000a-\\u001f\\u007f-\\u00a0\\u00ad\\u061c\\u180e' +
  '\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2064\\u2066-\\u2069\\u3164\\ufeff' +
  '\\u{e0000}-\\u{e007f}]';
const hiddenCharacter = new RegExp(hiddenClass, 'u');
const hiddenCharacters = new RegExp(hiddenClass, 'gu');

/**
 * One character as an escape: `\x1b` for ASCII, `\u0085` or `\u202e` above, `\u{e0041}`
 * past U+FFFF. Only ASCII takes the `\xNN` form, which previews of raw log bytes also use
 * for bytes that are not UTF-8: a character and an invalid byte never read alike.
 */
function escapeOf(character: string): string {
  const code = character.codePointAt(0)!;
  if (code <= 0x7f) return `\\x${code.toString(16).padStart(2, '0')}`;
  if (code <= 0xffff) return `\\u${code.toString(16).padStart(4, '0')}`;
  return `\\u{${code.toString(16)}}`;
}

/** Whether the text holds a character that `visibleText` would escape. */
export function hasHiddenCharacters(text: string): boolean {
  return hiddenCharacter.test(text);
}

/** The text with every control character (tab aside) and bidi override escaped. */
export function visibleText(text: string): string {
  if (!hiddenCharacter.test(text)) return text;
  return text.replace(hiddenCharacters, escapeOf);
}
