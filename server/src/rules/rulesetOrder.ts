/**
 * How augenrules turns a rules.d folder into one rules stream (reference §1.10): the
 * `*.rules` files in natural version order (`sort -V` in 4.2, `ls -1v` in 3.0.9, both
 * GNU filevercmp), concatenated, comments and blank lines dropped, then the control lines
 * moved: the last bare `-D` first, the last `-b` second, the last `-f` third, the last
 * `-e` at the end; earlier ones of each kind are dropped.
 */

/**
 * Whether augenrules reads a folder entry: a `*.rules` name not starting with a dot.
 * 3.0.9 lists the folder with `ls -1v | grep "\.rules$"`, later versions with the shell
 * glob `*.rules`; neither shows hidden names, such as the `.#30-stig.rules` lock link
 * Emacs leaves while a file is being edited.
 */
export function isAugenrulesName(name: string): boolean {
  return name.endsWith('.rules') && !name.startsWith('.');
}

/** GNU filevercmp, the order of `sort -V` and `ls -v`. */
export function compareFileVersions(a: string, b: string): number {
  if (a === b) return 0;

  // "", "." and ".." first, then hidden files; two hidden names compare without the dot.
  for (const special of ['', '.', '..']) {
    if (a === special) return -1;
    if (b === special) return 1;
  }
  const hiddenA = a.startsWith('.');
  const hiddenB = b.startsWith('.');
  if (hiddenA !== hiddenB) return hiddenA ? -1 : 1;

  const byPrefix = compareVersions(a.slice(0, prefixLength(a)), b.slice(0, prefixLength(b)));
  if (byPrefix !== 0) return byPrefix;

  const whole = compareVersions(a, b);
  return whole !== 0 ? whole : a < b ? -1 : 1;
}

/**
 * The length of a name without its file suffix, the longest match of
 * `(\.[A-Za-z~][A-Za-z0-9~]*)*$` (as GNU coreutils 9.1 sorts, a hidden name like `.v4`
 * is all suffix).
 */
function prefixLength(name: string): number {
  const match = /(\.[A-Za-z~][A-Za-z0-9~]*)*$/.exec(name);
  return match ? match.index : name.length;
}

function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}

/** Debian's version character order: `~` first, then end, letters, other characters. */
function characterOrder(c: string | undefined): number {
  if (c === undefined || isDigit(c)) return 0;
  if (/[A-Za-z]/.test(c)) return c.charCodeAt(0);
  if (c === '~') return -1;
  return c.charCodeAt(0) + 256;
}

function compareVersions(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    // The non-digit parts, character by character.
    while ((i < a.length && !isDigit(a[i])) || (j < b.length && !isDigit(b[j]))) {
      const first = characterOrder(a[i]);
      const second = characterOrder(b[j]);
      if (first !== second) return first - second;
      i++;
      j++;
    }

    // The digit parts, as numbers: leading zeros skipped, then length, then digits.
    while (a[i] === '0') i++;
    while (b[j] === '0') j++;
    let firstDifference = 0;
    while (i < a.length && j < b.length && isDigit(a[i]) && isDigit(b[j])) {
      if (firstDifference === 0) firstDifference = a.charCodeAt(i) - b.charCodeAt(j);
      i++;
      j++;
    }
    if (i < a.length && isDigit(a[i])) return 1;
    if (j < b.length && isDigit(b[j])) return -1;
    if (firstDifference !== 0) return firstDifference;
  }
  return 0;
}

/** The names augenrules reads, in its order: `*.rules` only. */
export function augenrulesFileOrder(names: readonly string[]): string[] {
  return names.filter((name) => name.endsWith('.rules')).sort(compareFileVersions);
}

export type MovedControl = 'delete-all' | 'backlog' | 'failure' | 'enable';

/**
 * Which augenrules move a line gets, by its text. `indentAware` follows gawk, where `\s`
 * matches the indent; Debian's augenrules runs mawk, which does not know `\s`, so an
 * indented control line stays in place there.
 */
export function movedControlOf(text: string, indentAware: boolean): MovedControl | undefined {
  const body = indentAware ? text.replace(/^[ \t]+/, '') : text;
  if (/^-D[ \t]*$/.test(body)) return 'delete-all';
  if (body.startsWith('-b')) return 'backlog';
  if (body.startsWith('-f')) return 'failure';
  if (body.startsWith('-e')) return 'enable';
  return undefined;
}
