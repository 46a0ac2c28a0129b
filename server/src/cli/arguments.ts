/**
 * Command-line arguments as the commands that take options read them: parseArgs with their
 * positionals, and the --arch value turned into a machine as auditctl resolves it.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { resolveArch, type AuditVersion, type Machine } from '../tables';
import type { Command, CommandIo } from './io';

/**
 * The command's options and positionals, or undefined after writing the reason and the
 * usage to stderr (the command then exits with status 2).
 */
export function parseCommandArgs<T extends NonNullable<ParseArgsConfig['options']>>(
  command: Pick<Command, 'name' | 'usage'>,
  args: readonly string[],
  options: T,
  io: CommandIo,
) {
  try {
    return parseArgs({ args: [...args], allowPositionals: true as const, options });
  } catch (error) {
    io.stderr(`auditd-tools ${command.name}: ${(error as Error).message}\n\n${command.usage}\n`);
    return undefined;
  }
}

/**
 * The machine an --arch value names: a machine name, or b64 / b32 read against x86_64, the
 * default host. Undefined when auditctl `version` knows no such arch.
 */
export function archMachine(text: string, version: AuditVersion): Machine | undefined {
  const resolved = resolveArch(text, 'x86_64', version);
  return resolved.ok ? resolved.machine : undefined;
}
