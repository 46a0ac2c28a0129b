/**
 * Writing a value from a log into a rules-file word, so that auditctl reads back exactly
 * that value and nothing else.
 *
 * auditctl reads a rules file line by line and splits it on spaces only; inside a word
 * `\ ` stands for a space and `\\` for a backslash (auditctl.c fileopt; reference §1.1).
 * Nothing else is special inside a word: no quotes, no other escapes. A value can still
 * not be written when:
 * - it holds a newline (the line would end there) or another control character (a tab is
 *   an ordinary character to auditctl, but an editor or a later reader sees a separator);
 * - it is not valid text (the log's bytes were not UTF-8; the rules file is UTF-8 text);
 * - it holds a character a person cannot see or that reorders text (C1 controls, bidi
 *   overrides, zero-width spaces): printed for an admin to paste, it would look like
 *   another rule, and escaped it would name nothing;
 * - `-F name<op>value` would split at the wrong place: libaudit looks for `!=`, `>=`,
 *   `<=`, `&=` anywhere in the argument before it looks for `=` (audit_rule_fieldpair_data),
 *   so a value holding one of them is read as another field and operator;
 * - the kernel refuses it (exe=: absolute, not ending in `/`, at most PATH_MAX bytes).
 */

import { createHash } from 'node:crypto';
import { hasHiddenCharacters } from '../rules/visibleText';

export type RuleWord = { ok: true; text: string } | { ok: false; reason: string };

/** PATH_MAX: the kernel's audit_unpack_string refuses longer strings. */
const pathMax = 4096;

const twoCharOperators = ['!=', '>=', '<=', '&='];

/** Escapes a value for a rules file the way auditctl unescapes it. */
export function escapeRuleValue(value: string): RuleWord {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code === 0x0a) {
      return { ok: false, reason: 'it contains a newline, which ends a rules line' };
    }
    if (code < 0x20 || code === 0x7f) {
      return {
        ok: false,
        reason: `it contains the control character 0x${code.toString(16).padStart(2, '0')}, ` +
          'which a rules file cannot hold unambiguously',
      };
    }
    if (code === 0xfffd) {
      return {
        ok: false,
        reason: 'its bytes in the log are not valid UTF-8, so the rules file cannot name it',
      };
    }
    // A character past U+FFFF is a pair of UTF-16 units: valid text, read as one.
    const point = value.codePointAt(i)!;
    if (point > 0xffff) i++;
    else if (code >= 0xd800 && code <= 0xdfff) {
      return { ok: false, reason: 'it is not valid text (a lone surrogate)' };
    }
    if (point >= 0x80 && hasHiddenCharacters(String.fromCodePoint(point))) {
      // Written as it is, the rule would look like another one in an editor or a terminal
      // (a bidi override reorders what follows); written escaped, it would name nothing.
      return {
        ok: false,
        reason: `it contains U+${point.toString(16).toUpperCase().padStart(4, '0')}, a ` +
          'character a person cannot see or that reorders the text around it, which a ' +
          'rules file cannot show as it is',
      };
    }
  }
  return { ok: true, text: value.replace(/\\/g, '\\\\').replace(/ /g, '\\ ') };
}

/** The `-F exe=` word for an executable path, or why there cannot be one. */
export function exeFieldWord(exe: string): RuleWord {
  if (!exe.startsWith('/')) {
    return {
      ok: false,
      reason: 'it is not an absolute path (the kernel needs exe= to start with /)',
    };
  }
  // audit_alloc_mark refuses a path ending in '/', "/" itself included.
  if (exe.endsWith('/')) {
    return { ok: false, reason: 'it ends with / (the kernel refuses exe= values that do)' };
  }
  if (Buffer.byteLength(exe, 'utf8') > pathMax) {
    return { ok: false, reason: `it is longer than PATH_MAX (${pathMax} bytes)` };
  }
  const operator = twoCharOperators.find((op) => exe.includes(op));
  if (operator) {
    return {
      ok: false,
      reason: `it contains "${operator}", which auditctl reads as the operator of -F`,
    };
  }
  const escaped = escapeRuleValue(exe);
  if (!escaped.ok) return escaped;
  return { ok: true, text: `exe=${escaped.text}` };
}

/**
 * A path component a key may name as it is: no space, no character a reader could take for
 * syntax, not starting with `-` (which reads as an option in `auditctl -l` output).
 */
const plainComponent = /^[A-Za-z0-9._+@:~,][A-Za-z0-9._+@:~,-]*$/;

/** The words of a text that a key can hold, joined by `_`; no word starts with `-`. */
function keyWords(text: string): string {
  return text.split(/[^A-Za-z0-9._-]+/)
    .map((word) => word.replace(/^-+/, ''))
    .filter((word) => word.length > 0)
    .join('_');
}

/**
 * The key of the rules that exclude a program: the prefix and the program's file name when
 * that name is plain (`exclude_named`). A path whose components hold spaces, option-like
 * words or other odd characters is named from its first odd component to its end, cleaned
 * and followed by a short hash of the whole path: `/tmp/x -F exe=/bin/bash` gives
 * `exclude_x_F_exe_bin_bash_<hash>`, never a key that reads as if bash were excluded, and
 * two paths that clean up alike keep different keys. The key needs no escape and stays well
 * within the kernel's 256-byte limit.
 */
export function keyFromExe(prefix: string, exe: string): string {
  const components = exe.split('/').filter((component) => component.length > 0);
  const firstOdd = components.findIndex((component) => !plainComponent.test(component));
  const named = firstOdd < 0 ? components.slice(-1).join('')
    : components.slice(firstOdd).join('/');
  const cleaned = keyWords(named).slice(0, 60);
  if (cleaned === named) return `${prefix}${cleaned}`;

  const hash = createHash('sha256').update(exe).digest('hex').slice(0, 8);
  return `${prefix}${cleaned.length > 0 ? `${cleaned}_` : ''}${hash}`;
}
