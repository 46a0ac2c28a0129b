/**
 * Legacy watches (-w / -W) and -p, as auditctl's audit_setup_watch_name, check_path and
 * audit_setup_perms read them.
 */
import { diagnostic, type DeferredFixData, type FixData } from '../codes';
import type { FieldCondition } from '../model';
import { parseRulesLine, type ParsedOption, type RulesLine } from '../parse';
import { permLetterBits } from './fields';
import { argumentRange, lineExtent } from './ranges';
import { interpretLine, type LineResult } from './line';
import { CheckOptions, LineState, fail, maxFieldsPerRule, report } from './state';
import { utf8Length } from '../tokens';

/** PATH_MAX and NAME_MAX as auditctl checks them. */
const pathMax = 4096;
const nameMax = 255;

export function applyWatch(state: LineState, option: ParsedOption): void {
  const path = option.argument!.text;
  const range = argumentRange(option);

  if (option.name === '-w' && state.selection) {
    fail(state, diagnostic('watch-with-rule', option.range));
    return;
  }

  state.selection = {
    operation: option.name === '-w' ? 'append' : 'delete',
    list: 'exit',
    listText: 'exit',
    range: option.range,
  };
  state.action = 'always';
  state.syscallAdded = true;

  const bytes = utf8Length(path);
  if (bytes >= pathMax) {
    fail(state, diagnostic('watch-path', range, {
      detail: `The watch path is ${bytes} bytes; it must be shorter than ${pathMax}.`,
      text: 'The path passed for the watch is too big',
    }));
    return;
  }
  if (!path.startsWith('/')) {
    fail(state, diagnostic('watch-path', range, {
      detail: 'A watch path must be absolute (start with "/").',
      text: "The path must start with '/'",
    }));
    return;
  }
  let baseEnd = path.length;
  while (baseEnd > 1 && path.charCodeAt(baseEnd - 1) === 0x2f) baseEnd--;
  const baseStart = path.lastIndexOf('/', baseEnd - 1) + 1;
  // A UTF-16 unit is at most 3 bytes of UTF-8: a short name is read no further.
  if (baseEnd - baseStart > nameMax / 3 && utf8Length(path.slice(baseStart, baseEnd)) > nameMax) {
    fail(state, diagnostic('watch-path', range, {
      detail: `The last component of the path is longer than ${nameMax} bytes.`,
      text: 'The base name of the path is too big',
    }));
    return;
  }
  if (path.includes('..')) {
    report(state, diagnostic('watch-path-notation', range, {
      detail: 'The path contains "..": the kernel watches it literally, it does not resolve it.',
      text: 'Warning - relative path notation is not supported',
    }));
  }
  if (path.includes('*') || path.includes('?')) {
    report(state, diagnostic('watch-path-notation', range, {
      detail: 'Wildcards are not expanded: the kernel watches a file named with "*" or "?".',
      text: 'Warning - wildcard notation is not supported',
    }));
  }

  // auditctl trims trailing slashes and, on the host, makes an existing directory dir=.
  const trimmed = path.length > 2 ? path.slice(0, Math.max(1, baseEnd)) : path;
  const field = path.endsWith('/') ? 'dir' : 'path';
  const condition: FieldCondition = {
    field, operator: '=', value: trimmed, raw: path, range, valueRange: range, implicit: true,
  };
  const permCondition: FieldCondition = {
    field: 'perm', operator: '=', value: 15, raw: 'rwxa', range: option.range,
    valueRange: option.range, implicit: true,
  };
  state.fields.push(condition, permCondition);
  state.ordered.push(condition, permCondition);
  state.fieldCount += 2;
  state.permAdded = true;
  state.watch = {
    path: trimmed, perms: 'rwxa', permBits: 15, pathRange: range,
  };
  state.retval = 1;

  // auditctl 4.x says "Old style watch rules are slower" (LOG_INFO) for every -w. The fix
  // rewrites the line as the kernel rule it becomes on a host where the path exists. A
  // path without a trailing "/" is a file or a directory depending on that host (auditctl
  // looks), so both rewrites are offered.
  // A line with more than -w, -p and -k is offered no rewrite: its other options are
  // errors of their own, and a rewrite would drop them. A rewrite the check refuses (a
  // path holding `!=`, which auditctl splits `-F path=/a!=b` at) is left out when made.
  if (state.options.auditVersion === '4.2' && option.name === '-w') {
    const plainWatch = state.line.options.every((each) => watchOptions.has(each.name));
    // Made when read (a code action): nearly every line of a large watch file has one.
    const deferredData = !plainWatch ? undefined
      : new WatchRewrite(state.line.text, trimmed, path.endsWith('/'), state.options);
    report(state, diagnostic('legacy-watch', option.range, {},
      deferredData ? { deferredData } : {}));
  }
}

const watchOptions = new Set(['-w', '-p', '-k']);

/** The rewrite of a -w line, made when read: from the line's text and the path (trimmed). */
class WatchRewrite implements DeferredFixData {
  constructor(
    readonly text: string,
    readonly path: string,
    /** The path as written ends with "/". */
    readonly directory: boolean,
    /** The check's options: the rewrite is checked as the line was. */
    readonly options: CheckOptions,
  ) {}

  /**
   * On a directory for a path ending in "/", else on a file or a directory. None for a line
   * with an error of its own (a rewrite would carry it, or silently drop the words that
   * cause it), and none that the check would refuse.
   */
  make(lineNumber: number): FixData {
    const line = parseRulesLine(this.text, lineNumber);
    if (hasError(interpretLine(line, this.options))) return { fixes: [] };

    const path = this.path;
    const fixes = this.directory ? [watchRuleFix(line, path, 'dir')]
      : [watchRuleFix(line, path, 'path'), watchRuleFix(line, path, 'dir')];
    const loadable = fixes.filter((fix) =>
      !hasError(interpretLine(parseRulesLine(fix.edits[0].newText, lineNumber), this.options)));
    // Never preferred, never in a fix-all: the rewrite depends on the loading host. A -w
    // on a path missing there still loads (the kernel watches for it to appear), where
    // `dir=` fails and stops auditctl -R; and without a trailing "/" the host says whether
    // the path is a file or a directory.
    return { fixes: loadable, alone: true };
  }
}

function hasError(result: LineResult): boolean {
  return result.failed || result.diagnostics.some((entry) => entry.severity === 'error');
}

/** The fix that replaces a -w line with its syscall rule, on a file or a directory. */
function watchRuleFix(line: RulesLine, path: string, field: 'path' | 'dir') {
  const rule = equivalentWatchRule(line, path, field);
  const what = field === 'dir' ? 'a directory that exists where the rules load' : 'a file';
  return {
    title: `Rewrite as a syscall rule on ${what}: ${rule}`,
    edits: [{ range: lineExtent(line), newText: rule }],
    preferred: false,
  };
}

/**
 * The syscall rule a -w line amounts to: the same path, the -p letters (rwxa when -p is
 * missing) and the keys. The -p and -k come later on the line, so they are read from the
 * parsed options rather than from the state built so far.
 */
function equivalentWatchRule(line: RulesLine, path: string, field: 'path' | 'dir'): string {
  let perms = 'rwxa';
  const keys: string[] = [];
  for (const each of line.options) {
    if (each.name === '-p' && each.argument) perms = each.argument.text.toLowerCase();
    if (each.name === '-k' && each.argument) keys.push(each.argument.text);
  }
  // Written back as auditctl reads words: a space or a backslash needs its backslash.
  const word = (text: string) => text.indexOf('\\') === -1 && text.indexOf(' ') === -1 ? text
    : text.replace(/\\/g, '\\\\').replace(/ /g, '\\ ');
  const keyPart = keys.map((key) => ` -k ${word(key)}`).join('');
  return `-a always,exit -F ${field}=${word(path)} -F perm=${perms}${keyPart}`;
}

export function applyPerm(state: LineState, option: ParsedOption): void {
  const text = option.argument!.text;
  const range = argumentRange(option);

  if (!state.selection) {
    fail(state, diagnostic('perm-without-watch', option.range));
    return;
  }
  if (text.length > 4) {
    fail(state, diagnostic('bad-perm', range, {
      detail: `-p takes at most 4 letters (r w x a); "${text}" has ${text.length}.`,
      text: `permission ${text} is too long`,
    }));
    return;
  }
  let bits = 0;
  for (const letter of text) {
    const bit = permLetterBits[letter.toLowerCase()];
    if (bit === undefined) {
      fail(state, diagnostic('bad-perm', range, {
        detail: `"${letter}" is not a permission letter (r w x a).`,
        text: `Permission ${letter} isn't supported`,
      }));
      return;
    }
    bits |= bit;
  }

  if (state.fieldCount === 0) {
    fail(state, diagnostic('perm-without-fields', option.range, {
      preceded: state.options.auditVersion === '3.0.9' ? 'preceeded' : 'preceded',
    }));
    return;
  }

  const letters = text.toLowerCase();
  const existing = state.fields.find((field) => field.field === 'perm');
  if (existing) {
    existing.value = bits;
    existing.raw = letters;
    existing.range = range;
    existing.valueRange = range;
  } else {
    if (state.fieldCount >= maxFieldsPerRule) {
      fail(state, diagnostic('too-many-fields', range, {
        count: state.fieldCount + 1, text: 'Too many fields when adding permissions',
      }));
      return;
    }
    state.fieldCount++;
    const perm: FieldCondition = {
      field: 'perm', operator: '=', value: bits, raw: letters, range, valueRange: range,
      implicit: true,
    };
    state.fields.push(perm);
    state.ordered.push(perm);
  }
  if (state.watch) {
    state.watch.perms = letters;
    state.watch.permBits = bits;
    state.watch.permRange = range;
  }
  state.permAdded = true;
  if (state.options.auditVersion === '4.2' && !state.watch) state.syscallAdded = true;
  state.retval = 1;
}
