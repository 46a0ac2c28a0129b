/**
 * `auditd-tools mdatp`: ranks the processes of Microsoft Defender for Endpoint's
 * real-time-protection statistics by files scanned, per executable path, and prints the
 * `mdatp exclusion process add` command for each, with its safety warnings.
 */
import { readFileSync } from 'node:fs';
import { analyzeMdatpStatistics, type MdatpReport } from '../log/mdatp';
import type { Command, CommandIo } from './io';
import { formatCount, terminalSafe } from './terminalText';

export const mdatpUsage = `usage: auditd-tools mdatp [--format text|json] [--top N] [--suggest N]
         FILE

FILE is the output of
  mdatp diagnostic real-time-protection-statistics --output json
or - for standard input. Processes are ranked by files scanned, grouped by path, with the
command that excludes each path from real-time scanning and what excluding it would hide.
Commands are suggested for the 3 busiest paths with at least 1% of the files scanned
(--suggest N sets how many).`;

interface MdatpArguments {
  format: 'text' | 'json';
  top: number;
  suggest: number | undefined;
  file: string;
}

function parseArguments(args: readonly string[]): MdatpArguments | string {
  const parsed: Partial<MdatpArguments> = { format: 'text', top: 10, suggest: undefined };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const [name, attached] = arg.startsWith('--') && arg.includes('=')
      ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => attached ?? args[++i];
    if (name === '--format') {
      const format = value();
      if (format !== 'text' && format !== 'json') {
        return `--format takes text or json, not ${format ?? 'nothing'}`;
      }
      parsed.format = format;
    } else if (name === '--top') {
      const text = value();
      const top = Number(text);
      if (!text || !Number.isInteger(top) || top < 1) {
        return `--top takes a positive whole number, not ${text ?? 'nothing'}`;
      }
      parsed.top = top;
    } else if (name === '--suggest') {
      const text = value();
      const count = Number(text);
      if (!text || !Number.isInteger(count) || count < 0) {
        return `--suggest takes a whole number (0 or more), not ${text ?? 'nothing'}`;
      }
      parsed.suggest = count;
    } else if (arg.startsWith('--')) {
      return `unknown option ${arg}`;
    } else if (parsed.file !== undefined) {
      return 'give one statistics file';
    } else {
      parsed.file = arg;
    }
  }
  if (parsed.file === undefined) return 'no statistics file given (use - for standard input)';
  return parsed as MdatpArguments;
}

async function readInput(file: string, io: CommandIo): Promise<string> {
  if (file !== '-') return readFileSync(file, 'utf8');
  const chunks: Buffer[] = [];
  for await (const chunk of io.stdin ?? process.stdin) {
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The report as text; every line is escaped for the terminal (paths come from a file). */
export function mdatpText(report: MdatpReport, top: number): string {
  const out: string[] = [];
  const add = (line: string) => out.push(`${terminalSafe(line)}\n`);
  const paths = report.byPath.length;
  add(`${formatCount(report.processes)} process${report.processes === 1 ? '' : 'es'}, ` +
    `${formatCount(report.totalFilesScanned)} file` +
    `${report.totalFilesScanned === 1 ? '' : 's'} scanned, ` +
    `${formatCount(paths)} executable path${paths === 1 ? '' : 's'}`);
  add('');
  add('Files scanned by executable');
  for (const ranked of report.byPath.slice(0, top)) {
    const names = ranked.names.join(', ');
    add(`  ${formatCount(ranked.filesScanned).padStart(10)}  ` +
      `${(ranked.share * 100).toFixed(1).padStart(5)}%  ${ranked.path ?? '(no path)'}` +
      `${names ? `  [${names}]` : ''}`);
  }
  add('');
  add('Suggested exclusions');
  const suggested = report.byPath.filter((ranked) => ranked.suggested);
  if (suggested.length === 0) add('  none');
  for (const ranked of suggested) {
    if (ranked.command) add(`  ${ranked.command}`);
    else {
      const names = ranked.names.join(', ') || '(unnamed)';
      add(`  no command for ${names}: ${ranked.refused}`);
    }
    for (const warning of ranked.warnings) add(`    warning: ${warning.message}`);
  }
  const left = report.byPath.length - suggested.length;
  if (left > 0) {
    add(`  not suggested: ${left} path${left === 1 ? '' : 's'} below 1% of the files scanned ` +
      'or beyond --suggest (excluding them gains little)');
  }
  for (const problem of report.problems) add(`skipped: ${problem.message}`);
  return out.join('');
}

/** Runs the report on a file already read; shared with `noise` when it is given one. */
export function printMdatpReport(text: string, name: string, format: 'text' | 'json',
  top: number, io: CommandIo, suggest?: number): number {
  const report = analyzeMdatpStatistics(text, { maxSuggestions: suggest });
  if (report.error) {
    const where = report.error.line === undefined ? ''
      : `:${report.error.line}:${report.error.column}`;
    io.stderr(`auditd-tools mdatp: ${terminalSafe(`${name}${where}: ${report.error.message}`)}\n`);
    return 2;
  }
  if (format === 'json') io.stdout(`${JSON.stringify(report, null, 2)}\n`);
  else io.stdout(mdatpText(report, top));
  return 0;
}

async function runMdatp(args: readonly string[], io: CommandIo): Promise<number> {
  const parsed = parseArguments(args);
  if (typeof parsed === 'string') {
    io.stderr(`auditd-tools mdatp: ${parsed}\n\n${mdatpUsage}\n`);
    return 2;
  }
  let text: string;
  try {
    text = await readInput(parsed.file, io);
  } catch (error) {
    io.stderr(`auditd-tools mdatp: cannot read ${parsed.file}: ${(error as Error).message}\n`);
    return 2;
  }
  return printMdatpReport(text, parsed.file, parsed.format, parsed.top, io, parsed.suggest);
}

export const mdatpCommand: Command = {
  name: 'mdatp',
  summary: 'rank Defender for Endpoint real-time scanning by process and suggest exclusions',
  usage: mdatpUsage,
  run: runMdatp,
};
