/**
 * The JSON text of diagnostic reports, kept between pulls.
 *
 * A 10,000-line rules file reports thousands of diagnostics, and after an edit inside one
 * line all but a few are the same objects as in the previous report (the engine reuses
 * the verdicts of unchanged lines). Serialising the whole report again took longer than
 * checking the file. Over a stream transport (`--stdio`, the transport the VS Code client
 * starts the server with) the server writes its own JSON: each diagnostic's text is kept
 * with the diagnostic as UTF-8 bytes, and a report is the kept bytes put together (joining
 * the texts into one string and encoding it cost as much again). The JSON is the same as
 * `JSON.stringify` gives, with the report's `items` written last.
 */
import type { ContentTypeEncoder, Diagnostic, Message } from 'vscode-languageserver/node';

/** Diagnostic lists built for a report: only these take the kept-text path. */
const reportLists = new WeakSet<readonly unknown[]>();

/**
 * The JSON of a diagnostic object written once, as UTF-8, kept on the object under a
 * symbol (JSON.stringify and for-in skip symbol keys). Far cheaper to read back than a
 * WeakMap entry, with thousands read per report.
 */
const keptBytes = Symbol('diagnostic JSON bytes');

interface WithKeptBytes {
  [keptBytes]?: Buffer;
}

/**
 * Marks a report's diagnostic list. Its items must not change afterwards: their JSON text
 * is kept by identity.
 */
export function reportList<T extends object>(items: T[]): T[] {
  reportLists.add(items);
  return items;
}

function bytesOf(item: unknown): Buffer {
  if (typeof item !== 'object' || item === null) {
    return Buffer.from(JSON.stringify(item) ?? 'null');
  }

  const kept = item as WithKeptBytes;
  let bytes = kept[keptBytes];
  if (bytes === undefined) {
    bytes = Buffer.from(movedText(item as Diagnostic) ?? JSON.stringify(item));
    kept[keptBytes] = bytes;
  }
  return bytes;
}

/** What a diagnostic's JSON holds after its range: the same for a diagnostic moved down. */
interface Tail {
  severity: unknown;
  code: unknown;
  source: unknown;
  href: unknown;
  text: string;
}

/**
 * Tails by message text. A line inserted above moves every diagnostic below it: the engine
 * makes new objects with new ranges, but keeps their message strings.
 */
let tails = new Map<string, Tail>();
const tailLimit = 100_000;
const tailKeys = new Set(['range', 'severity', 'code', 'source', 'message', 'codeDescription']);

/** The JSON of a plain diagnostic from its range and a kept tail; undefined for others. */
function movedText(diagnostic: Diagnostic): string | undefined {
  for (const key in diagnostic) if (!tailKeys.has(key)) return undefined;
  const { range, message } = diagnostic;
  if (typeof message !== 'string') return undefined;
  const { start, end } = range;
  if (!isCount(start.line) || !isCount(start.character) || !isCount(end.line)
    || !isCount(end.character)) {
    return undefined;
  }

  const href = diagnostic.codeDescription?.href;
  let tail = tails.get(message);
  if (tail === undefined || tail.severity !== diagnostic.severity || tail.code !== diagnostic.code
    || tail.source !== diagnostic.source || tail.href !== href) {
    const { range: _range, ...rest } = diagnostic;
    tail = {
      severity: diagnostic.severity, code: diagnostic.code, source: diagnostic.source, href,
      text: JSON.stringify(rest).slice(1),
    };
    if (tails.size >= tailLimit) tails = new Map();
    tails.set(message, tail);
  }
  return `{"range":{"start":{"line":${start.line},"character":${start.character}},` +
    `"end":{"line":${end.line},"character":${end.character}}},${tail.text}`;
}

function isCount(value: unknown): value is number {
  return Number.isSafeInteger(value);
}

interface Response {
  result?: unknown;
}

const comma = Buffer.from(',');
const closing = Buffer.from(']}}');

/** A message as UTF-8 JSON: `JSON.stringify`, except for marked diagnostic lists. */
export function messageBytes(message: Message): Buffer {
  const result = (message as Response).result;
  if (typeof result !== 'object' || result === null) return Buffer.from(JSON.stringify(message));

  const { items, ...rest } = result as { items?: unknown };
  if (!Array.isArray(items) || !reportLists.has(items)) {
    return Buffer.from(JSON.stringify(message));
  }

  // The items go before the closing brace of the rest of the report, and the report
  // before the closing brace of the rest of the message.
  const restText = JSON.stringify(rest);
  const { result: _result, ...envelope } = message as Response;
  const envelopeText = JSON.stringify(envelope);
  const head = `${envelopeText === '{}' ? '{' : `${envelopeText.slice(0, -1)},`}"result":` +
    `${restText === '{}' ? '{' : `${restText.slice(0, -1)},`}"items":[`;

  const pieces: Buffer[] = [Buffer.from(head)];
  for (let i = 0; i < items.length; i++) {
    if (i > 0) pieces.push(comma);
    pieces.push(bytesOf(items[i]));
  }
  pieces.push(closing);
  return Buffer.concat(pieces);
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
