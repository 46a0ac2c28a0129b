/**
 * `-F name<op>value` and `-C left<op>right`, as libaudit's audit_rule_fieldpair_data and
 * audit_rule_interfield_comp_data read them (3.0.9 and 4.2), followed by the checks the
 * kernel makes when the rule arrives (kernel/auditfilter.c audit_field_valid and
 * audit_data_to_entry, reference §1.9).
 */
import {
  errnoByName, fieldInfo, fields as fieldTable, fileTypeByName, fsTypes, machineForElf,
  messageTypes, resolveArch, type FieldInfo, type ListName,
} from '../../tables';
import { diagnostic } from '../codes';
import type { Range } from '../diagnostics';
import type { FieldCondition, FieldOperator } from '../model';
import type { ParsedOption } from '../parse';
import { closestNames, didYouMeanFixes, replaceFix } from './suggest';
import { low32, readSigned, readUnsigned, startsWithDigit } from './numbers';
import { argumentPartRange, argumentRange } from './ranges';
import { LineState, fail, maxFieldsPerRule, reject, report } from './state';
import { utf8Length } from '../tokens';

// libaudit searches the whole text for the two-character operators first, then for the
// one-character ones, each in this order: `-F path=/a<=b` splits at `<=`.
const twoCharOperators: FieldOperator[] = ['!=', '>=', '<=', '&='];
const oneCharOperators: FieldOperator[] = ['=', '>', '<', '&'];

export interface FieldPair {
  name: string;
  operator: FieldOperator;
  value: string;
  operatorIndex: number;
}

export function splitFieldPair(text: string): FieldPair | undefined {
  for (const operators of [twoCharOperators, oneCharOperators]) {
    for (const operator of operators) {
      const at = text.indexOf(operator);
      if (at !== -1) {
        return {
          name: text.slice(0, at),
          operator,
          value: text.slice(at + operator.length),
          operatorIndex: at,
        };
      }
    }
  }
  return undefined;
}

/** AF_MAX in the kernel and glibc headers this engine follows (46 since Linux 5.x). */
const addressFamilyLimit = 46;
/** PATH_MAX: libaudit refuses longer strings with "String value too long". */
const maxStringLength = 4096;
const uidUnset = 4294967295;

/**
 * One `-F` argument cut at its operator. The name and operator ranges are only needed
 * for diagnostics, so they are made when asked for.
 */
class FieldParts {
  constructor(
    readonly state: LineState,
    readonly option: ParsedOption,
    readonly pair: FieldPair,
    readonly info: FieldInfo,
    readonly range: Range,
    readonly valueRange: Range,
  ) {}

  get nameRange(): Range {
    return argumentPartRange(this.state.line, this.option, 0, this.pair.operatorIndex);
  }

  get operatorRange(): Range {
    const at = this.pair.operatorIndex;
    return argumentPartRange(this.state.line, this.option, at, at + this.pair.operator.length);
  }
}

/** Adds one `-F` argument to the rule, or reports why auditctl refuses it. */
export function applyField(state: LineState, option: ParsedOption, list: ListName | undefined) {
  const text = option.argument!.text;
  const range = argumentRange(option);

  if (state.fieldCount >= maxFieldsPerRule) {
    fail(state, diagnostic('too-many-fields', range, { count: state.fieldCount + 1, text }));
    return;
  }

  const pair = splitFieldPair(text);
  if (!pair) {
    fail(state, diagnostic('missing-operator', range, { value: text }));
    return;
  }
  const operatorRange = () => argumentPartRange(
    state.line, option, pair.operatorIndex, pair.operatorIndex + pair.operator.length,
  );
  if (pair.name.length === 0) {
    fail(state, diagnostic('missing-field-name', operatorRange(), {
      operator: pair.operator, option: '-F',
    }));
    return;
  }
  const valueStart = pair.operatorIndex + pair.operator.length;
  const valueRange = argumentPartRange(state.line, option, valueStart, text.length);
  if (pair.value.length === 0) {
    fail(state, diagnostic('missing-value', operatorRange(), {
      field: pair.name, operator: pair.operator, prefix: '-F', spacing: '',
    }));
    return;
  }

  const info = fieldInfo(pair.name);
  if (!info) {
    const nameRange = argumentPartRange(state.line, option, 0, pair.operatorIndex);
    const suggestions = closestNames(pair.name.toLowerCase(), fieldNames, 3);
    fail(state, diagnostic('unknown-field', nameRange, {
      field: pair.name, option: '-F',
      hint: suggestions.length > 0 ? ` Did you mean ${suggestions.join(', ')}?` : '',
    }, { data: didYouMeanFixes(nameRange, suggestions) }));
    return;
  }

  const parts = new FieldParts(state, option, pair, info, range, valueRange);

  // auditctl checks the order of arch and -S before the operator.
  if (info.name === 'arch' && state.syscallAdded) {
    readArch(state, parts);
    return;
  }

  if (list === 'exclude' && !info.excludeList[state.options.auditVersion]) {
    fail(state, diagnostic('field-not-on-list', parts.nameRange, {
      field: info.name, list: 'exclude',
      reason: state.options.auditVersion === '3.0.9'
        ? ' in auditctl 3.0.9 (it takes pid, uid, gid, auid, msgtype, subj_* and exe there)'
        : '',
      text: 'Only msgtype, *uid, *gid, pid, and subj* fields can be used with exclude filter',
    }));
    return;
  }

  if (!checkListAndOperator(state, parts, list)) return;

  const value = readFieldValue(state, parts, list);
  if (value === undefined) return;

  state.fieldCount++;
  const condition: FieldCondition = {
    field: info.name,
    operator: pair.operator,
    value: value.value,
    raw: pair.value,
    range,
    valueRange,
  };
  if (value.hostName) condition.hostName = true;

  if (info.name === 'arch' || info.name === 'key') {
    if (info.name === 'key') {
      state.keys.push({ text: pair.value, range: valueRange, viaField: true });
      state.extraKeyFields++;
    }
    kernelOperatorAndListChecks(state, parts, list);
    return;
  }
  state.fields.push(condition);
  state.ordered.push(condition);
  kernelFieldChecks(state, parts, condition, list);
}

const fieldNames: string[] = fieldTable.flatMap((field) => [field.name, ...field.aliases]);

/** auditctl's list checks (err_msgtab 7, 9, 31, 34) and operator checks (13, 29). */
function checkListAndOperator(
  state: LineState,
  parts: FieldParts,
  list: ListName | undefined,
): boolean {
  const { info, pair } = parts;
  const name = info.name;
  // auditctl prints the field name as the user wrote it.
  const written = pair.name;

  if (list !== undefined && !info.lists.includes(list) &&
      !(objectIds.has(name) && list !== 'exclude')) {
    let text: string;
    let reason = '';
    if (name === 'msgtype') {
      text = 'msgtype field can only be used with exclude or user filter list';
      reason = ' (only exclude and user)';
    } else if (name === 'sessionid') {
      text = 'sessionid must be used with exclude, user, or exit filter';
      reason = ' (only exit, user and exclude)';
    } else if (name === 'fstype') {
      text = 'fstype field is not valid for the filter';
      reason = ' (only filesystem)';
    } else if (info.exitOnly) {
      text = `${written} can only be used with exit filter list`;
      reason = ' (only exit)';
    } else {
      text = `${written} field is not valid for the filter`;
    }
    // 4.2 with an extended exclude list takes every field that is not exit-only.
    const allowedOnExclude = list === 'exclude' && info.excludeList[state.options.auditVersion];
    if (!allowedOnExclude || info.exitOnly) {
      fail(state, diagnostic('field-not-on-list', parts.nameRange, {
        field: name, list, reason, text,
      }));
      return false;
    }
  }

  if (!info.auditctlOperators.includes(pair.operator)) {
    const onlyEqual = info.auditctlOperators.length === 1;
    const text = onlyEqual
      ? `${written} only takes = operator`
      : `${written} only takes = or != operators`;
    fail(state, diagnostic('operator-not-allowed', parts.operatorRange, {
      field: name, operator: pair.operator, text,
      allowed: describeOperators(info.auditctlOperators),
    }, { data: operatorFixes(parts.operatorRange, info.auditctlOperators, pair.operator) }));
    return false;
  }
  return true;
}

/**
 * auditctl 3.0.9 takes obj_uid and obj_gid on every list but exclude (checked against
 * the real binary; the field table lists them as exit-only). The kernel still refuses
 * them on the filesystem list.
 */
const objectIds = new Set(['obj_uid', 'obj_gid']);

function describeOperators(operators: string[]): string {
  if (operators.length === 1) return `only ${operators[0]}`;
  return operators.join(' ');
}

function operatorFixes(range: Range, allowed: string[], written: string) {
  const preferred = written.startsWith('!') && allowed.includes('!=') ? '!=' : '=';
  const choices = allowed.includes(preferred) ? [preferred] : allowed.slice(0, 1);
  return {
    fixes: choices.map((operator) => ({
      title: `Use "${operator}"`,
      edits: [{ range, newText: operator }],
      preferred: true,
    })),
  };
}

interface FieldValue {
  value: number | string;
  hostName?: boolean;
}

function readFieldValue(
  state: LineState,
  parts: FieldParts,
  list: ListName | undefined,
): FieldValue | undefined {
  const { info, pair, valueRange } = parts;
  const text = pair.value;

  switch (info.valueKind) {
    case 'uid':
      return readUid(state, parts);
    case 'gid':
      return readGid(state, parts);
    case 'arch':
      return readArch(state, parts);
    case 'exit':
      return readExit(state, parts);
    case 'success': {
      const number = readPlainNumber(state, parts, 'a number (1 for success, 0 for failure)');
      if (number !== undefined && number.value !== 0 && number.value !== 1) {
        report(state, diagnostic('success-value', valueRange, { value: text }));
      }
      return number;
    }
    case 'number':
      return readNumberField(state, parts);
    case 'arg':
      return readArgument(state, parts);
    case 'msgtype':
      return readMessageType(state, parts);
    case 'sessionid':
      return readSessionId(state, parts);
    case 'saddr_fam':
      return readAddressFamily(state, parts);
    case 'fstype':
      return readFsType(state, parts);
    case 'filetype': {
      const mode = fileTypeByName.get(text.toLowerCase());
      if (mode === undefined) {
        const names = [...fileTypeByName.keys()];
        fail(state, diagnostic('unknown-filetype', valueRange, {
          value: text, field: pair.name,
        }, {
          data: didYouMeanFixes(valueRange, closestNames(text.toLowerCase(), names, 3)),
        }));
        return undefined;
      }
      return { value: mode };
    }
    case 'perm':
      return readPerm(state, parts);
    case 'path':
    case 'dir':
    case 'exe':
    case 'label':
    case 'key':
      if (utf8Length(text) > (info.valueKind === 'key' ? 256 : maxStringLength)) {
        fail(state, diagnostic('string-too-long', valueRange, {
          what: `The ${info.name} value`, length: Buffer.byteLength(text, 'utf8'),
          limit: info.valueKind === 'key' ? 256 : maxStringLength, text: 'String value too long',
        }));
        return undefined;
      }
      if (info.valueKind === 'path' || info.valueKind === 'dir') state.permAdded = true;
      if (info.valueKind === 'exe') state.exeAdded = true;
      if (info.valueKind === 'key' && !keyAllowed(state)) {
        fail(state, diagnostic('key-field-without-rule', parts.range));
        return undefined;
      }
      return { value: text };
  }
  void list;
  return { value: text };
}

export function keyAllowed(state: LineState): boolean {
  return state.syscallAdded || state.permAdded || state.exeAdded || state.filterFsAdded;
}

function notANumber(state: LineState, parts: FieldParts, expected: string): undefined {
  fail(state, diagnostic('not-a-number', parts.valueRange, {
    field: parts.info.name, expected, value: parts.pair.value,
  }));
  return undefined;
}

function trailingWarning(state: LineState, parts: FieldParts, length: number, value: bigint) {
  if (length < parts.pair.value.length) {
    report(state, diagnostic('value-trailing-characters', parts.valueRange, {
      value: parts.pair.value, number: value.toString(),
    }, { data: replaceFix('Keep the number only', parts.valueRange, value.toString()) }));
  }
}

function readUid(state: LineState, parts: FieldParts): FieldValue | undefined {
  const text = parts.pair.value;
  if (startsWithDigit(text) || (text.length >= 2 && text[0] === '-' &&
      startsWithDigit(text.slice(1)))) {
    const read = startsWithDigit(text) ? readUnsigned(text) : readSigned(text);
    trailingWarning(state, parts, read.length, read.value);
    const value = low32(read.value);
    if (value === uidUnset && parts.info.name === 'auid') {
      report(state, diagnostic('deprecated-form', parts.valueRange, {
        written: text, preferred: 'unset',
        why: 'the word says what the number means (a login uid that was never set)',
      }, { data: replaceFix('Write "unset"', parts.valueRange, 'unset') }));
    }
    return { value };
  }
  if (text === 'unset') return { value: uidUnset };
  // root is uid 0 on every Linux system: no need to look it up on the target.
  if (text === 'root') return { value: 0 };
  report(state, diagnostic('unknown-user', parts.valueRange, { name: text }, {
    hostDependent: true,
  }));
  return { value: text, hostName: true };
}

function readGid(state: LineState, parts: FieldParts): FieldValue | undefined {
  const text = parts.pair.value;
  if (startsWithDigit(text)) {
    const read = readSigned(text);
    trailingWarning(state, parts, read.length, read.value);
    return { value: low32(read.value) };
  }
  // gid fields have no `unset` and no negative form: both go to getgrnam and fail.
  if (text === 'unset' || text.startsWith('-')) {
    fail(state, diagnostic('bad-group', parts.valueRange, { name: text }));
    return undefined;
  }
  if (text === 'root') return { value: 0 };
  report(state, diagnostic('unknown-group', parts.valueRange, { name: text }, {
    hostDependent: true,
  }));
  return { value: text, hostName: true };
}

function readArch(state: LineState, parts: FieldParts): FieldValue | undefined {
  const { option, pair, valueRange, range } = parts;

  if (state.syscallAdded) {
    const firstSyscall = state.syscallOptions[0];
    const data = firstSyscall ? moveArchFix(state, option, firstSyscall) : undefined;
    fail(state, diagnostic('arch-after-syscall', parts.nameRange, {}, { data }));
    return undefined;
  }

  // A value that starts with a digit is read by strtoul base 0 (40000003 is decimal and
  // names no arch); only other words fall back to a machine name or bare hex.
  const numericMachine = startsWithDigit(pair.value)
    ? machineForElf(low32(readUnsigned(pair.value).value)) : undefined;
  const resolved: ReturnType<typeof resolveArch> = startsWithDigit(pair.value)
    ? numericMachine &&
      !(state.options.auditVersion === '3.0.9' && numericMachine.startsWith('riscv'))
      ? { ok: true, machine: numericMachine, bits: 64, viaName: pair.value }
      : { ok: false, reason: 'unknown' }
    : resolveArch(pair.value, state.options.hostMachine, state.options.auditVersion);
  if (!resolved.ok) {
    let detail = `"${pair.value}" is not an arch auditctl ${state.options.auditVersion} knows ` +
      '(b64, b32, a machine name such as x86_64, or an AUDIT_ARCH number).';
    if (resolved.reason === 'no-b32-twin') {
      detail = `b32 has no meaning on a ${state.options.hostMachine} host: it has no 32-bit ` +
        'syscall table.';
    } else if (resolved.reason === 'no-b64') {
      detail = `b64 has no meaning when the loading host is ${state.options.hostMachine}, ` +
        'a 32-bit machine.';
    } else if (resolved.reason === 'version') {
      detail = `${pair.value} is known to auditctl ${resolved.version} but not to ` +
        `${state.options.auditVersion}.`;
    }
    state.badArch = true;
    fail(state, diagnostic('bad-arch', valueRange, { detail }));
    return undefined;
  }

  state.machine = resolved.machine;
  state.machineFromArch = true;
  const arch = { machine: resolved.machine, operator: pair.operator, raw: pair.value, range };
  state.arches.push(arch);
  state.ordered.push(arch);
  return { value: resolved.machine };
}

function moveArchFix(state: LineState, archOption: ParsedOption, firstSyscall: ParsedOption) {
  const archText = state.line.text.slice(
    archOption.range.start.character, archOption.argument!.range.end.character,
  );
  const insertAt = firstSyscall.range.start;
  const removeFrom = archOption.range.start.character;
  const removeTo = archOption.argument!.range.end.character;
  const before = state.line.text[removeFrom - 1] === ' ' ? removeFrom - 1 : removeFrom;
  return {
    fixes: [{
      title: 'Move -F arch before the first -S',
      preferred: true,
      edits: [
        { range: { start: insertAt, end: insertAt }, newText: `${archText} ` },
        {
          range: {
            start: { line: state.line.line, character: before },
            end: { line: state.line.line, character: removeTo },
          },
          newText: '',
        },
      ],
    }],
  };
}

function readExit(state: LineState, parts: FieldParts): FieldValue | undefined {
  const read = exitValue(state, parts);
  if (read && typeof read.value === 'number') unsignedExitComparison(state, parts, read.value);
  return read;
}

const orderingOperators: ReadonlySet<string> = new Set(['<', '<=', '>', '>=']);

/**
 * The kernel compares exit as an unsigned 32-bit number (audit_comparator takes u32), so
 * a failure (-4095 to -1) is larger than every success: `exit<0` never matches and
 * `exit>=0` matches everything. An ordering against 0 or a negative number is reported.
 */
function unsignedExitComparison(state: LineState, parts: FieldParts, value: number): void {
  const operator = parts.pair.operator;
  if (!orderingOperators.has(operator) || value > 0) return;
  const effects: Record<string, string> = {
    '<': 'never matches', '<=': 'matches only a return value of 0',
    '>': 'matches every return value but 0, failures included',
    '>=': 'matches every return value',
  };
  const effect = value === 0 ? effects[operator]
    : `compares with ${value >>> 0}, not with a negative number`;
  report(state, diagnostic('exit-compared-unsigned', parts.range, {
    condition: `exit${operator}${parts.pair.value}`, effect,
  }));
}

function exitValue(state: LineState, parts: FieldParts): FieldValue | undefined {
  const text = parts.pair.value;
  if (startsWithDigit(text) || (text[0] === '-' && startsWithDigit(text.slice(1)))) {
    const read = readSigned(text);
    trailingWarning(state, parts, read.length, read.value);
    return { value: Number(BigInt.asIntN(32, read.value)) };
  }
  const name = (text[0] === '-' ? text.slice(1) : text).toUpperCase();
  const number = errnoByName.get(name);
  if (number === undefined) {
    const suggestions = closestNames(name, [...errnoByName.keys()], 3)
      .map((candidate) => (text[0] === '-' ? `-${candidate}` : candidate));
    fail(state, diagnostic('unknown-errno', parts.valueRange, {
      value: text, field: parts.info.name,
    }, { data: didYouMeanFixes(parts.valueRange, suggestions) }));
    return undefined;
  }
  if (text[0] === '-') return { value: -number };

  // libaudit's audit_name_to_errno gives the positive number; only a written '-' negates.
  // So exit=EACCES compares with +13, a return value a failing syscall never has
  // (recorded with auditctl 3.0.9: exit=EACCES and exit=13 are the same rule).
  const range = parts.valueRange;
  report(state, diagnostic('errno-without-minus', range, { value: text, name, number }, {
    data: {
      fixes: [{ title: `Write -${text}`, preferred: true,
        edits: [{ range: { start: range.start, end: range.start }, newText: '-' }] }],
    },
  }));
  return { value: number };
}

/** Fields that must start with a digit (no sign): pid, ppid, pers, devmajor, inode... */
function readPlainNumber(
  state: LineState,
  parts: FieldParts,
  expected: string,
): FieldValue | undefined {
  const text = parts.pair.value;
  if (!startsWithDigit(text)) return notANumber(state, parts, expected);
  const read = readUnsigned(text);
  trailingWarning(state, parts, read.length, read.value);
  return { value: low32(read.value) };
}

function readNumberField(state: LineState, parts: FieldParts): FieldValue | undefined {
  return readPlainNumber(state, parts, 'a non-negative number');
}

function readArgument(state: LineState, parts: FieldParts): FieldValue | undefined {
  const text = parts.pair.value;
  const negative = text[0] === '-' && startsWithDigit(text.slice(1));
  if (!startsWithDigit(text) && !negative) {
    return notANumber(state, parts, 'a number (decimal, 0x hex or negative)');
  }
  const read = negative ? readSigned(text) : readUnsigned(text);
  trailingWarning(state, parts, read.length, read.value);
  if (!negative && read.value > 0xffffffffn) {
    report(state, diagnostic('value-truncated', parts.valueRange, {
      value: text, kept: `0x${low32(read.value).toString(16)}`,
    }));
  }
  return { value: low32(read.value) };
}

function readMessageType(state: LineState, parts: FieldParts): FieldValue | undefined {
  const text = parts.pair.value;
  if (startsWithDigit(text)) {
    const read = readUnsigned(text);
    trailingWarning(state, parts, read.length, read.value);
    return { value: low32(read.value) };
  }
  const version = state.options.auditVersion;
  const table = messageTypes(version);
  const upper = text.toUpperCase();
  const named = table.byName.get(upper);
  if (named !== undefined) return { value: named };
  const unknownForm = /^UNKNOWN\[(\d+)\]$/.exec(text);
  if (unknownForm) return { value: Number(unknownForm[1]) };

  const other = version === '4.2' ? '3.0.9' : '4.2';
  const inOther = messageTypes(other).byName.get(upper);
  const suggestions = closestNames(upper, [...table.byName.keys()], 3);
  fail(state, diagnostic('unknown-msgtype', parts.valueRange, {
    value: text,
    field: parts.pair.name,
    version: inOther !== undefined ? `${version} (${other} has it)` : version,
  }, { data: didYouMeanFixes(parts.valueRange, suggestions) }));
  return undefined;
}

function readSessionId(state: LineState, parts: FieldParts): FieldValue | undefined {
  const text = parts.pair.value;
  if (startsWithDigit(text) || (text[0] === '-' && startsWithDigit(text.slice(1)))) {
    const read = startsWithDigit(text) ? readUnsigned(text) : readSigned(text);
    trailingWarning(state, parts, read.length, read.value);
    return { value: low32(read.value) };
  }
  if (text === 'unset') return { value: uidUnset };
  report(state, diagnostic('value-silently-zero', parts.valueRange, {
    value: text, field: 'sessionid',
  }));
  return { value: 0 };
}

function readAddressFamily(state: LineState, parts: FieldParts): FieldValue | undefined {
  const text = parts.pair.value;
  // strtoul without a digit check: text silently becomes 0.
  const read = startsWithDigit(text) ? readUnsigned(text) : { value: 0n, length: 0 };
  if (read.length === 0) {
    report(state, diagnostic('value-silently-zero', parts.valueRange, {
      value: text, field: 'saddr_fam',
    }));
  } else {
    trailingWarning(state, parts, read.length, read.value);
  }
  if (read.value >= BigInt(addressFamilyLimit)) {
    fail(state, diagnostic('value-too-large', parts.valueRange, {
      field: 'saddr_fam', limit: addressFamilyLimit, value: text,
      text: 'value is too large for field: saddr_fam',
    }));
    return undefined;
  }
  return { value: Number(read.value) };
}

function readFsType(state: LineState, parts: FieldParts): FieldValue | undefined {
  const text = parts.pair.value;
  const known = fsTypes(state.options.auditVersion);
  const magic = known.get(text.toLowerCase());
  if (magic !== undefined) {
    state.filterFsAdded = true;
    return { value: magic };
  }
  if (startsWithDigit(text)) {
    const read = readUnsigned(text);
    state.filterFsAdded = true;
    return { value: low32(read.value) };
  }
  fail(state, diagnostic('unknown-fstype', parts.valueRange, {
    value: text, field: 'fstype', version: state.options.auditVersion,
    known: [...known.keys()].join(', '),
  }));
  return undefined;
}

function readPerm(state: LineState, parts: FieldParts): FieldValue | undefined {
  const text = parts.pair.value;
  if (text.length > 4) {
    fail(state, diagnostic('bad-perm', parts.valueRange, {
      detail: `perm takes at most 4 letters (r w x a); "${text}" has ${text.length}.`,
      text: 'String value too long',
    }));
    return undefined;
  }
  let bits = 0;
  for (const letter of text.toLowerCase()) {
    const bit = permLetterBits[letter];
    if (bit === undefined) {
      fail(state, diagnostic('bad-perm', parts.valueRange, {
        detail: `"${letter}" is not a permission letter (r w x a).`,
        text: "Permission can only contain  'rwxa'",
      }));
      return undefined;
    }
    bits |= bit;
  }
  state.permAdded = true;
  // 4.2 turns perm into syscalls when an arch is set, which then counts as -S.
  if (state.options.auditVersion === '4.2') state.syscallAdded = true;
  return { value: bits };
}

export const permLetterBits: Record<string, number> = { r: 4, w: 2, x: 1, a: 8 };

/**
 * What the kernel refuses when the rule arrives (auditctl sent it): operators, lists,
 * path shapes, ids that do not map. The line fails with "Invalid argument".
 */
function kernelFieldChecks(
  state: LineState,
  parts: FieldParts,
  condition: FieldCondition,
  list: ListName | undefined,
): void {
  const { info, pair, valueRange } = parts;
  kernelOperatorAndListChecks(state, parts, list);

  if ((list === 'user' || list === 'exclude') && !info.kernelEvaluatesOnUserExclude) {
    report(state, diagnostic('field-never-evaluated', parts.nameRange, { field: info.name, list }));
  }

  // make_kuid / make_kgid refuse (uid_t)-1. auid=-1 becomes "loginuid not set", which
  // takes only = and !=.
  if (condition.value === uidUnset) {
    const isAuid = info.name === 'auid';
    const refused = isAuid ? pair.operator !== '=' && pair.operator !== '!='
      : info.valueKind === 'uid' || info.valueKind === 'gid';
    if (refused) {
      reject(state, diagnostic('value-too-large', valueRange, {
        field: info.name, limit: uidUnset, value: pair.value,
        text: 'Error sending add rule data request (Invalid argument)',
      }));
    }
  }

  if (info.valueKind === 'path' || info.valueKind === 'dir' || info.valueKind === 'exe') {
    kernelPathChecks(state, parts, condition);
  }
  if (info.name === 'inode') {
    const other = state.fields.find((field) =>
      field !== condition && (field.field === 'path' || field.field === 'dir' ||
        field.field === 'inode'));
    if (other) {
      reject(state, diagnostic('multiple-paths', parts.nameRange, {
        column: other.range.start.character + 1,
      }));
    }
  }
}

function kernelOperatorAndListChecks(
  state: LineState,
  parts: FieldParts,
  list: ListName | undefined,
): void {
  const { info, pair } = parts;

  if (!info.kernelOperators.includes(pair.operator)) {
    reject(state, diagnostic('operator-kernel', parts.operatorRange, {
      field: info.name, operator: pair.operator, allowed: describeOperators(info.kernelOperators),
    }, { data: operatorFixes(parts.operatorRange, info.kernelOperators, pair.operator) }));
  }

  if (list === 'filesystem' && info.name !== 'fstype' && info.name !== 'key') {
    reject(state, diagnostic('field-not-on-list', parts.nameRange, {
      field: info.name, list,
      reason: ' (the kernel takes only fstype and key there)',
      text: 'Error sending add rule data request (Invalid argument)',
    }));
  }
  if (list === 'io_uring' && info.name === 'perm') {
    reject(state, diagnostic('field-not-on-list', parts.nameRange, {
      field: 'perm', list, reason: '',
      text: 'Error sending add rule data request (Invalid argument)',
    }));
  }
}

/** Program directories of the Filesystem Hierarchy Standard, present on every Linux host. */
const systemDirectories = new Set([
  '/bin', '/sbin', '/usr/bin', '/usr/sbin', '/usr/lib', '/usr/libexec', '/usr/local/bin',
  '/usr/local/sbin', '/lib', '/lib64', '/usr/lib64',
]);

function parentOf(path: string): string {
  return path.slice(0, Math.max(path.lastIndexOf('/'), 1));
}

function kernelPathChecks(state: LineState, parts: FieldParts, condition: FieldCondition) {
  const { info, pair, valueRange } = parts;
  const path = pair.value;
  const kind = info.valueKind;

  if (!path.startsWith('/')) {
    reject(state, diagnostic('path-not-absolute', valueRange, {
      field: info.name, text: 'Error sending add rule data request (Invalid argument)',
    }));
    return;
  }
  if ((kind === 'path' || kind === 'exe') && path.endsWith('/')) {
    const trimmed = path.replace(/\/+$/, '') || '/';
    reject(state, diagnostic('path-trailing-slash', valueRange, { field: info.name }, {
      data: replaceFix('Remove the trailing "/"', valueRange, trimmed),
    }));
  }

  if (kind === 'exe') {
    const earlier = state.fields.filter((field) => field.field === 'exe');
    if (earlier.length > 1) reject(state, diagnostic('multiple-exe', parts.nameRange));
  } else {
    const others = state.fields.filter((field) =>
      field !== condition && (field.field === 'path' || field.field === 'dir' ||
        field.field === 'inode'));
    if (others.length > 0) {
      reject(state, diagnostic('multiple-paths', parts.nameRange, {
        column: others[0].range.start.character + 1,
      }));
    }
  }

  // Watches (-w, path=) on a missing directory are left to docs/limits.md: a hint on
  // every watch would drown the rest. dir= and exe= are rarer and resolved at load; an exe
  // in a directory every Linux system has (/usr/bin/kmod) needs no word about the host.
  if (kind !== 'path' && !(kind === 'exe' && systemDirectories.has(parentOf(path)))) {
    report(state, diagnostic('path-parent-host', valueRange, {
      what: kind === 'dir' ? `the directory ${path}` : `the directory that holds ${path}`,
    }, { hostDependent: true }));
  }
}

/** `-C left<op>right`: only = and !=, exit list only, uid with uid and gid with gid. */
export function applyComparison(
  state: LineState,
  option: ParsedOption,
  list: ListName | undefined,
): void {
  const text = option.argument!.text;
  const range = argumentRange(option);

  if (state.fieldCount >= maxFieldsPerRule) {
    fail(state, diagnostic('too-many-fields', range, { count: state.fieldCount + 1, text }));
    return;
  }

  // libaudit looks only for "!=" and then "=": `uid>=euid` names the field "uid>".
  let at = text.indexOf('!=');
  let operator: '=' | '!=' = '!=';
  if (at === -1) {
    at = text.indexOf('=');
    operator = '=';
  }
  if (at === -1) {
    fail(state, diagnostic('bad-comparison', range, {
      detail: '-C takes left=right or left!=right.',
      text: `${text} only takes = or != operators`,
    }));
    return;
  }
  const left = text.slice(0, at);
  const right = text.slice(at + operator.length);
  const leftRange = argumentPartRange(state.line, option, 0, at);
  const rightRange = argumentPartRange(state.line, option, at + operator.length, text.length);
  const operatorRange = argumentPartRange(state.line, option, at, at + operator.length);

  if (left.length === 0) {
    fail(state, diagnostic('missing-field-name', operatorRange, { operator, option: '-C' }));
    return;
  }
  if (right.length === 0) {
    fail(state, diagnostic('missing-value', operatorRange, {
      field: left, operator, prefix: '-C', spacing: ' ',
    }));
    return;
  }
  const leftInfo = fieldInfo(left);
  if (!leftInfo) {
    fail(state, diagnostic('unknown-field', leftRange, { field: left, option: '-C', hint: '' }));
    return;
  }
  const rightInfo = fieldInfo(right);
  if (!rightInfo) {
    fail(state, diagnostic('bad-comparison', rightRange, {
      detail: `"${right}" is not a field.`,
      text: `-C unknown right hand value for comparison with: ${left}`,
    }));
    return;
  }
  if (list !== 'exit') {
    fail(state, diagnostic('bad-comparison', range, {
      detail: '-C works only on the exit list.',
      text: `${left} can only be used with exit filter list`,
    }));
    return;
  }

  const group = (name: string) =>
    uidGroup.has(name) ? 'uid' : gidGroup.has(name) ? 'gid' : undefined;
  const leftGroup = group(leftInfo.name);
  if (!leftGroup || leftGroup !== group(rightInfo.name) || leftInfo.name === rightInfo.name) {
    fail(state, diagnostic('bad-comparison', range, {
      detail: 'A comparison takes two different uid fields (uid euid suid fsuid auid obj_uid) ' +
        'or two different gid fields (gid egid sgid fsgid obj_gid).',
      text: `-C incompatible comparison ${left}`,
    }));
    return;
  }

  state.fieldCount++;
  const comparison = { left: leftInfo.name, operator, right: rightInfo.name, range };
  state.comparisons.push(comparison);
  state.ordered.push(comparison);
}

const uidGroup = new Set(['uid', 'euid', 'suid', 'fsuid', 'auid', 'obj_uid']);
const gidGroup = new Set(['gid', 'egid', 'sgid', 'fsgid', 'obj_gid']);
