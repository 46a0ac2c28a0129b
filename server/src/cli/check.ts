/**
 * `auditd-tools check [--format text|json|sarif] [--audit-version 3.0.9|4.2] [--arch ARCH]
 * PATH...`: checks rules files as auditctl would load them. A directory is read the way
 * augenrules reads /etc/audit/rules.d: its *.rules files in `sort -V` order, as one stream.
 * Exit status: 0 no error, 1 errors, 2 bad usage or unreadable input.
 */
import { closeSync, openSync, readSync, readdirSync, statSync, type Stats } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { codeDocumentation, codeInfo, diagnostic } from '../rules/codes';
import { lineRange, type RuleDiagnostic, type Severity } from '../rules/diagnostics';
import { checkRuleset, type RulesFileText } from '../rules/ruleset';
import { isAugenrulesName } from '../rules/rulesetOrder';
import { auditVersions, defaultAuditVersion, machines, type AuditVersion } from '../tables';
import { archMachine, parseCommandArgs } from './arguments';
import type { Command, CommandIo } from './io';
import { sourceExcerpt, terminalSafe } from './terminalText';

export const checkUsage = `usage: auditd-tools check [--format text|json|sarif]
         [--audit-version 3.0.9|4.2] [--arch ARCH] [--hints] PATH...

Checks audit rules as auditctl (and the kernel) would load them. PATH is a rules file, or
a rules.d directory read as augenrules reads it (*.rules in version order, one stream).
A PATH of - reads one rules file from the standard input. --arch is the machine that
loads the rules (default x86_64). --hints also shows hints (things only the target host
can tell, such as paths that must exist there).

Exit status: 0 no error, 1 errors found, 2 bad usage or unreadable input.`;

type Format = 'text' | 'json' | 'sarif';

interface CheckedInput {
  /** The files read, in load order, with their text. */
  files: RulesFileText[];
  diagnostics: RuleDiagnostic[];
}

/** One diagnostic as the JSON output prints it (1-based lines and columns). */
export interface JsonDiagnostic {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: Severity;
  code: string;
  message: string;
}

async function runCheck(args: readonly string[], io: CommandIo): Promise<number> {
  const parsed = parseCommandArgs(checkCommand, args, {
    format: { type: 'string', default: 'text' },
    'audit-version': { type: 'string', default: defaultAuditVersion },
    arch: { type: 'string', default: 'x86_64' },
    hints: { type: 'boolean', default: false },
  }, io);
  if (!parsed) return 2;

  const format = parsed.values.format as Format;
  if (!['text', 'json', 'sarif'].includes(format)) {
    io.stderr(`auditd-tools check: --format takes text, json or sarif, not "${format}"\n`);
    return 2;
  }
  const version = parsed.values['audit-version'] as AuditVersion;
  if (!auditVersions.includes(version)) {
    io.stderr(`auditd-tools check: --audit-version takes ${auditVersions.join(' or ')}, ` +
      `not "${version}"\n`);
    return 2;
  }
  const hostMachine = archMachine(parsed.values.arch!, version);
  if (!hostMachine) {
    const newer = auditVersions.find((other) => archMachine(parsed.values.arch!, other));
    io.stderr(newer
      ? `auditd-tools check: --arch ${terminalSafe(parsed.values.arch!)} needs ` +
        `--audit-version ${newer} (auditctl ${version} does not know it)\n`
      : `auditd-tools check: unknown --arch "${terminalSafe(parsed.values.arch!)}" (one of ` +
        `${machines.join(', ')})\n`);
    return 2;
  }
  if (parsed.positionals.length === 0) {
    io.stderr(`auditd-tools check: name at least one rules file or rules.d directory\n\n` +
      `${checkUsage}\n`);
    return 2;
  }

  const inputs: CheckedInput[] = [];
  const notRead: string[] = [];
  for (const path of parsed.positionals) {
    const input = path === '-' ? await readStandardInput(io) : readInput(path);
    if (typeof input === 'string') {
      io.stderr(`auditd-tools check: ${terminalSafe(input)}\n`);
      return 2;
    }
    if (input.directory && (input.names?.length ?? 0) === 0) {
      // Nothing to check is a mistake in the command (a typo, the wrong folder), not a pass.
      io.stderr(`auditd-tools check: ${terminalSafe(path)} holds no *.rules file\n`);
      return 2;
    }
    for (const file of input.notChecked ?? []) notRead.push(file);
    if (!input.directory && looksLikeAuditLog(input.files[0]?.text ?? '')) {
      // One line instead of an error on every line of the log.
      io.stderr(`auditd-tools check: ${terminalSafe(path)} is an audit log, not a rules ` +
        'file (its first line is an audit record): auditd-tools noise reads logs\n');
      return 1;
    }
    const result = checkRuleset(input.files, {
      auditVersion: version,
      hostMachine,
      mode: input.directory ? 'augenrules' : 'file',
    });
    const diagnostics = [...input.fileDiagnostics, ...result.diagnostics]
      .filter((entry) => parsed.values.hints || entry.severity !== 'hint')
      .map((entry) => ({ ...entry, file: entry.file ?? input.files[0]?.file }));
    const order = new Map(result.files.map((file, index) => [file, index]));
    diagnostics.sort((a, b) =>
      (order.get(a.file!) ?? 0) - (order.get(b.file!) ?? 0) ||
      a.range.start.line - b.range.start.line ||
      a.range.start.character - b.range.start.character);
    const byName = new Map(input.files.map((file) => [file.file, file]));
    inputs.push({
      files: result.files.map((file) => byName.get(file)!).filter(Boolean),
      diagnostics,
    });
  }

  const all = inputs.flatMap((input) => input.diagnostics);
  if (format === 'json') await writeJsonReport(all, io);
  else if (format === 'sarif') await writeSarifReport(all, io);
  else await writeTextReport(inputs, io, notRead.length);

  if (notRead.length > 0) {
    // The verdicts above stand, but the check is partial: an input error, as for a file
    // named on the command line that cannot be read.
    io.stderr(`auditd-tools check: ${notRead.length === 1 ? '1 file was' : `${notRead.length} ` +
      'files were'} not read: ${notRead.map((file) => terminalSafe(file)).join(', ')}\n`);
    return 2;
  }
  return all.some((entry) => entry.severity === 'error') ? 1 : 0;
}

/** The most a rules file is read to; anything longer is not a rules file (/dev/zero). */
const maxRulesFileBytes = 64 * 1024 * 1024;

/**
 * A rules file's text, read in chunks so that a device or a pipe that never ends (check
 * /dev/zero) stops at the limit instead of filling memory.
 */
function readRulesFile(file: string): string {
  const descriptor = openSync(file, 'r');
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.alloc(Math.min(1024 * 1024, maxRulesFileBytes + 1 - total));
      const count = readSync(descriptor, chunk, 0, chunk.length, null);
      if (count === 0) break;
      chunks.push(count === chunk.length ? chunk : chunk.subarray(0, count));
      total += count;
      if (total > maxRulesFileBytes) throw new Error('it is larger than 64 MiB: not a rules file');
    }
    return Buffer.concat(chunks, total).toString('utf8');
  } finally {
    closeSync(descriptor);
  }
}

/** `-` names the standard input: one rules file, read to the same limit as a file. */
async function readStandardInput(io: CommandIo): Promise<ReadInput | string> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of io.stdin ?? process.stdin) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    chunks.push(bytes);
    total += bytes.length;
    if (total > maxRulesFileBytes) {
      return 'cannot read the standard input: it is larger than 64 MiB: not a rules file';
    }
  }
  const text = Buffer.concat(chunks, total).toString('utf8');
  return { directory: false, files: [{ file: '<stdin>', text }], fileDiagnostics: [] };
}

/** Why a rules.d entry cannot be read, in a few words. */
function unreadableReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'a symbolic link to nothing';
  if (code === 'EACCES') return 'permission denied';
  if (code === 'ELOOP') return 'a loop of symbolic links';
  return (error as Error).message;
}

export interface ReadInput {
  directory: boolean;
  /** A folder's entries that augenrules lists (`*.rules`), checked or not. */
  names?: string[];
  files: RulesFileText[];
  /** Files of a folder that could not be read here: the check of the folder is partial. */
  notChecked?: string[];
  /**
   * Diagnostics on whole files, found while reading them: rules.d entries augenrules
   * lists but cannot read, and files any user may write.
   */
  fileDiagnostics: RuleDiagnostic[];
}

/** Whether a file's first line that is not blank is an audit record (type=... msg=audit(). */
function looksLikeAuditLog(text: string): boolean {
  const first = /^[ \t]*\S[^\n]*/m.exec(text)?.[0] ?? '';
  return /^(node=\S+ )?type=\S+ msg=audit\(/.test(first.trimStart());
}

/** A file, or a rules.d directory's *.rules files (checkRuleset puts them in order). */
export function readInput(path: string): ReadInput | string {
  let stats;
  try {
    stats = statSync(path);
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    const reason = missing ? 'no such file or directory' : unreadableReason(error);
    return `cannot read ${path}: ${reason}`;
  }

  if (!stats.isDirectory()) {
    try {
      const files = [{ file: path, text: readRulesFile(path) }];
      return { directory: false, files, fileDiagnostics: worldWritable(path, stats, 'file') };
    } catch (error) {
      return `cannot read ${path}: ${unreadableReason(error)}`;
    }
  }

  let names: string[];
  try {
    names = readdirSync(path).filter(isAugenrulesName);
  } catch (error) {
    return `cannot read ${path}: ${unreadableReason(error)}`;
  }
  const files: RulesFileText[] = [];
  const fileDiagnostics: RuleDiagnostic[] = [];
  const notChecked: string[] = [];
  for (const name of names) {
    const file = join(path, name);
    let entry: Stats;
    try {
      entry = statSync(file);
    } catch (error) {
      // augenrules's cat fails on a link to nothing, and the other files still load.
      fileDiagnostics.push(diagnostic('unreadable-rules-file', lineRange(0, 0, 0), {
        reason: unreadableReason(error),
      }, { file }));
      continue;
    }
    if (entry.isDirectory()) {
      // augenrules lists it by name, and its cat fails on it.
      fileDiagnostics.push(diagnostic('unreadable-rules-file', lineRange(0, 0, 0), {
        reason: 'a directory',
      }, { file }));
      continue;
    }
    if (!entry.isFile()) continue;
    try {
      files.push({ file, text: readRulesFile(file) });
      fileDiagnostics.push(...worldWritable(file, entry, 'augenrules'));
    } catch (error) {
      // Unreadable here (another user, a file too large to be rules), not for augenrules:
      // it runs as root and copies whatever the file holds.
      notChecked.push(file);
      fileDiagnostics.push(diagnostic('rules-file-not-checked', lineRange(0, 0, 0), {
        reason: unreadableReason(error),
      }, { file }));
    }
  }
  return { directory: true, names, files, fileDiagnostics, notChecked };
}

/**
 * A rules file any user may write: whoever can edit it decides what is audited after the
 * next load. `auditctl -R` refuses such a file outright (an error for a file checked on
 * its own); augenrules copies a rules.d file into audit.rules without looking (a warning).
 */
function worldWritable(file: string, stats: Stats, mode: 'file' | 'augenrules'): RuleDiagnostic[] {
  if ((stats.mode & 0o002) === 0) return [];
  return [diagnostic('world-writable-rules-file', lineRange(0, 0, 0), { file }, {
    file,
    severity: mode === 'file' ? 'error' : 'warning',
    withoutAuditctlText: mode === 'augenrules',
  })];
}

export function jsonDiagnostic(entry: RuleDiagnostic): JsonDiagnostic {
  return {
    file: entry.file ?? '',
    line: entry.range.start.line + 1,
    column: entry.range.start.character + 1,
    endLine: entry.range.end.line + 1,
    endColumn: entry.range.end.character + 1,
    severity: entry.severity,
    code: entry.code,
    message: entry.message,
  };
}

/**
 * Collects output and writes it in pieces of about 64 KiB. A file of junk gets several
 * diagnostics per line, each printed with its line: made as one string, the report of a
 * 50 MB file took more memory than the process had.
 */
class ChunkedWriter {
  private pending: string[] = [];
  private size = 0;

  constructor(private readonly io: Pick<CommandIo, 'stdout' | 'stdoutReady'>) {}

  /** Adds a line; once a piece is full, writes it and waits until stdout takes more. */
  async line(text: string): Promise<void> {
    this.pending.push(text);
    this.size += text.length + 1;
    if (this.size >= 64 * 1024) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    this.io.stdout(`${this.pending.join('\n')}\n`);
    this.pending = [];
    this.size = 0;
    await this.io.stdoutReady?.();
  }
}

/**
 * The items of a JSON array as JSON.stringify(..., null, 2) writes them inside a document,
 * at `indent` spaces, one item made and written at a time.
 */
async function writeJsonItems(
  out: ChunkedWriter,
  count: number,
  indent: string,
  item: (index: number) => unknown,
): Promise<void> {
  for (let index = 0; index < count; index++) {
    const text = JSON.stringify(item(index), null, 2).replace(/\n/g, `\n${indent}`);
    await out.line(`${indent}${text}${index + 1 < count ? ',' : ''}`);
  }
}

/** The JSON array JSON.stringify(all, null, 2) makes, written entry by entry. */
async function writeJsonReport(all: RuleDiagnostic[], io: CommandIo): Promise<void> {
  if (all.length === 0) {
    io.stdout('[]\n');
    return;
  }
  const out = new ChunkedWriter(io);
  await out.line('[');
  await writeJsonItems(out, all.length, '  ', (index) => jsonDiagnostic(all[index]));
  await out.line(']');
  await out.flush();
}

/** Compiler-style text: `file:line:col: severity code: message`, the line, a caret. */
async function writeTextReport(
  inputs: CheckedInput[],
  io: CommandIo,
  notRead: number,
): Promise<void> {
  const out = new ChunkedWriter(io);
  const counts: Record<Severity, number> = { error: 0, warning: 0, information: 0, hint: 0 };
  let fileCount = 0;

  for (const input of inputs) {
    fileCount += input.files.length;
    const linesOf = new Map(input.files.map((file) => [file.file, file.text.split('\n')]));
    for (const entry of input.diagnostics) {
      counts[entry.severity]++;
      const { start, end } = entry.range;
      await out.line(terminalSafe(`${entry.file}:${start.line + 1}:${start.character + 1}: ` +
        `${entry.severity} ${entry.code}: ${entry.message}`));
      const source = linesOf.get(entry.file ?? '')?.[start.line];
      if (source === undefined) continue;
      const line = source.replace(/\r$/, '');
      const lastColumn = start.line === end.line ? end.character : line.length;
      const excerpt = sourceExcerpt(line, start.character, lastColumn);
      await out.line(`  ${excerpt.text}`);
      await out.line(`  ${excerpt.indent}^${'~'.repeat(excerpt.width - 1)}`);
    }
  }

  const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;
  await out.line(`${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')}, ` +
    `${plural(counts.information + counts.hint, 'note')} in ${plural(fileCount, 'file')}` +
    (notRead > 0 ? ` (${notRead} not read)` : ''));
  await out.flush();
}

const sarifLevels: Record<Severity, 'error' | 'warning' | 'note'> = {
  error: 'error', warning: 'warning', information: 'note', hint: 'note',
};

/**
 * Where a file is, for SARIF: relative to the working directory (SRCROOT, the checkout
 * code scanning runs in) when it is below it, else an absolute file: URI. SARIF wants URIs
 * with their segments escaped, and absolute ones where no base is named.
 */
function sarifArtifact(file: string, root: string): { uri: string; uriBaseId?: string } {
  if (file === '<stdin>') return { uri: 'stdin' };
  const absolute = resolve(file);
  const below = relative(root, absolute);
  if (below !== '' && !below.startsWith('..') && !isAbsolute(below)) {
    return { uri: below.split(sep).map(encodeURIComponent).join('/'), uriBaseId: 'SRCROOT' };
  }
  return { uri: pathToFileURL(absolute).href };
}

/** SARIF 2.1.0 for code scanning: one run, the code table as the rules. */
export function sarifLog(diagnostics: RuleDiagnostic[], root = process.cwd()): object {
  const frame = sarifFrame(diagnostics, root);
  frame.runs[0].results = diagnostics.map((entry) => sarifResult(entry, frame.ruleIndex, root));
  return { $schema: frame.$schema, version: frame.version, runs: frame.runs };
}

/** The SARIF log without its results: the rules of the codes used, and where paths start. */
function sarifFrame(diagnostics: readonly RuleDiagnostic[], root: string) {
  const used = [...new Set(diagnostics.map((entry) => entry.code))];
  const rules = used.map((code) => {
    const info = codeInfo(code);
    return {
      id: code,
      name: info.title,
      shortDescription: { text: info.title },
      // The page of each code ships with the tool (no web address of its own): named here.
      help: { text: `${info.title}. More in ${codeDocumentation(code)} of auditd-tools.` },
      defaultConfiguration: { level: sarifLevels[info.severity] },
    };
  });
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'auditd-tools',
          version: '0.1.0',
          rules,
        },
      },
      originalUriBaseIds: { SRCROOT: { uri: pathToFileURL(`${resolve(root)}${sep}`).href } },
      results: [] as object[],
    }],
    ruleIndex: new Map(used.map((code, index) => [code, index])),
  };
}

function sarifResult(entry: RuleDiagnostic, ruleIndex: Map<string, number>, root: string) {
  return {
    ruleId: entry.code,
    ruleIndex: ruleIndex.get(entry.code),
    level: sarifLevels[entry.severity],
    message: { text: entry.message },
    locations: [{
      physicalLocation: {
        artifactLocation: sarifArtifact(entry.file ?? '<stdin>', resolve(root)),
        region: {
          startLine: entry.range.start.line + 1,
          startColumn: entry.range.start.character + 1,
          endLine: entry.range.end.line + 1,
          endColumn: entry.range.end.character + 1,
        },
      },
    }],
  };
}

/**
 * The text JSON.stringify(sarifLog(...), null, 2) makes, its results written one by one
 * (see ChunkedWriter): the frame is made with no results, and they go where its empty list
 * stands (the last key of the run).
 */
async function writeSarifReport(diagnostics: RuleDiagnostic[], io: CommandIo): Promise<void> {
  const root = process.cwd();
  const frame = sarifFrame(diagnostics, root);
  const text = JSON.stringify({ $schema: frame.$schema, version: frame.version, runs: frame.runs },
    null, 2);
  if (diagnostics.length === 0) {
    io.stdout(`${text}\n`);
    return;
  }
  const emptyResults = '"results": []';
  const at = text.lastIndexOf(emptyResults);
  const out = new ChunkedWriter(io);
  await out.line(`${text.slice(0, at)}"results": [`);
  await writeJsonItems(out, diagnostics.length, '        ',
    (index) => sarifResult(diagnostics[index], frame.ruleIndex, root));
  await out.line(`      ]${text.slice(at + emptyResults.length)}`);
  await out.flush();
}

export const checkCommand: Command = {
  name: 'check',
  summary: 'check audit rules files as auditctl and the kernel would load them',
  usage: checkUsage,
  run: runCheck,
};
