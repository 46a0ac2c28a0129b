/**
 * `-S` as auditctl reads it: the list checks of setopt's case 'S', then each comma
 * element resolved against the table of the rule's machine (the last -F arch before it,
 * else the host), by name (case-insensitive), `all` (case-sensitive), or a number read
 * with strtol when the word starts with a digit (cut to an int, 0..2047, no check that it
 * exists).
 */
import {
  auditVersions, compatMachine, machineBits, nativeMachine, syscallTable, uringOpTable,
  type AuditVersion, type Machine, type SyscallTable,
} from '../../tables';
import { diagnostic, type FixData } from '../codes';
import type { ParsedOption } from '../parse';
import { readSigned, startsWithDigit } from './numbers';
import { splitFieldPair } from './fields';
import { argumentPartRange } from './ranges';
import { LineState, fail, report } from './state';
import { closestNames, didYouMeanFixes, replaceFix } from './suggest';

/** The largest syscall number a rule holds: AUDIT_BITMASK_SIZE (64) words of 32 bits. */
export const maxSyscallNumber = 2047;

const maxLong = (1n << 63n) - 1n;

/**
 * A -S element that is not a name, read as auditctl reads it: strtol base 0 (decimal, 0x
 * hex, leading-0 octal) when it starts with a digit, the rest ignored. libaudit keeps
 * strtol's long in an int, so only the low 32 bits count, read signed: 4294967355 is 59,
 * 4294967295 is -1. strtol saturates beyond LONG_MAX, whose low 32 bits are -1. The int
 * must then be 0..2047. `length` is how many characters were read; `wrapped` says the
 * number written is not the number read. Undefined where auditctl reports the name
 * unknown.
 */
export function readSyscallNumber(element: string):
  { number: number; length: number; wrapped: boolean } | undefined {
  const cut = cutSyscallNumber(element);
  if (!cut || cut.number < 0 || cut.number > maxSyscallNumber) return undefined;
  return { number: cut.number, length: cut.length, wrapped: cut.wrapped };
}

/**
 * The int libaudit makes of a -S element that starts with a digit, before the range check
 * (4294967295 is -1): what the syscall command shows for a number -S refuses. `saturated`
 * says strtol stopped at LONG_MAX.
 */
export function cutSyscallNumber(element: string):
  { number: number; length: number; wrapped: boolean; saturated: boolean } | undefined {
  if (!startsWithDigit(element)) return undefined;
  const read = readSigned(element);
  const long = read.overflow ? maxLong : read.value;
  const number = Number(BigInt.asIntN(32, long));
  return {
    number, length: read.length, wrapped: read.value !== BigInt(number),
    saturated: read.overflow,
  };
}

export function applySyscalls(state: LineState, option: ParsedOption): void {
  const list = state.selection?.list;
  const selected = state.selection !== undefined;

  if (selected && list === 'io_uring') {
    applyUringOps(state, option);
    return;
  }

  if (selected && (list === 'task' || list === 'user' || list === 'filesystem')) {
    fail(state, diagnostic('syscall-on-list', option.range, {
      list, text: `Error: syscall auditing being added to ${list} list`,
    }));
    return;
  }
  if (selected && list === 'exclude') {
    fail(state, diagnostic('syscall-on-list', option.range, {
      list, text: 'Error: syscall auditing cannot be put on exclude list',
    }));
    return;
  }

  if (!state.machine) {
    state.machine = state.options.hostMachine;
    state.machineFromArch = false;
  }
  const machine = state.machine;
  const version = state.options.auditVersion;
  const table = syscallTable(machine, version);
  const text = option.argument!.text;

  const unknown = addSyscallElements(state, option, table, {
    onNumber(read, element, range) {
      const name = table?.byNumber.get(read.number);
      if (name) state.syscallNames.push(name);
      numberWarnings(state, element, read, name, machine, version, range);
    },
    onUnknown(element, range) {
      reportUnknownSyscall(state, option, element, text, machine, version, table, range);
    },
  });

  if (unknown) {
    state.retval = -1;
    state.failed = true;
    return;
  }
  state.syscallAdded = true;
  state.syscallOptions.push(option);
}

function numberWarnings(
  state: LineState,
  element: string,
  read: SyscallNumber,
  name: string | undefined,
  machine: Machine,
  version: AuditVersion,
  range: ReturnType<typeof argumentPartRange>,
): void {
  const { number, length } = read;
  if (read.wrapped) {
    // Reported alone: the number read is rarely the one meant, trailing characters or not.
    const value = element.slice(0, length);
    report(state, diagnostic('syscall-number-wrapped', range, {
      value, number, named: name ? ` (${name} on ${machine})` : '',
    }, { data: replaceFix(`Replace with ${number}`, range, String(number)) }));
  } else if (length < element.length) {
    report(state, diagnostic('syscall-number-trailing', range, { value: element, number }, {
      data: replaceFix('Keep the number only', range, String(number)),
    }));
  }
  if (name) {
    report(state, diagnostic('syscall-number', range, { number, name, machine }, {
      data: replaceFix(`Replace ${number} with ${name}`, range, name),
    }));
  } else {
    report(state, diagnostic('syscall-number-unassigned', range,
      unassignedParts(number, machine, version, state.options.hostMachine)));
  }
}

/**
 * The syscall classes the kernel reads from the top 16 numbers of a rule's mask
 * (kernel/auditfilter.c, audit_to_entry_common): number 2047 - i is class i, replaced by
 * that class's syscalls when the rule loads. The names are the AUDIT_CLASS_* constants of
 * linux/audit.h; classes 10 to 15 are not registered, so their numbers add no syscall.
 */
const syscallClassNames = [
  'dir_write', 'dir_write_32', 'chattr', 'chattr_32', 'read', 'read_32', 'write', 'write_32',
  'signal', 'signal_32',
];
const syscallClassCount = 16;
export const firstSyscallClassNumber = maxSyscallNumber + 1 - syscallClassCount;

/** What -S makes of a number the kernel reads as a syscall class; undefined for others. */
export function syscallClassDetail(number: number): string | undefined {
  if (number < firstSyscallClassNumber || number > maxSyscallNumber) return undefined;
  const index = maxSyscallNumber - number;
  const name = syscallClassNames[index];
  const what = name === undefined
    ? `${number} is an unregistered class (class ${index}): it adds no syscall`
    : `expands ${number} (class ${index}, ${name}) into the syscalls of that class`;
  return `${number} is a syscall class, not a syscall: the kernel reads ` +
    `${firstSyscallClassNumber} to ${maxSyscallNumber} as classes, and ${what}.`;
}

/**
 * What a class of the other width than the rule's machine adds, or ''. The kernel adds a
 * class's numbers to the rule's mask whatever its arch: classes 0, 2, 4, 6 and 8 hold the
 * target's native numbers, 1, 3, 5, 7 and 9 those of its 32-bit compat machine, so on the
 * other machine they are other syscalls (b64 2046, i386's creat, link, ..., loads as
 * lseek,mmap,mprotect,...). A rule without -F arch is native. Targets without a compat
 * machine are left out: what their kernels register for the 32-bit classes is not known
 * here.
 */
export function syscallClassWidth(number: number, machine: Machine, target: Machine): string {
  const index = maxSyscallNumber - number;
  const compat = compatMachine(target);
  if (index < 0 || syscallClassNames[index] === undefined || !compat) return '';
  const classCompat = index % 2 === 1;
  const ruleCompat = machine !== target && machineBits(machine) === 32;
  if (classCompat === ruleCompat) return '';
  const holds = classCompat ? `${compat} (32-bit compat)` : `${target} (native)`;
  const sibling = index ^ 1;
  return ` Class ${index} holds ${holds} numbers, and the kernel adds them unchanged to a ` +
    `rule for ${machine}, where they are unrelated syscalls: write ` +
    `${maxSyscallNumber - sibling} (${syscallClassNames[sibling]}) for ${machine}, or name ` +
    'the syscalls.';
}

/**
 * Why a number the version's table does not name matters, and, for a syscall class of the
 * other width, what it adds (`width`, '' for others). The table only names numbers for
 * auditctl; the kernel matches the number itself. So where another table of the machine
 * names it (a syscall newer than auditctl 3.0.9, such as fchmodat2), the rule matches it on
 * every kernel that has that syscall. The top 16 numbers are no syscall of any table but
 * classes the kernel expands.
 */
export function unassignedParts(
  number: number, machine: Machine, version: AuditVersion, target: Machine,
): { detail: string; width: string } {
  const asClass = syscallClassDetail(number);
  if (asClass) return { detail: asClass, width: syscallClassWidth(number, machine, target) };
  const newestFirst = [...auditVersions].reverse();
  for (const other of newestFirst) {
    if (other === version) continue;
    const name = syscallTable(machine, other)?.byNumber.get(number);
    if (name === undefined) continue;
    const detail = `auditctl ${version}'s ${machine} table has no name for syscall ` +
      `${number} (auditctl ${other}'s names it ${name}): auditctl accepts the number, and ` +
      `the rule matches it on kernels that have ${name}.`;
    return { detail, width: '' };
  }
  const detail = `No syscall has number ${number} on ${machine}; auditctl accepts it but ` +
    'it never matches.';
  return { detail, width: '' };
}

/** The checker's syscall-number-unassigned text for a number, in one string. */
export function unassignedDetail(
  number: number, machine: Machine, version: AuditVersion, target: Machine,
): string {
  const { detail, width } = unassignedParts(number, machine, version, target);
  return detail + width;
}

function reportUnknownSyscall(
  state: LineState,
  option: ParsedOption,
  element: string,
  whole: string,
  machine: Machine,
  version: AuditVersion,
  table: SyscallTable | undefined,
  range: ReturnType<typeof argumentPartRange>,
): void {
  const lower = element.toLowerCase();
  const removal = removeElementFix(state, option, element, range, table);

  const since = auditVersions.find((other) =>
    other !== version && syscallTable(machine, other)?.byName.has(lower));
  if (since) {
    fail(state, diagnostic('syscall-version', range, {
      name: lower, version, machine, since, value: element,
    }, { data: removal }));
    return;
  }

  const twin = compatMachine(machine) ?? nativeMachine(machine);
  const twinNumber = twin ? syscallTable(twin, version)?.byName.get(lower) : undefined;
  let detail: string;
  let data = removal;
  if (twin && twinNumber !== undefined) {
    // b32/b64 name the host's own pair; for a rule on another machine (arch=aarch64 on
    // an x86_64 host) b32 would mean i386, so the twin is named itself.
    const host = state.options.hostMachine;
    const onHost = machine === host || twin === host;
    const bits = twin === compatMachine(machine) ? 'b32' : 'b64';
    detail = `${lower} is not in the ${machine} table; it exists only in the ${twin} table ` +
      `(use -F arch=${onHost ? bits : twin} for it).`;
  } else if (element === 'ALL' || lower === 'all') {
    detail = '"all" is case-sensitive: write it in lower case.';
    data = replaceFix('Write "all"', range, 'all');
  } else {
    const table = syscallTable(machine, version);
    const suggestions = table ? closestNames(lower, table.byName.keys(), 3) : [];
    detail = `"${element}" is not a syscall in auditctl ${version}'s ${machine} table.` +
      (suggestions.length > 0 ? ` Did you mean ${suggestions.join(', ')}?` : '');
    data = didYouMeanFixes(range, suggestions) ?? removal;
  }
  fail(state, diagnostic('unknown-syscall', range, { detail, value: element }, { data }));
}

/**
 * Removes one element of a comma list, with the commas up to the next element (or back to
 * the one before, for the last): two unknown elements of one list then overlap, so a
 * fix-all never empties the list. An element alone in its -S takes the whole option away
 * (`-S qqq` and one space), but only where another -S still names a syscall: auditctl
 * refuses an empty or bare -S, and a rule left without -S is every syscall (with -k, it
 * refuses the key). Undefined when no removal leaves a rule auditctl loads as meant.
 */
function removeElementFix(
  state: LineState,
  option: ParsedOption,
  element: string,
  range: PartRange,
  table: SyscallTable | undefined,
): FixData | undefined {
  const text = state.line.text;
  const argument = option.argument!.range;
  const first = argument.start.character;
  const last = argument.end.character;
  let start = range.start.character;
  let end = range.end.character;

  // Columns of the line, not of the argument text: -S words have no escapes that matter
  // here, and a comma is a comma either way.
  let next = end;
  while (next < last && text[next] === ',') next++;
  let previous = start;
  while (previous > first && text[previous - 1] === ',') previous--;

  if (next < last) {
    end = next;
  } else if (previous > first) {
    start = previous;
    end = next;
  } else {
    if (!otherSyscallOption(state, option, table)) return undefined;
    start = option.range.start.character;
    end = last;
    // One separating space, after the argument, or before the option at the line's end.
    const separate = start === 0 || text[start - 1] === ' ';
    if (separate && text[end] === ' ') end++;
    else if (separate && start > 0) start--;
  }
  return {
    fixes: [{
      title: `Remove ${element}`,
      edits: [{
        range: {
          start: { line: range.start.line, character: start },
          end: { line: range.end.line, character: end },
        },
        newText: '',
      }],
    }],
  };
}

/**
 * Whether another -S of the line names a syscall (`all`, a name of the table, or a number
 * -S takes), so that the rule keeps one once `option` is gone. One after it counts only
 * with no key and no -F arch between: a key needs a syscall before it, and an arch changes
 * the table the later names resolve against.
 */
function otherSyscallOption(
  state: LineState,
  option: ParsedOption,
  table: SyscallTable | undefined,
): boolean {
  let after = false;
  for (const other of state.line.options) {
    if (other === option) {
      after = true;
      continue;
    }
    if (after && (other.name === '-k' || (other.name === '-F' && keyOrArchField(other)))) {
      return false;
    }
    if (other.name !== '-S' || !other.argument) continue;
    if (namesSyscall(other.argument.text, table)) return true;
  }
  return false;
}

function keyOrArchField(option: ParsedOption): boolean {
  const pair = option.argument ? splitFieldPair(option.argument.text) : undefined;
  const name = pair?.name.toLowerCase();
  return name === 'key' || name === 'arch';
}

/** Whether some element of a -S argument is one auditctl takes. */
function namesSyscall(text: string, table: SyscallTable | undefined): boolean {
  for (const element of text.split(',')) {
    if (element.length === 0) continue;
    if (element === 'all' || table?.byName.has(element.toLowerCase())) return true;
    if (readSyscallNumber(element)) return true;
  }
  return false;
}

function applyUringOps(state: LineState, option: ParsedOption): void {
  const table = uringOpTable(state.options.auditVersion);
  const text = option.argument!.text;
  const unknown = addSyscallElements(state, option, table, {
    onNumber() {},
    onUnknown(element, range) {
      const suggestions = table ? closestNames(element.toLowerCase(), table.byName.keys(), 3) : [];
      fail(state, diagnostic('unknown-uring-op', range, { name: element, value: text }, {
        data: didYouMeanFixes(range, suggestions),
      }));
    },
  });
  if (!unknown) {
    state.syscallAdded = true;
    state.syscallOptions.push(option);
  }
}

type PartRange = ReturnType<typeof argumentPartRange>;
type SyscallNumber = NonNullable<ReturnType<typeof readSyscallNumber>>;

/** What differs between -S on a syscall list and on the io_uring list. */
interface ElementHandlers {
  /** A number auditctl takes (strtol cut to an int, 0..2047), already in the rule's mask. */
  onNumber(read: SyscallNumber, element: string, range: PartRange): void;
  /** An element that is neither a name of the table nor such a number. */
  onUnknown(element: string, range: PartRange): void;
}

/**
 * Walks the comma elements of one -S argument as auditctl does: empty elements skipped,
 * `all` (case-sensitive) sets every bit, then a name of the table (case-insensitive), then a
 * number. Returns whether any element was unknown.
 */
function addSyscallElements(
  state: LineState,
  option: ParsedOption,
  table: SyscallTable | undefined,
  handlers: ElementHandlers,
): boolean {
  const text = option.argument!.text;
  let unknown = false;
  // The elements between commas, read without a list of them: most -S words are one name.
  for (let start = 0; start <= text.length;) {
    const comma = text.indexOf(',', start);
    const end = comma === -1 ? text.length : comma;
    const element = start === 0 && end === text.length ? text : text.slice(start, end);
    const elementStart = start;
    start = end + 1;
    if (element.length === 0) continue;
    const range = argumentPartRange(state.line, option, elementStart, end);
    state.syscallWritten.push({ text: element, range });

    if (element === 'all') {
      state.syscallAll = true;
      continue;
    }

    const lower = element.toLowerCase();
    const byName = table?.byName.get(lower);
    if (byName !== undefined) {
      state.syscallNumbers.push(byName);
      // The table's own string where it is the same name: a checked document keeps the
      // names of every rule, and most rules name the same few syscalls.
      const tableName = table!.byNumber.get(byName);
      state.syscallNames.push(tableName === lower ? tableName : lower);
      continue;
    }

    const read = readSyscallNumber(element);
    if (read) {
      state.syscallNumbers.push(read.number);
      handlers.onNumber(read, element, range);
      continue;
    }

    unknown = true;
    handlers.onUnknown(element, range);
  }
  return unknown;
}
