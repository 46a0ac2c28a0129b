import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Diagnostic, Message } from 'vscode-languageserver/node';
import { messageText, reportEncoder, reportList } from '../../../server/src/lsp/diagnosticWire';

function diagnosticAt(line: number, message: string, extra: Partial<Diagnostic> = {}): Diagnostic {
  return {
    range: { start: { line, character: 2 }, end: { line, character: 9 } },
    severity: 4,
    code: 'legacy-watch',
    source: 'auditd',
    message,
    codeDescription: { href: 'file:///docs/diagnostics.md#legacy-watch' },
    ...extra,
  };
}

function response(items: Diagnostic[]): Message {
  return { jsonrpc: '2.0', id: 7, result: { kind: 'full', items } } as Message;
}

test('a report reads back as the same message', () => {
  const items = reportList([
    diagnosticAt(0, 'plain'),
    diagnosticAt(1, 'quotes " and \\ and \u2028 and \u0000 and é'),
    diagnosticAt(2, 'with related', {
      relatedInformation: [{
        location: { uri: 'file:///a.rules', range: diagnosticAt(5, '').range },
        message: 'there',
      }],
    }),
    diagnosticAt(3, 'no link', { codeDescription: undefined }),
    diagnosticAt(4, 'odd range', {
      range: { start: { line: 1.5, character: NaN }, end: { line: -0, character: 1e21 } },
    }),
  ]);
  const message = response(items);
  assert.deepEqual(JSON.parse(messageText(message)), JSON.parse(JSON.stringify(message)));
});

test('a diagnostic moved down keeps its text but gets its new range', () => {
  const first = reportList([diagnosticAt(0, 'same message')]);
  messageText(response(first));
  const moved = reportList([diagnosticAt(1, 'same message')]);
  const read = JSON.parse(messageText(response(moved)));
  assert.equal(read.result.items[0].range.start.line, 1);
  assert.equal(read.result.items[0].message, 'same message');

  // Same message, other code: not the kept text.
  const other = reportList([diagnosticAt(1, 'same message', { code: 'other', severity: 1 })]);
  const otherRead = JSON.parse(messageText(response(other)));
  assert.equal(otherRead.result.items[0].code, 'other');
  assert.equal(otherRead.result.items[0].severity, 1);
});

test('lists not built for a report, and other messages, are written as JSON.stringify does', () => {
  const completion = {
    jsonrpc: '2.0', id: 3, result: { isIncomplete: false, items: [{ label: 'a' }] },
  } as Message;
  assert.equal(messageText(completion), JSON.stringify(completion));
  const notice = { jsonrpc: '2.0', method: 'window/logMessage', params: { message: 'x' } };
  assert.equal(messageText(notice as Message), JSON.stringify(notice));
  const nullResult = { jsonrpc: '2.0', id: 4, result: null } as Message;
  assert.equal(messageText(nullResult), JSON.stringify(nullResult));
});

test('the encoder gives the message as UTF-8 bytes', async () => {
  const message = response(reportList([diagnosticAt(0, 'é')]));
  const bytes = await reportEncoder.encode(message, { charset: 'utf-8' });
  assert.deepEqual(JSON.parse(Buffer.from(bytes).toString('utf8')),
    JSON.parse(JSON.stringify(message)));
});

test('an empty report, and one read twice, are the same message', () => {
  const empty = response(reportList([]));
  assert.deepEqual(JSON.parse(messageText(empty)), JSON.parse(JSON.stringify(empty)));
  const items = reportList([diagnosticAt(0, 'a'), diagnosticAt(1, 'b')]);
  assert.equal(messageText(response(items)), messageText(response(items)));
});
