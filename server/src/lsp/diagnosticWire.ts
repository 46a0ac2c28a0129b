/**
 * The JSON text of diagnostic reports, written straight from the engine's diagnostics.
 *
 * A 10,000-line rules file reports thousands of diagnostics, and every pull sends all of
 * them. After a line is inserted at the top every one of them has moved, so nothing kept
 * by identity helps; what stays the same is each diagnostic's text after its range (its
 * severity, code, source, message and link). Over a stream transport (`--stdio`, the
 * transport the VS Code client starts the server with) the server writes its own JSON: the
 * text after the range is kept as UTF-8 bytes per message, and a report is one buffer of
 * ranges written as digits and kept tails copied in. No LSP object, string or buffer is
 * made per diagnostic, which before cost more than checking an edited file.
 *
 * The report travels as a `DiagnosticList`, whose `toJSON` gives the LSP diagnostics: any
 * other transport (`--node-ipc`, sockets) serialises it with JSON.stringify, and gets the
 * same text.
 */
import type { ContentTypeEncoder, Diagnostic, Message } from 'vscode-languageserver/node';
import { LineRange, type Range, type RuleDiagnostic } from '../rules/diagnostics';

/** How the server turns an engine diagnostic into its LSP form. */
export interface LspForms {
  /** The LSP diagnostic of `diagnostic` reported in the document `uri`. */
  lsp(uri: string, diagnostic: RuleDiagnostic): Diagnostic;
  /**
   * Whether the LSP form holds nothing beyond the range that does not follow from the
   * code, severity and message (no related places): only these take the kept tails.
   */
  plain(diagnostic: RuleDiagnostic): boolean;
}

/**
 * The diagnostics of one report (a pull's `items`, a push's `diagnostics`), as the engine
 * gave them. Its diagnostics must not change afterwards.
 */
export class DiagnosticList {
  constructor(
    readonly uri: string,
    readonly diagnostics: readonly RuleDiagnostic[],
    readonly forms: LspForms,
  ) {}

  /** What JSON.stringify writes: the LSP diagnostics. */
  toJSON(): Diagnostic[] {
    return this.diagnostics.map((diagnostic) => this.forms.lsp(this.uri, diagnostic));
  }
}

/** What a diagnostic's JSON holds after its range, kept for one message text. */
interface Tail {
  forms: LspForms;
  code: string;
  severity: string;
  bytes: Buffer;
}

/**
 * Tails by message text. A line inserted above moves every diagnostic below it: the
 * engine makes new objects with new ranges, but keeps their message strings.
 */
let tails = new Map<string, Tail>();
const tailLimit = 100_000;

function tailOf(list: DiagnosticList, diagnostic: RuleDiagnostic): Buffer {
  const { message, code, severity } = diagnostic;
  const tail = tails.get(message);
  if (tail !== undefined && tail.code === code && tail.severity === severity &&
    tail.forms === list.forms) {
    return tail.bytes;
  }

  const { range: _range, ...rest } = list.forms.lsp(list.uri, diagnostic);
  const bytes = Buffer.from(JSON.stringify(rest).slice(1));
  if (tails.size >= tailLimit) tails = new Map();
  tails.set(message, { forms: list.forms, code, severity, bytes });
  return bytes;
}

const rangeOpen = bytesOfAscii('{"range":{"start":{"line":');
const characterKey = bytesOfAscii(',"character":');
const endLineKey = bytesOfAscii('},"end":{"line":');
const rangeClose = bytesOfAscii('}},');

/** What comes before each of a range's four numbers. */
const rangeKeys = [rangeOpen, characterKey, endLineKey, characterKey];

function bytesOfAscii(text: string): Uint8Array {
  return Uint8Array.from(text, (character) => character.charCodeAt(0));
}

/** Whether JSON writes the number as plain digits: a whole number from 0 up. */
function isCount(number: number): boolean {
  return Number.isSafeInteger(number) && number >= 0;
}

function digitCount(number: number): number {
  let count = 1;
  while (number >= 10) {
    number = Math.floor(number / 10);
    count++;
  }
  return count;
}

/** The bytes every range writes besides its four numbers. */
const rangeTextLength =
  rangeOpen.length + 2 * characterKey.length + endLineKey.length + rangeClose.length;

/**
 * The JSON of the list's diagnostics, `[` to `]`, between `head` and `end`, as UTF-8 in
 * one buffer. A diagnostic is its range written as digits and its kept tail; one of
 * another shape (related places, a range JSON writes otherwise) is its whole JSON text.
 */
function listBytes(list: DiagnosticList, head: Buffer, end: Buffer): Buffer {
  const { diagnostics, forms, uri } = list;
  const count = diagnostics.length;

  // First the size: each diagnostic's numbers and tail (or whole text), in flat arrays
  // rather than an object per diagnostic.
  const numbers = new Float64Array(4 * count);
  const texts: Buffer[] = new Array(count);
  const whole = new Uint8Array(count);
  let size = head.length + 2 + Math.max(0, count - 1) + end.length;
  for (let i = 0; i < count; i++) {
    const diagnostic = diagnostics[i];
    const range = diagnostic.range;
    let startLine: number, startCharacter: number, endLine: number, endCharacter: number;
    if (range instanceof LineRange) {
      startLine = endLine = range.line;
      startCharacter = range.startCharacter;
      endCharacter = range.endCharacter;
    } else {
      startLine = range.start.line;
      startCharacter = range.start.character;
      endLine = range.end.line;
      endCharacter = range.end.character;
    }
    if (!forms.plain(diagnostic) || !isCount(startLine) || !isCount(startCharacter) ||
      !isCount(endLine) || !isCount(endCharacter)) {
      const text = Buffer.from(JSON.stringify(forms.lsp(uri, diagnostic)));
      texts[i] = text;
      whole[i] = 1;
      size += text.length;
      continue;
    }
    const tail = tailOf(list, diagnostic);
    texts[i] = tail;
    numbers[4 * i] = startLine;
    numbers[4 * i + 1] = startCharacter;
    numbers[4 * i + 2] = endLine;
    numbers[4 * i + 3] = endCharacter;
    size += rangeTextLength + digitCount(startLine) + digitCount(startCharacter) +
      digitCount(endLine) + digitCount(endCharacter) + tail.length;
  }

  // Then the bytes, written in place: the short constant parts byte by byte (a native
  // copy per part costs more than the loop for a few dozen bytes), the tails copied.
  const bytes = Buffer.allocUnsafe(size);
  let at = head.copy(bytes, 0);
  bytes[at++] = 0x5b; // [
  for (let i = 0; i < count; i++) {
    if (i > 0) bytes[at++] = 0x2c; // ,
    if (whole[i] === 0) {
      for (let part = 0; part < 4; part++) {
        const key = rangeKeys[part];
        for (let k = 0; k < key.length; k++) bytes[at++] = key[k];
        let number = numbers[4 * i + part];
        const after = at + digitCount(number);
        let k = after;
        do {
          const tens = Math.floor(number / 10);
          bytes[--k] = 48 + number - 10 * tens;
          number = tens;
        } while (number > 0);
        at = after;
      }
      for (let k = 0; k < rangeClose.length; k++) bytes[at++] = rangeClose[k];
    }
    const text = texts[i];
    bytes.set(text, at);
    at += text.length;
  }
  bytes[at++] = 0x5d; // ]
  at += end.copy(bytes, at);
  if (at !== size) throw new Error(`a diagnostic report took ${at} bytes, not ${size}`);
  return bytes;
}

const closing = Buffer.from('}}');

/**
 * Where a message carries a diagnostic list as the last key of its last key: a pull's
 * `result.items`, a push's `params.diagnostics`.
 */
const listPlaces = [['result', 'items'], ['params', 'diagnostics']] as const;

/**
 * A message as UTF-8 JSON, the same bytes JSON.stringify gives; a diagnostic list is
 * written from its kept tails.
 */
export function messageBytes(message: Message): Buffer {
  for (const [outer, inner] of listPlaces) {
    const holder = (message as unknown as Record<string, unknown>)[outer];
    if (typeof holder !== 'object' || holder === null) continue;
    const list = (holder as Record<string, unknown>)[inner];
    if (!(list instanceof DiagnosticList)) continue;
    const holderKeys = Object.keys(holder);
    const messageKeys = Object.keys(message);
    if (holderKeys[holderKeys.length - 1] !== inner ||
      messageKeys[messageKeys.length - 1] !== outer) {
      break;
    }

    // The text up to the list comes from JSON.stringify with an empty list in its place.
    const shell = JSON.stringify({ ...message, [outer]: { ...holder, [inner]: [] } });
    return listBytes(list, Buffer.from(shell.slice(0, -'[]}}'.length)), closing);
  }
  return Buffer.from(JSON.stringify(message));
}

/** The same as text (for reading back). */
export function messageText(message: Message): string {
  return messageBytes(message).toString('utf8');
}

/**
 * The encoder a stream transport's writer takes (vscode-jsonrpc's `contentTypeEncoder`).
 * vscode-jsonrpc writes UTF-8 only; another charset is encoded from the text.
 */
export const reportEncoder: ContentTypeEncoder = {
  name: 'application/json',
  encode: (message, options) => {
    const charset = options.charset.toLowerCase();
    if (charset === 'utf-8' || charset === 'utf8') return Promise.resolve(messageBytes(message));
    return Promise.resolve(Buffer.from(messageText(message), options.charset));
  },
};
