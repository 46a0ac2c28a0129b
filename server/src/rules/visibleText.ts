/**
 * Text from a rules file or a log shown to a person: control characters (tab aside), bidi
 * overrides and invisible characters (zero-width spaces, a byte-order mark) are written as
 * escapes such as `\x1b` or `\u202e`. Printed raw, ESC sequences would set a terminal's
 * title, clear its screen or rewrite earlier lines, bidi overrides reorder what an editor
 * shows, and an invisible character makes a word look right that is not. The CLI's output
 * and the hovers both go through this one function.
 */
const hiddenClass = '[\\u0000-\\u0008\\u000a-\\u001f\\u007f-\\u009f' +
  '\\u200b-\\u200f\\u202a-\\u202e\\u2060\\u2066-\\u2069\\ufeff]';
const hiddenCharacter = new RegExp(hiddenClass);
const hiddenCharacters = new RegExp(hiddenClass, 'g');

/** One character as an escape: `\x1b` up to U+00FF, `\u202e` above. */
function escapeOf(character: string): string {
  const code = character.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}`
    : `\\u${code.toString(16).padStart(4, '0')}`;
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
