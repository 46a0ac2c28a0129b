/**
 * Reads the output of `mdatp diagnostic real-time-protection-statistics --output json`
 * (Microsoft Defender for Endpoint on Linux): a "counters" array with one entry per
 * process, each with id, name, path, a count of files scanned and scan-time fields.
 * Values come as numbers or as strings of digits, and the field names have been seen in
 * snake_case (total_files_scanned) and camelCase (totalFilesScanned); both are read.
 *
 * Processes are ranked by files scanned, grouped by executable path, and each path gets
 * the command that excludes it: `mdatp exclusion process add --path <path>`, with the
 * same safety warnings as an audit exclusion (an interpreter, a login program ...).
 */
import { SafetyWarning, safetyWarnings } from './safety';

export interface MdatpProcess {
  id: string;
  name: string;
  path: string | undefined;
  filesScanned: number;
  /** Scan-time fields as given (names as in the input), converted to numbers. */
  scanTimes: Record<string, number>;
}

export interface MdatpPathRank {
  /** The executable path, or undefined for processes the statistics give no path for. */
  path: string | undefined;
  /** Process names seen for the path, in order of appearance. */
  names: string[];
  /** Process ids counted under the path. */
  ids: string[];
  filesScanned: number;
  /** Share of all files scanned, 0..1. */
  share: number;
  /** Per scan-time field: the sum, the maximum (max* fields) or the weighted mean (avg*). */
  scanTimes: Record<string, number>;
  /** The shell command that excludes the path, when one can be written. */
  command?: string;
  /** Why no command is given. */
  refused?: string;
  /** Among the busiest paths a suggestion is made for (see MdatpOptions). */
  suggested: boolean;
  warnings: SafetyWarning[];
}

export interface MdatpOptions {
  /** Paths that get a suggested exclusion, busiest first (default 3, as for audit logs). */
  maxSuggestions?: number;
  /** Smallest share of the files scanned worth a suggestion (default 0.01). */
  minShare?: number;
}

export interface MdatpProblem {
  message: string;
  /** 1-based line and column in the input, when the problem has a place. */
  line?: number;
  column?: number;
  /** Index of the counter entry concerned. */
  counter?: number;
}

export interface MdatpReport {
  processes: number;
  totalFilesScanned: number;
  byPath: MdatpPathRank[];
  /** Entries that could not be read, and why; the rest of the input is still used. */
  problems: MdatpProblem[];
  /** Set when the input as a whole cannot be read (not JSON, no counters array). */
  error?: MdatpProblem;
}

const filesScannedNames = ['total_files_scanned', 'totalFilesScanned', 'files_scanned',
  'filesScanned'];

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

function parseError(text: string, error: unknown): MdatpProblem {
  const message = error instanceof Error ? error.message : String(error);
  const at = /position (\d+)/.exec(message);
  if (at) {
    const { line, column } = lineAndColumn(text, Number(at[1]));
    return { message: `not valid JSON: ${message}`, line, column };
  }
  const lineColumn = /line (\d+) column (\d+)/.exec(message);
  if (lineColumn) {
    return { message: `not valid JSON: ${message}`, line: Number(lineColumn[1]),
      column: Number(lineColumn[2]) };
  }
  return { message: `not valid JSON: ${message}` };
}

/** A count given as a number or as a string of digits; undefined for anything else. */
function countValue(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined;
  if (typeof value === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(value)) return Number(value);
  return undefined;
}

function textValue(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

function isScanTimeField(name: string): boolean {
  return /scan_?time/i.test(name) || /^(average|avg|max|min|total)_?.*time$/i.test(name);
}

function readCounter(entry: unknown, index: number, problems: MdatpProblem[])
  : MdatpProcess | undefined {
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
    problems.push({ message: `counters[${index}] is not an object`, counter: index });
    return undefined;
  }
  const record = entry as Record<string, unknown>;

  const filesName = filesScannedNames.find((n) => n in record);
  const filesScanned = filesName === undefined ? undefined : countValue(record[filesName]);
  if (filesScanned === undefined) {
    problems.push({
      message: filesName === undefined
        ? `counters[${index}] has no total_files_scanned`
        : `counters[${index}].${filesName} is not a count: ${JSON.stringify(record[filesName])}`,
      counter: index,
    });
    return undefined;
  }

  const scanTimes: Record<string, number> = {};
  for (const [name, value] of Object.entries(record)) {
    if (!isScanTimeField(name)) continue;
    const number = countValue(value);
    if (number === undefined) {
      problems.push({ message: `counters[${index}].${name} is not a number: ` +
        `${JSON.stringify(value)}`, counter: index });
      continue;
    }
    scanTimes[name] = number;
  }

  const path = textValue(record.path);
  return {
    id: textValue(record.id) ?? `#${index}`,
    name: textValue(record.name) ?? '',
    path: path === undefined || path === '' ? undefined : path,
    filesScanned,
    scanTimes,
  };
}

/** The input's processes, or the reason it cannot be read. */
export function readMdatpProcesses(text: string)
  : { processes: MdatpProcess[]; problems: MdatpProblem[]; error?: MdatpProblem } {
  let data: unknown;
  try {
    data = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    return { processes: [], problems: [], error: parseError(text, error) };
  }
  const counters = data !== null && typeof data === 'object'
    ? (data as Record<string, unknown>).counters : undefined;
  if (!Array.isArray(counters)) {
    return { processes: [], problems: [], error: { message: 'no "counters" array: this is not ' +
      'the output of mdatp diagnostic real-time-protection-statistics --output json' } };
  }

  const problems: MdatpProblem[] = [];
  const processes: MdatpProcess[] = [];
  counters.forEach((entry, index) => {
    const process = readCounter(entry, index, problems);
    if (process) processes.push(process);
  });
  return { processes, problems };
}

/** Quotes a word for a POSIX shell when it needs it. */
export function shellWord(word: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

function exclusionCommand(path: string | undefined): { command?: string; refused?: string } {
  if (path === undefined) {
    return { refused: 'the statistics give no path for these processes' };
  }
  if (!path.startsWith('/')) return { refused: `${JSON.stringify(path)} is not an absolute path` };
  if (/[\x00-\x1f\x7f]/.test(path)) {
    return { refused: `${JSON.stringify(path)} contains a control character` };
  }
  return { command: `mdatp exclusion process add --path ${shellWord(path)}` };
}

function combineScanTimes(ranked: MdatpPathRank, process: MdatpProcess, before: number): void {
  for (const [name, value] of Object.entries(process.scanTimes)) {
    const current = ranked.scanTimes[name];
    if (current === undefined) {
      ranked.scanTimes[name] = value;
    } else if (/max/i.test(name)) {
      ranked.scanTimes[name] = Math.max(current, value);
    } else if (/min/i.test(name)) {
      ranked.scanTimes[name] = Math.min(current, value);
    } else if (/av(era)?g|mean/i.test(name)) {
      const total = before + process.filesScanned;
      ranked.scanTimes[name] = total === 0 ? current
        : (current * before + value * process.filesScanned) / total;
    } else {
      ranked.scanTimes[name] = current + value;
    }
  }
}

/** Ranks the processes of an mdatp statistics dump by files scanned, grouped by path. */
export function analyzeMdatpStatistics(text: string, options: MdatpOptions = {}): MdatpReport {
  const maxSuggestions = options.maxSuggestions ?? 3;
  const minShare = options.minShare ?? 0.01;
  const { processes, problems, error } = readMdatpProcesses(text);
  if (error) return { processes: 0, totalFilesScanned: 0, byPath: [], problems, error };

  const byPath = new Map<string, MdatpPathRank>();
  let total = 0;
  for (const process of processes) {
    total += process.filesScanned;
    const groupKey = process.path ?? `\u0000${process.name}`;
    let ranked = byPath.get(groupKey);
    if (!ranked) {
      ranked = { path: process.path, names: [], ids: [], filesScanned: 0, share: 0,
        scanTimes: {}, suggested: false, warnings: [] };
      byPath.set(groupKey, ranked);
    }
    const before = ranked.filesScanned;
    ranked.filesScanned += process.filesScanned;
    ranked.ids.push(process.id);
    if (process.name && !ranked.names.includes(process.name)) ranked.names.push(process.name);
    combineScanTimes(ranked, process, before);
  }

  const ranking = [...byPath.values()].sort((a, b) => b.filesScanned - a.filesScanned ||
    String(a.path ?? a.names[0]).localeCompare(String(b.path ?? b.names[0])));
  // Like the audit-log suggestions: only the busiest few, and none for a small share, where
  // an exclusion would gain little and hide a process (sudo, init) malware likes to be.
  let suggestions = 0;
  for (const ranked of ranking) {
    ranked.share = total === 0 ? 0 : ranked.filesScanned / total;
    ranked.suggested = suggestions < maxSuggestions && ranked.share >= minShare;
    if (ranked.suggested) suggestions++;
    Object.assign(ranked, exclusionCommand(ranked.path));
    if (ranked.path !== undefined) ranked.warnings = safetyWarnings({ exe: ranked.path });
  }
  return { processes: processes.length, totalFilesScanned: total, byPath: ranking, problems };
}

/** Whether a text looks like an mdatp statistics dump rather than an audit log. */
export function looksLikeMdatpStatistics(head: string): boolean {
  const start = head.replace(/^\uFEFF/, '').trimStart();
  return start.startsWith('{') && head.includes('"counters"');
}
