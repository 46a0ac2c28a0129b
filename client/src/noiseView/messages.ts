// The messages exchanged between the noise view's webview and the extension, both ways.
// The webview is fed attacker-controlled log content, so nothing it sends is trusted:
// parseWebviewMessage checks every field's type and bound and rejects unknown fields
// before the extension looks at a message. This file has no `vscode` import so the
// webview bundle and the unit tests can share it.
import type { ViewReport, RulesPreview, SampleRecord } from './viewReport';

/** What the user picked in the tables; every name must also be present in the report. */
export interface NoiseSelection {
  exes: string[];
  /** Syscalls chosen under one exe in the drill-down: "exe" -> syscall names. */
  exeSyscalls: Array<{ exe: string; syscalls: string[] }>;
  keys: string[];
  types: string[];
  /** mdatp reports: process paths. */
  paths: string[];
}

export type WebviewMessage =
  | { command: 'ready' }
  | { command: 'selectionChanged'; selection: NoiseSelection }
  | { command: 'insertRules' }
  | { command: 'copyRules' }
  | { command: 'openRules' }
  | { command: 'openRecord'; source: number; line: number }
  | { command: 'requestSamples'; exe: string; syscall?: string; key?: string }
  | { command: 'refresh' }
  | { command: 'setMaxLogFile'; megabytes: number };

export type ExtensionMessage =
  | { command: 'progress'; percent: number; bytesRead: number; totalBytes: number }
  | { command: 'report'; report: ViewReport; files: string[] }
  | { command: 'preview'; preview: RulesPreview }
  | { command: 'samples'; exe: string; syscall?: string; key?: string;
      samples: SampleRecord[] }
  | { command: 'logChanged'; files: string[] }
  | { command: 'error'; message: string };

export type ParsedMessage =
  | { ok: true; message: WebviewMessage }
  | { ok: false; error: string };

export const noiseViewType = 'auditd.noiseView';

/** The part of the webview's saved state the panel reads back after a reload. */
export interface SavedPanelState {
  files: string[];
  maxLogFileMb: number;
}

/** Reads the webview's saved state without trusting its shape. */
export function savedPanelState(state: unknown): SavedPanelState | undefined {
  if (typeof state !== 'object' || state === null) return undefined;
  const { files, maxLogFileMb } = state as Record<string, unknown>;
  if (!Array.isArray(files) || files.length === 0 || files.length > 1000) return undefined;
  if (!files.every((f) => typeof f === 'string' && f.startsWith('file:'))) return undefined;
  const size = typeof maxLogFileMb === 'number' && Number.isInteger(maxLogFileMb)
    && maxLogFileMb > 0 ? maxLogFileMb : 8;
  return { files: files as string[], maxLogFileMb: size };
}

/** Longest name accepted from the webview: PATH_MAX plus room for a decoded suffix. */
const maxNameLength = 4200;
const maxListLength = 5000;

type Fields = Record<string, unknown>;

class MessageError extends Error {}

function expectRecord(value: unknown, where: string): Fields {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new MessageError(`${where} must be an object`);
  }
  return value as Fields;
}

function expectOnly(fields: Fields, allowed: readonly string[], where: string): void {
  for (const name of Object.keys(fields)) {
    if (!allowed.includes(name)) throw new MessageError(`${where} has unknown field "${name}"`);
  }
}

function expectName(value: unknown, where: string): string {
  if (typeof value !== 'string') throw new MessageError(`${where} must be a string`);
  if (value.length === 0 || value.length > maxNameLength) {
    throw new MessageError(`${where} must be 1 to ${maxNameLength} characters long`);
  }
  return value;
}

function expectNames(value: unknown, where: string): string[] {
  if (!Array.isArray(value)) throw new MessageError(`${where} must be an array`);
  if (value.length > maxListLength) {
    throw new MessageError(`${where} has more than ${maxListLength} entries`);
  }
  return value.map((item, index) => expectName(item, `${where}[${index}]`));
}

function expectInteger(value: unknown, where: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new MessageError(`${where} must be an integer from ${min} to ${max}`);
  }
  return value;
}

function parseSelection(value: unknown): NoiseSelection {
  const fields = expectRecord(value, 'selection');
  const names = ['exes', 'exeSyscalls', 'keys', 'types', 'paths'] as const;
  expectOnly(fields, names, 'selection');

  const exeSyscallsValue = fields.exeSyscalls ?? [];
  if (!Array.isArray(exeSyscallsValue) || exeSyscallsValue.length > maxListLength) {
    throw new MessageError(`selection.exeSyscalls must be an array of at most ${maxListLength}`);
  }
  const exeSyscalls = exeSyscallsValue.map((item, index) => {
    const where = `selection.exeSyscalls[${index}]`;
    const entry = expectRecord(item, where);
    expectOnly(entry, ['exe', 'syscalls'], where);
    return {
      exe: expectName(entry.exe, `${where}.exe`),
      syscalls: expectNames(entry.syscalls, `${where}.syscalls`),
    };
  });

  return {
    exes: expectNames(fields.exes ?? [], 'selection.exes'),
    exeSyscalls,
    keys: expectNames(fields.keys ?? [], 'selection.keys'),
    types: expectNames(fields.types ?? [], 'selection.types'),
    paths: expectNames(fields.paths ?? [], 'selection.paths'),
  };
}

function parseFields(command: string, fields: Fields): WebviewMessage {
  switch (command) {
    case 'ready':
    case 'insertRules':
    case 'copyRules':
    case 'openRules':
    case 'refresh':
      expectOnly(fields, ['command'], command);
      return { command };

    case 'selectionChanged':
      expectOnly(fields, ['command', 'selection'], command);
      return { command, selection: parseSelection(fields.selection) };

    case 'openRecord':
      expectOnly(fields, ['command', 'source', 'line'], command);
      return {
        command,
        source: expectInteger(fields.source, 'openRecord.source', 0, 10_000),
        line: expectInteger(fields.line, 'openRecord.line', 1, Number.MAX_SAFE_INTEGER),
      };

    case 'requestSamples': {
      expectOnly(fields, ['command', 'exe', 'syscall', 'key'], command);
      const message: WebviewMessage = {
        command, exe: expectName(fields.exe, 'requestSamples.exe'),
      };
      if (fields.syscall !== undefined) {
        message.syscall = expectName(fields.syscall, 'requestSamples.syscall');
      }
      if (fields.key !== undefined) message.key = expectName(fields.key, 'requestSamples.key');
      return message;
    }

    case 'setMaxLogFile':
      expectOnly(fields, ['command', 'megabytes'], command);
      return {
        command,
        megabytes: expectInteger(fields.megabytes, 'setMaxLogFile.megabytes', 1, 1_000_000),
      };

    default:
      throw new MessageError(`unknown command "${command.slice(0, 40)}"`);
  }
}

/** Checks a message posted by the webview; only a message that passes is acted on. */
export function parseWebviewMessage(value: unknown): ParsedMessage {
  try {
    const fields = expectRecord(value, 'message');
    if (typeof fields.command !== 'string') {
      throw new MessageError('message.command must be a string');
    }
    return { ok: true, message: parseFields(fields.command, fields) };
  } catch (error) {
    if (error instanceof MessageError) return { ok: false, error: error.message };
    throw error;
  }
}
