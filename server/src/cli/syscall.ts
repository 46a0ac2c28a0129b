/**
 * `auditd-tools syscall NAME|NUMBER [--arch ARCH]`: the number of a syscall name, or the
 * name of a number, on the chosen arch and side by side on every other arch.
 */
import {
  auditVersions, defaultAuditVersion, machines, nativeMachine, syscallTable, versionsWithSyscall,
  type AuditVersion, type Machine,
} from '../tables';
import {
  cutSyscallNumber, maxSyscallNumber, readSyscallNumber, unassignedDetail,
} from '../rules/checks/syscalls';
import { startsWithDigit } from '../rules/checks/numbers';
import { archMachine, parseCommandArgs } from './arguments';
import type { Command, CommandIo } from './io';

export const syscallUsage = `usage: auditd-tools syscall NAME|NUMBER [--arch ARCH]
         [--audit-version 3.0.9|4.2]

Prints the number of a syscall name, or the name of a syscall number, on ARCH (default
x86_64; also b64, b32, or any machine name auditctl knows), then on every other arch.
NUMBER is read as -S reads it: decimal, 0x hex or 0 octal, cut to its low 32 bits as a
signed int, from 0 to ${maxSyscallNumber}.`;

async function runSyscall(args: readonly string[], io: CommandIo): Promise<number> {
  const parsed = parseCommandArgs(syscallCommand, args, {
    arch: { type: 'string' },
    'audit-version': { type: 'string' },
  }, io);
  if (!parsed) return 2;

  const version = (parsed.values['audit-version'] ?? defaultAuditVersion) as AuditVersion;
  if (!auditVersions.includes(version)) {
    io.stderr(`auditd-tools syscall: --audit-version takes ${auditVersions.join(' or ')}\n`);
    return 2;
  }
  if (parsed.positionals.length !== 1) {
    io.stderr(`auditd-tools syscall: name one syscall or number\n\n${syscallUsage}\n`);
    return 2;
  }

  const archText = parsed.values.arch ?? 'x86_64';
  const chosen = archMachine(archText, version);
  if (!chosen) {
    io.stderr(`auditd-tools syscall: unknown arch "${archText}" for auditctl ${version}\n`);
    return 2;
  }

  const query = parsed.positionals[0];
  // No syscall name starts with a digit, so such a word is a number, as for -S.
  const byNumber = startsWithDigit(query);
  const read = byNumber ? readSyscallNumber(query) : undefined;
  const lookup = (machine: Machine): string | undefined => {
    const table = syscallTable(machine, version);
    if (!table) return undefined;
    if (byNumber) return read ? table.byNumber.get(read.number) : undefined;
    const number = table.byName.get(query.toLowerCase());
    return number === undefined ? undefined : String(number);
  };

  // 0x3b is shown with the number -S makes of it, 4294967355 with the cut to 32 bits and
  // 2abc with what auditctl ignores, on the first line whether a syscall has it or not.
  // A number -S refuses is shown as the int it was cut to (4294967295 is -1).
  let shown = byNumber ? query : query.toLowerCase();
  const cut = byNumber ? cutSyscallNumber(query) : undefined;
  if (cut) {
    const how: string[] = [];
    if (cut.saturated) how.push('stops at LONG_MAX and keeps its low 32 bits');
    else if (cut.wrapped) how.push('keeps the low 32 bits');
    if (cut.length < query.length) how.push(`ignores "${query.slice(cut.length)}"`);
    if (how.length > 0) {
      shown = `${query} (read as ${cut.number}; auditctl ${how.join(' and ')})`;
    } else if (query !== String(cut.number)) {
      shown = `${query} (${cut.number})`;
    }
  }

  const primary = lookup(chosen);
  const lines: string[] = [];
  if (primary === undefined) {
    let why = '';
    if (!byNumber) {
      const versions = versionsWithSyscall(query, chosen);
      if (versions.length > 0) why = ` (it is in auditctl ${versions.join(', ')})`;
    } else if (!read) {
      why = ` (-S takes numbers from 0 to ${maxSyscallNumber})`;
    }
    lines.push(`${shown}: no such syscall on ${chosen} in auditctl ${version}${why}`);
    // -S takes such a number all the same: say what the checker says of it (a syscall a
    // newer auditctl names, a syscall class, or a number that never matches).
    // The target is the 64-bit machine of a 32-bit arch, as b32 is on an x86_64 host.
    const target = nativeMachine(chosen) ?? chosen;
    if (read) lines.push(unassignedDetail(read.number, chosen, version, target));
  } else {
    lines.push(`${shown} on ${chosen} is ${primary}`);
  }

  lines.push('', `${byNumber ? 'number' : 'name'} ${byNumber ? shown : query} on every arch ` +
    `(auditctl ${version}):`);
  const width = Math.max(...machines.map((machine) => machine.length));
  for (const machine of machines) {
    if (!syscallTable(machine, version)) continue;
    const found = lookup(machine);
    const mark = machine === chosen ? '*' : ' ';
    lines.push(`${mark} ${machine.padEnd(width)}  ${found ?? '-'}`);
  }

  io.stdout(`${lines.flatMap((line) => wrapLine(line)).join('\n')}\n`);
  return primary === undefined ? 1 : 0;
}

/** The widest line the command prints; longer ones go on at an indent. */
const outputColumns = 100;
const continuationIndent = '  ';

/**
 * One line of output wrapped at spaces to the output width, each later part indented. A
 * word longer than the width (a long query) stays whole on a line of its own.
 */
function wrapLine(line: string): string[] {
  if (line.length <= outputColumns) return [line];
  const parts: string[] = [];
  let current: string | undefined;
  for (const word of line.split(' ')) {
    if (current === undefined) {
      current = word;
    } else if (current.length + 1 + word.length <= outputColumns) {
      current += ` ${word}`;
    } else {
      parts.push(current);
      current = continuationIndent + word;
    }
  }
  parts.push(current!);
  return parts;
}

export const syscallCommand: Command = {
  name: 'syscall',
  summary: 'map a syscall name to its number, or a number to its name, on every arch',
  usage: syscallUsage,
  run: runSyscall,
};
