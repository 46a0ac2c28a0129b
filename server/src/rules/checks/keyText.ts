/**
 * Keys that a shell would act on. auditctl takes any key without a space (and `\ ` gives
 * it one), so a key can hold `;`, `|`, `$(...)` or control bytes. Searching for such a key
 * with `ausearch -k` pasted as written runs or expands part of it in the admin's shell,
 * and control bytes hide in a terminal; the hint shows the quoted form to search with.
 */
import { diagnostic } from '../codes';
import { textRange } from '../parse';
import { isPlainShellWord, shellCharacters, shellWord } from '../shellWord';
import { hasHiddenCharacters, visibleText } from '../visibleText';
import { LineState, report } from './state';

export function keyCharacterHints(state: LineState): void {
  const line = state.line;
  for (const option of line.options) {
    const argument = option.argument;
    if (!argument || (option.name !== '-k' && option.name !== '-F')) continue;
    const viaField = option.name === '-F' && isKeyField(argument.text);
    if (option.name !== '-k' && !viaField) continue;
    if (isPlainShellWord(argument.text, viaField ? 4 : 0)) continue;

    // A trailing CR has its own warning (key-has-cr).
    const key = argument.text.slice(viaField ? 4 : 0).replace(/\r$/, '');
    const shell = shellCharacters(key);
    const hidden = hasHiddenCharacters(key);
    if (shell.length === 0 && !hidden) continue;

    const what = [
      ...(shell.length > 0 ? [`shell characters (${shell.map(visibleText).join(' ')})`] : []),
      ...(hidden ? ['control characters'] : []),
    ].join(' and ');
    const token = line.tokens[argument.tokenIndex];
    const from = argument.textOffset + (viaField ? 4 : 0);
    const range = textRange(token, line.line, from, argument.textOffset + argument.text.length);
    report(state, diagnostic('key-shell-characters', range, {
      key: visibleText(key), what, quoted: shellWord(key),
    }));
  }
}

/** Whether a -F argument starts with `key=` in any case (read for every -F of a file). */
function isKeyField(text: string): boolean {
  return text.length >= 4 && text.charCodeAt(3) === 0x3d && (text.charCodeAt(0) | 0x20) === 0x6b &&
    (text.charCodeAt(1) | 0x20) === 0x65 && (text.charCodeAt(2) | 0x20) === 0x79;
}
