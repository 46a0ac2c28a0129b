/**
 * `auditd-tools noise`: ranks what fills audit logs and suggests exclusion rules with
 * their simulated impact. A thin adapter over the log engine (server/src/log).
 */
import {
  accessSync, closeSync, constants, createReadStream, existsSync, openSync, readFileSync,
  readSync, realpathSync, statSync,
} from 'node:fs';
import { analyzeLogs, type LogInput } from '../log/analyze';
import { looksLikeMdatpStatistics } from '../log/mdatp';
import { printMdatpReport } from './mdatp';
import type { NoiseReport } from '../log/report';
import { skipReasonText } from '../log/scan';
import {
  suggestExclusions, type InForceExclusion, type SuggestionSet,
} from '../log/suggestions';
import { checkRuleset } from '../rules/ruleset';
import { readInput } from './check';
import { formatCount, terminalSafe } from './terminalText';
import {
  compressionMagicLength, distinctLogFiles, gunzippedIfCompressed, unreadCompression,
  unreadCompressionError,
} from '../log/logInputs';
import type { RuleDiagnostic } from '../rules/diagnostics';
import type { RuleModel } from '../rules/model';
import { auditVersions, type AuditVersion } from '../tables';

export const noiseUsage = `usage: auditd-tools noise [--format text|json] [--top N]
         [--suggest N] [--by exe|syscall|key|type|exe-syscall] [--rules FILE|DIR]
         [--place before|after] [--max-log-file MB] [--audit-version 3.0.9|4.2] LOG...

Ranks the events of audit logs by executable, syscall, key and record type, and suggests
exclusion rules with the events and bytes they would remove. LOG may be a file, a rotated
set (audit.log audit.log.1 ..., or audit.log-20261201 ... as logrotate's dateext names
them, read oldest first), a .gz file, or - for stdin (plain or gzip; xz, zstd, bzip2 and
lz4 are refused: decompress them first).

Exit status: 0 done; 1 no audit record in the input (lines, but none a record: not a
log, or interpreted ausearch -i output); 2 bad usage or an input that cannot be read.

  --format F     text (default) or json (every field, each list whole unless --top)
  --top N        rows per ranking (default 10 in text)
  --by RANKING   in the text output, print only that ranking (with the totals and
                 suggestions): exe, syscall, key, type or exe-syscall (the executable x
                 syscall drill-down); the JSON output keeps every ranking
  --max-log-file MB
                 auditd.conf's max_log_file for the rotation projection (default 8)
  --audit-version V
                 the auditctl the rules are for: 3.0.9 or 4.2 (default 4.2; syscall and
                 record type names differ)
  --suggest N    programs that get a suggested exclusion, busiest first (default 3;
                 a program with less than 1% of the events gets none)
  --rules PATH   the rules in force (a rules file, or a rules.d folder read as augenrules
                 reads it): suggestions they already make are left out, and each
                 suggestion says which of them exclude or log its events first
  --place WHERE  where the suggestions go among those rules: before (default: a file that
                 sorts early in rules.d) or after (appended: always rules above them win)`;

export interface NoiseIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  stdin?: AsyncIterable<Buffer | string>;
}

type Ranking = 'exe' | 'syscall' | 'key' | 'type' | 'exe-syscall';
const rankings: readonly Ranking[] = ['exe', 'syscall', 'key', 'type', 'exe-syscall'];

export interface NoiseArguments {
  format: 'text' | 'json';
  top: number | undefined;
  /** Programs that get a suggestion (suggestions.ts's default when undefined). */
  suggest: number | undefined;
  by: Ranking | undefined;
  rules: string | undefined;
  place: 'before' | 'after';
  maxLogFileMB: number | undefined;
  auditVersion: AuditVersion | undefined;
  logs: string[];
}

/** Parses the arguments; returns an error message instead of throwing. */
export function parseNoiseArguments(args: readonly string[]): NoiseArguments | string {
  const parsed: NoiseArguments = {
    format: 'text', top: undefined, suggest: undefined, by: undefined, rules: undefined,
    place: 'before',
    maxLogFileMB: undefined, auditVersion: undefined, logs: [],
  };

  let optionsEnded = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    // After `--` every word is a log, the getopt way (a file may start with a dash).
    if (optionsEnded) {
      parsed.logs.push(arg);
      continue;
    }
    if (arg === '--') {
      optionsEnded = true;
      continue;
    }
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const value = () => {
      if (eq > 0) return arg.slice(eq + 1);
      if (i + 1 >= args.length) return undefined;
      return args[++i];
    };

    switch (name) {
      case '--format': {
        const format = value();
        if (format !== 'text' && format !== 'json') {
          return `--format takes text or json, not ${format ?? 'nothing'}`;
        }
        parsed.format = format;
        break;
      }
      case '--top': {
        const text = value();
        const top = Number(text);
        if (!text || !Number.isInteger(top) || top < 1) {
          return `--top takes a positive whole number, not ${text ?? 'nothing'}`;
        }
        parsed.top = top;
        break;
      }
      case '--suggest': {
        const text = value();
        const count = Number(text);
        if (!text || !Number.isInteger(count) || count < 0) {
          return `--suggest takes a whole number (0 or more), not ${text ?? 'nothing'}`;
        }
        parsed.suggest = count;
        break;
      }
      case '--by': {
        const by = value();
        if (!rankings.includes(by as Ranking)) {
          return `--by takes one of ${rankings.join(', ')}, not ${by ?? 'nothing'}`;
        }
        parsed.by = by as Ranking;
        break;
      }
      case '--rules': {
        const rules = value();
        if (!rules) return '--rules takes a rules file or a rules.d folder';
        parsed.rules = rules;
        break;
      }
      case '--place': {
        const place = value();
        if (place !== 'before' && place !== 'after') {
          return `--place takes before or after, not ${place ?? 'nothing'}`;
        }
        parsed.place = place;
        break;
      }
      case '--max-log-file': {
        const text = value();
        const megabytes = Number(text);
        // auditd.conf's max_log_file is a whole number of megabytes; one past 2^53 could not
        // be read back as written (99999999999999999999 would print as 1e20).
        if (!text || !Number.isSafeInteger(megabytes) || megabytes <= 0) {
          return `--max-log-file takes a whole number of MB (auditd.conf max_log_file), not ` +
            `${text ?? 'nothing'}`;
        }
        parsed.maxLogFileMB = megabytes;
        break;
      }
      case '--audit-version': {
        const version = value();
        if (!auditVersions.includes(version as AuditVersion)) {
          return `--audit-version takes ${auditVersions.join(' or ')}, not ${version ?? 'nothing'}`;
        }
        parsed.auditVersion = version as AuditVersion;
        break;
      }
      default:
        if (arg.startsWith('-') && arg !== '-') return `unknown option ${arg}`;
        parsed.logs.push(arg);
    }
  }

  if (parsed.logs.length === 0) return 'no log given (use - to read standard input)';
  return parsed;
}

/** A line of `--rules` that auditctl would not load, as the checker says. */
export interface RejectedRuleLine {
  /** FILE:LINE */
  at: string;
  code: string;
  message: string;
}

/** The rules of `--rules`: the rules a file or a rules.d folder loads, and how many. */
export interface RulesInForce {
  source: string;
  rules: RuleModel[];
  /** Where auditctl stops loading them (FILE:LINE), when it does: later rules are not in force. */
  stopsAt?: string;
  /** The lines auditctl would reject, in file order: none of them is in force. */
  rejected: RejectedRuleLine[];
}

/** Codes of lines the kernel refuses once the whole ruleset is read (not in each file's check). */
const refusedInStream = new Set(['duplicate-rule', 'after-immutable']);

/**
 * Reads `--rules` the way `check` reads its inputs (readInput: a file, or a rules.d folder
 * in augenrules order), and keeps the rules the kernel ends up holding.
 */
function readRules(path: string, version: AuditVersion | undefined): RulesInForce | string {
  const input = readInput(path);
  if (typeof input === 'string') return input;
  const result = checkRuleset(input.files, {
    auditVersion: version,
    mode: input.directory ? 'augenrules' : 'file',
  });
  const stop = result.diagnostics.find((d) => d.code === 'load-stops');
  const stopsAt = stop === undefined ? undefined
    : `${stop.file ?? path}:${stop.range.start.line + 1}`;

  // A line fails to load where its file's check finds an error that does not depend on the
  // host (as the load simulation decides), or the kernel refuses it in the stream. A last
  // line that fails stops nothing, so no load-stops says so: these are said line by line.
  const rejected = new Map<string, RejectedRuleLine>();
  const reject = (file: string, found: RuleDiagnostic) => {
    const at = `${file}:${found.range.start.line + 1}`;
    if (!rejected.has(at)) rejected.set(at, { at, code: found.code, message: found.message });
  };
  for (const [file, checked] of result.perFile) {
    for (const found of checked.diagnostics) {
      if (found.severity === 'error' && !found.hostDependent) reject(file, found);
    }
  }
  for (const found of result.diagnostics) {
    if (refusedInStream.has(found.code)) reject(found.file ?? path, found);
  }
  return { source: path, rules: result.loadedRules, stopsAt, rejected: [...rejected.values()] };
}

/** Why a log cannot be read, in words (no stack trace, no raw errno text). */
function unreadableLog(path: string, error: unknown): string {
  const { code, message } = error as NodeJS.ErrnoException;
  const reason = code === 'EACCES' || code === 'EPERM'
    ? 'permission denied (audit logs are usually readable by root only; try sudo)'
    : code === 'ENOENT' ? 'no such file' : message;
  return `cannot read ${terminalSafe(path)}: ${terminalSafe(reason)}`;
}

/** The first bytes of a file, without reading the rest (logs can be gigabytes). */
function fileHead(path: string, length: number): Buffer {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(length);
    const read = readSync(fd, buffer, 0, length, 0);
    return buffer.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}

/** Runs the command; resolves to the exit status (0 done, 1 no record, 2 bad usage/input). */
export async function runNoise(args: readonly string[], io: NoiseIo): Promise<number> {
  const parsed = parseNoiseArguments(args);
  if (typeof parsed === 'string') {
    io.stderr(`auditd-tools noise: ${parsed}\n\n${noiseUsage}\n`);
    return 2;
  }

  for (const log of parsed.logs) {
    if (log === '-') continue;
    if (!existsSync(log)) {
      io.stderr(`auditd-tools noise: cannot read ${terminalSafe(log)}: no such file\n`);
      return 2;
    }
    if (statSync(log).isDirectory()) {
      const folder = log.replace(/\/+$/, '') || '/';
      io.stderr(`auditd-tools noise: ${terminalSafe(log)} is a directory; name the log ` +
        `files (for example ${terminalSafe(folder)}/audit.log*)\n`);
      return 2;
    }
    try {
      accessSync(log, constants.R_OK);
    } catch (error) {
      io.stderr(`auditd-tools noise: ${unreadableLog(log, error)}\n`);
      return 2;
    }
    // xz, zstd, bzip2 and lz4 bytes would read as lines that are not records; say what they are.
    // A pipe's bytes are looked at as they are read (gunzippedIfCompressed).
    const compression = statSync(log).isFile()
      ? unreadCompression(fileHead(log, compressionMagicLength)) : undefined;
    if (compression !== undefined) {
      const error = unreadCompressionError(compression, log);
      io.stderr(`auditd-tools noise: ${unreadableLog(log, error)}\n`);
      return 2;
    }
  }

  // The same command opens Defender for Endpoint's statistics (a JSON file, not a log).
  // Only a regular file is sniffed: a pipe cannot be read twice.
  if (parsed.logs.length === 1 && parsed.logs[0] !== '-' && statSync(parsed.logs[0]).isFile()) {
    const head = fileHead(parsed.logs[0], 4096).toString('latin1');
    if (looksLikeMdatpStatistics(head)) {
      return printMdatpReport(readFileSync(parsed.logs[0], 'utf8'), parsed.logs[0],
        parsed.format, parsed.top ?? 10, io, parsed.suggest);
    }
  }

  let rulesInForce: RulesInForce | undefined;
  if (parsed.rules !== undefined) {
    const rules = readRules(parsed.rules, parsed.auditVersion);
    if (typeof rules === 'string') {
      io.stderr(`auditd-tools noise: --rules: ${terminalSafe(rules)}\n`);
      return 2;
    }
    rulesInForce = rules;
  }
  const existingRules = rulesInForce?.rules;

  const distinct = distinctLogFiles(parsed.logs);
  for (const { input, sameAs } of distinct.repeated) {
    io.stderr(`auditd-tools noise: note: ${terminalSafe(input)} is the same file as ` +
      `${terminalSafe(sameAs)}; read once\n`);
  }
  // audit.log.2 beside audit.log.2.gz is most often one rotation kept twice, as written and
  // compressed: its records would be counted twice (and its events joined, as repeats of
  // the same serials), so say so rather than guess which one to drop.
  // Compared as the files they are (links and linked folders followed), as distinctLogFiles
  // compares them; a pipe or '-' has no such twin.
  const realPath = (input: string) => {
    try {
      return input === '-' ? undefined : realpathSync(input);
    } catch {
      return undefined;
    }
  };
  const given = new Map<string, string>();
  for (const input of distinct.inputs) {
    const real = realPath(input);
    if (real !== undefined) given.set(real, input);
  }
  for (const input of distinct.inputs) {
    const real = realPath(input);
    const gz = real === undefined ? undefined : /\.gz$/i.exec(real);
    const written = gz ? given.get(real!.slice(0, gz.index)) : undefined;
    if (written !== undefined) {
      io.stderr(`auditd-tools noise: note: ${terminalSafe(written)} and ` +
        `${terminalSafe(input)} are both read;\n  if one is the other compressed, its ` +
        'records are counted twice: name one of them\n');
    }
  }
  // A pipe (process substitution, a FIFO) cannot be sought: it is read as a stream, the way
  // '-' is, and may be gzip too.
  const inputs: LogInput[] = distinct.inputs.map((input) =>
    input === '-' || statSync(input).isFile() ? input
      : { name: input, stream: gunzippedIfCompressed(createReadStream(input)) });
  let report: NoiseReport;
  try {
    report = await analyzeLogs(inputs, {
      maxLogFileMB: parsed.maxLogFileMB,
      version: parsed.auditVersion,
      // A gzip stream on standard input is read like a .gz file (its magic bytes tell).
      stdin: inputs.includes('-') ? gunzippedIfCompressed(io.stdin ?? process.stdin)
        : undefined,
    });
  } catch (error) {
    // A log that cannot be read (permissions, a damaged .gz): say which and why.
    const { code, path } = error as NodeJS.ErrnoException;
    if (code === undefined) throw error;
    io.stderr(`auditd-tools noise: ${unreadableLog(path ?? parsed.logs.join(' '), error)}\n`);
    return 2;
  }
  // Input with lines but no audit record is not a log (a rules file, binary data): say so
  // in one line and fail, so a script notices. An empty input is an empty log.
  if (report.records === 0 && report.skippedLines > 0) {
    const names = inputs.map((input) => (input === '-' ? 'standard input' : input)).join(', ');
    const interpreted = report.format === 'ausearch-interpreted'
      ? '; it is interpreted `ausearch -i` output, give the raw log' : '';
    io.stderr(`auditd-tools noise: no audit records found in ${terminalSafe(names)} ` +
      `(${counted(report.skippedLines, 'line')} skipped${interpreted})\n`);
    return 1;
  }

  const suggested = suggestExclusions(report, {
    auditVersion: parsed.auditVersion,
    existingRules,
    placement: parsed.place,
    maxSuggestions: parsed.suggest,
  });
  report.suggestions = suggested.suggestions;

  if (parsed.format === 'json') {
    const rulesSummary = rulesInForce === undefined ? {}
      : { rulesInForce: { source: rulesInForce.source, rules: rulesInForce.rules.length,
        place: parsed.place, stopsAt: rulesInForce.stopsAt ?? null,
        rejected: rulesInForce.rejected, excludes: suggested.inForce ?? null },
        alreadyInForce: suggested.alreadyInForce };
    io.stdout(JSON.stringify({ ...jsonReport(report, parsed.top), ...rulesSummary,
      suggestionImpact: suggestionImpact(suggested) }, null, 2) + '\n');
  } else {
    io.stdout(textReport(report, { ...parsed, rulesInForce }) +
      suggestionSummary(suggested, report));
  }
  return 0;
}

/** The report as the CLI's JSON: every field but the profile, lists cut to --top. */
export function jsonReport(report: NoiseReport, top: number | undefined): object {
  const { profile: _profile, ...rest } = report;
  if (top === undefined) return rest;
  return {
    ...rest,
    byExe: rest.byExe.slice(0, top),
    bySyscall: rest.bySyscall.slice(0, top),
    byKey: rest.byKey.slice(0, top),
    byType: rest.byType.slice(0, top),
    byExeSyscall: rest.byExeSyscall.slice(0, top),
    byUid: rest.byUid.slice(0, top),
    byAuid: rest.byAuid.slice(0, top),
  };
}

/** The impact of every suggested rule together, for the JSON output. */
function suggestionImpact(suggested: SuggestionSet): object {
  const { perRule: _perRule, ...combined } = suggested.combined;
  return { ...combined, refused: suggested.refused };
}

// --- text ----------------------------------------------------------------------------

function size(bytes: number): string {
  if (bytes >= 1 << 30) return `${(bytes / (1 << 30)).toFixed(1)} GiB`;
  if (bytes >= 1 << 20) return `${(bytes / (1 << 20)).toFixed(1)} MiB`;
  if (bytes >= 1 << 10) return `${(bytes / (1 << 10)).toFixed(1)} KiB`;
  return `${bytes < 10 ? bytes.toFixed(1) : Math.round(bytes)} B`;
}

function share(part: number, whole: number): string {
  return whole === 0 ? '' : `${((part / whole) * 100).toFixed(1)}%`;
}

/** `1 event`, `2 events`: the count and the word, plural unless the count is one. */
function counted(count: number, word: string, plural = `${word}s`): string {
  return `${formatCount(count)} ${count === 1 ? word : plural}`;
}

/**
 * How often the log rotates, in the words every line of the report uses: a sparse log
 * (a few records over weeks) gets no projection of centuries.
 */
function rotationInterval(minutes: number): string {
  return minutes > 365 * 1440 ? 'less than once a year' : `every ${duration(minutes)}`;
}

function duration(minutes: number): string {
  if (minutes < 1) {
    const seconds = Math.round(minutes * 60);
    return seconds === 1 ? '1 second' : `${seconds} seconds`;
  }
  if (minutes < 120) return `${minutes.toFixed(1)} minutes`;
  if (minutes < 48 * 60) return `${(minutes / 60).toFixed(1)} hours`;
  return `${(minutes / 1440).toFixed(1)} days`;
}

/**
 * A table of log values. Every cell goes through `terminalSafe` before the widths are
 * measured: an executable or key from a log can hold ESC sequences (the kernel logs any
 * name, hex-encoded, and the reader decodes it).
 */
function table(headers: string[], rows: string[][], rightAligned: number): string {
  const shown = rows.map((row) => row.map(terminalSafe));
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...shown.map((row) => row[column].length)));
  const line = (cells: string[]) =>
    '  ' + cells.map((cell, column) => {
      if (column === cells.length - 1) return cell;
      return column < rightAligned ? cell.padStart(widths[column]) : cell.padEnd(widths[column]);
    }).join('  ');
  return [line(headers), ...shown.map(line)].join('\n') + '\n';
}

/** Lines of the text output; each is escaped for the terminal as it is added. */
class TextLines {
  private readonly lines: string[] = [];

  add(text: string): void {
    this.lines.push(`${terminalSafe(text)}\n`);
  }

  /** A block already made safe (a table). */
  addSafe(block: string): void {
    this.lines.push(block);
  }

  toString(): string {
    return this.lines.join('');
  }
}

function syscallLabel(row: { arch: string; number: number; name: string | undefined }): string {
  return `${row.name ?? `#${row.number}`} (${row.arch} ${row.number})`;
}

export function textReport(
  report: NoiseReport,
  options: Pick<NoiseArguments, 'top' | 'by'> & Partial<Pick<NoiseArguments, 'place'>>
    & { rulesInForce?: RulesInForce },
) {
  const top = options.top ?? 10;
  const out = new TextLines();
  const events = report.events;

  out.add(`${counted(report.records, 'record')}, ${counted(events, 'event')}, ` +
    `${size(report.bytes)} of records in ${report.files.length} ` +
    `file${report.files.length === 1 ? '' : 's'} (format: ${report.format})`);
  if (report.firstTime !== null) {
    out.add(`Time span: ${report.firstTime} to ${report.lastTime} ` +
      `(${duration(report.spanSeconds / 60)})`);
  }
  const rotation = report.rotation;
  if (rotation.minutesPerRotation !== null && rotation.bytesPerMinute !== null) {
    // A sparse log (a few records over weeks) has its rate per day, and no projection of
    // centuries.
    const rate = rotation.bytesPerMinute >= 1 ? `${size(rotation.bytesPerMinute)} per minute`
      : `${size(rotation.bytesPerMinute * 1440)} per day`;
    out.add(`At ${rate} the log rotates ${rotationInterval(rotation.minutesPerRotation)} ` +
      `(max_log_file = ${rotation.maxLogFileMB} MB)`);
  }
  if (report.lostRecords > 0 || report.restarts > 0) {
    out.add(`Lost serials: ${formatCount(report.lostRecords)}; auditd starts: ` +
      `${report.restarts}`);
  }
  if (report.skippedLines > 0) {
    const reasons = Object.entries(report.skippedByReason)
      .map(([reason, count]) => `${reason} ${formatCount(count)}`).join(', ');
    out.add(`Skipped ${report.skippedLines === 1 ? '1 line that is not an audit record'
      : `${formatCount(report.skippedLines)} lines that are not audit records`} ` +
      `(${reasons}):`);
    for (const sample of report.skippedSamples.slice(0, 5)) {
      out.add(`  ${sample.file}:${sample.line}: ${skipReasonText[sample.reason]}: ` +
        `${sample.text}`);
    }
  }

  const sections = options.by ? [options.by] : (['exe', 'syscall', 'key', 'type'] as Ranking[]);
  for (const section of sections) {
    out.add('');
    if (section === 'exe') {
      out.add(`Executables (events; log bytes)`);
      if (report.byExe.length === 0) out.add('  no event names an executable');
      else {
        out.addSafe(table(['events', 'share', 'bytes', 'executable'],
          report.byExe.slice(0, top).map((row) => [
            formatCount(row.events), share(row.events, events), size(row.bytes),
            row.exe + (row.deleted ? ' (deleted)' : ''),
          ]), 3));
      }
      // aureport lists these as "(null)"; the ranking leaves them out, so its shares would
      // not add up without this line.
      if (report.eventsWithoutExe > 0 && report.byExe.length > 0) {
        const without = report.eventsWithoutExe;
        out.add(`  not ranked: ${counted(without, 'event')} ` +
          `(${share(without, events).trim()}) that ${without === 1 ? 'names' : 'name'} ` +
          'no executable (exe=(null), or no record naming one)');
      }
    } else if (section === 'syscall') {
      out.add(`Syscalls (events)`);
      if (report.bySyscall.length === 0) out.add('  no event carries a syscall');
      else {
        out.addSafe(table(['events', 'share', 'syscall'],
          report.bySyscall.slice(0, top).map((row) => [
            formatCount(row.events), share(row.events, events), syscallLabel(row),
          ]), 2));
      }
    } else if (section === 'key') {
      out.add(`Keys (events)`);
      if (report.byKey.length === 0) out.add('  no event carries a key');
      else {
        out.addSafe(table(['events', 'share', 'key'], report.byKey.slice(0, top).map((row) => [
          formatCount(row.events), share(row.events, events), row.key,
        ]), 2));
      }
    } else if (section === 'type') {
      out.add(`Record types (records)`);
      if (report.byType.length === 0) out.add('  no record was read');
      else {
        out.addSafe(table(['records', 'share', 'type'], report.byType.slice(0, top).map((row) => [
          formatCount(row.records), share(row.records, report.records),
          row.knownAs ? `${row.type} (${row.knownAs})` : row.type,
        ]), 2));
      }
    } else {
      out.add(`Executable x syscall (events)`);
      if (report.byExeSyscall.length === 0) out.add('  no event names an executable and a syscall');
      else out.addSafe(table(['events', 'share', 'syscall', 'executable'],
        report.byExeSyscall.slice(0, top).map((row) => [
          formatCount(row.events), share(row.events, events), syscallLabel(row), row.exe,
        ]), 2));
    }
  }

  out.add('');
  out.add('Suggested exclusions');
  const inForce = options.rulesInForce;
  if (inForce) {
    const count = inForce.rules.length;
    out.add(`  Rules in force: ${inForce.source} (${count} rule${count === 1 ? '' : 's'}); ` +
      `each suggestion is simulated ${options.place === 'after' ? 'after' : 'before'} them`);
    if (inForce.stopsAt !== undefined) {
      out.add(`  auditctl stops loading them at ${terminalSafe(inForce.stopsAt)}: the rules ` +
        'after it are not in force (auditd-tools check says why)');
    }
    for (const line of inForce.rejected) {
      out.add(`  ${line.at} does not load, so it is not in force (${line.code}):`);
      out.add(`    ${line.message}`);
    }
  }
  if (report.suggestions.length === 0) out.add('  none');
  for (const suggestion of report.suggestions) {
    out.add(`  removes ${counted(suggestion.events, 'event')} ` +
      `(${share(suggestion.events, events)}), ${size(suggestion.bytes)}`);
    for (const rule of suggestion.rule.split('\n')) out.add(`    ${rule}`);
    for (const warning of suggestion.warnings) out.add(`    warning: ${warning}`);
    for (const note of (suggestion.notes as string[] | undefined) ?? []) {
      out.add(`    note: ${note}`);
    }
  }
  return out.toString();
}

/** What every suggested rule does together: events, bytes and the new rotation interval. */
export function suggestionSummary(suggested: SuggestionSet, report: NoiseReport): string {
  const out = new TextLines();
  const combined = suggested.combined;
  const inForce = suggested.inForce;
  for (const reason of suggested.alreadyInForce) out.add(`  already in force: ${reason}`);
  if (suggested.suggestions.length > 0) {
    out.add('');
    out.add(`All suggestions together remove ${counted(combined.events, 'event')} ` +
      `(${share(combined.events, report.events)}) and ${size(combined.bytes)} ` +
      `(${share(combined.bytes, report.bytes)})`);
    const before = combined.rotation.minutesPerRotationBefore;
    const after = combined.rotation.minutesPerRotationAfter;
    if (inForce !== undefined && inForce.bytes > 0) {
      inForceRotation(out, inForce, report, true);
    } else if (combined.bytes === 0 && before !== null) {
      out.add('  the log would rotate as often as before');
    } else if (before !== null && after !== null &&
      rotationInterval(after) === rotationInterval(before)) {
      const interval = rotationInterval(before);
      out.add(interval.startsWith('every ')
        ? `  the log would still rotate about ${interval}: the suggestions remove too few ` +
          'bytes to change that'
        : `  the log would still rotate ${interval}`);
    } else if (before !== null && after !== null) {
      out.add(`  the log would rotate ${rotationInterval(after)} instead of ` +
        `${rotationInterval(before)}`);
    } else if (before !== null) {
      out.add(`  the log would stop growing from these events`);
    }
    if (combined.undecidedEvents > 0) {
      out.add(`  ${counted(combined.undecidedEvents, 'event')} ` +
        `depend${combined.undecidedEvents === 1 ? 's' : ''} on facts the log does not keep; ` +
        'they are counted as staying');
    }
    out.add('  Put the never rules above the always rules they pre-empt (first match wins),');
    out.add('  for example in /etc/audit/rules.d/20-exclusions.rules.');
  }
  if (suggested.suggestions.length === 0 && suggested.alreadyInForce.length > 0 &&
    inForce !== undefined && inForce.bytes > 0) {
    out.add('');
    out.add('No suggestion is left: the rules in force already exclude what would be suggested');
    inForceRotation(out, inForce, report, false);
  }
  // A reason that names its executable says "no rule for" itself.
  for (const reason of suggested.refused) {
    out.add(reason.startsWith('no rule for ') ? `  ${reason}` : `  no rule: ${reason}`);
  }
  return out.toString();
}

/**
 * The rotation with the rules in force loaded: the log holds events they exclude, so it was
 * recorded without them, and its own interval is not the one they would give.
 */
function inForceRotation(
  out: TextLines,
  inForce: InForceExclusion,
  report: NoiseReport,
  withSuggestions: boolean,
): void {
  out.add(`  the rules in force exclude ${counted(inForce.events, 'event')} ` +
    `(${share(inForce.events, report.events)}) and ${size(inForce.bytes)} ` +
    `(${share(inForce.bytes, report.bytes)}) of this log;`);
  out.add('  it was recorded without them');
  const asRecorded = report.rotation.minutesPerRotation;
  if (asRecorded === null) return;
  const loaded = inForce.minutesPerRotation;
  const rotation = loaded === null ? 'with them the log would stop growing from these events'
    : `with them the log would rotate ${rotationInterval(loaded)} instead of ` +
      `${rotationInterval(asRecorded)} as recorded`;
  if (!withSuggestions) {
    out.add(`  ${rotation}`);
    return;
  }
  const both = inForce.withSuggestions.minutesPerRotation;
  if (loaded !== null && both !== null && rotationInterval(both) === rotationInterval(loaded)) {
    out.add(`  ${rotation}; the suggestions would not change that much`);
  } else {
    out.add(`  ${rotation};`);
    out.add(both === null ? '  with the suggestions too it would stop growing from these events'
      : `  with the suggestions too, ${rotationInterval(both)}`);
  }
}
