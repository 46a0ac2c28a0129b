import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Diagnostic, Message } from 'vscode-languageserver/node';
import {
  DiagnosticList, messageText, reportEncoder, type LspForms,
} from '../../../server/src/lsp/diagnosticWire';
import { LineRange, type RuleDiagnostic } from '../../../server/src/rules/diagnostics';

/** LSP forms as the server makes them, with the documentation link under `docs`. */
function formsLinkingTo(docs: string): LspForms {
  const severities = { error: 1, warning: 2, information: 3, hint: 4 } as const;
  return {
    lsp: (uri, diagnostic) => {
      const result: Diagnostic = {
        range: { start: diagnostic.range.start, end: diagnostic.range.end },
        severity: severities[diagnostic.severity],
        code: diagnostic.code,
        source: 'auditd',
        message: diagnostic.message,
      };
      if (diagnostic.code !== 'unlinked') {
        result.codeDescription = { href: `${docs}#${diagnostic.code}` };
      }
      if (diagnostic.related) {
        result.relatedInformation = diagnostic.related.map((related) => ({
          location: { uri, range: { start: related.range.start, end: related.range.end } },
          message: related.message,
        }));
      }
      return result;
    },
    plain: (diagnostic) => diagnostic.related === undefined,
  };
}

const forms = formsLinkingTo('file:///docs/diagnostics.md');

function diagnosticAt(
  line: number, message: string, extra: Partial<RuleDiagnostic> = {},
): RuleDiagnostic {
  return {
    code: 'legacy-watch', severity: 'hint', range: new LineRange(line, 2, 9), message, ...extra,
  };
}

function response(items: RuleDiagnostic[], lspForms = forms): Message {
  const list = new DiagnosticList('file:///a.rules', items, lspForms);
  return { jsonrpc: '2.0', id: 7, result: { kind: 'full', items: list } } as Message;
}

test('a report is written as the same bytes JSON.stringify gives for its LSP form', () => {
  const message = response([
    diagnosticAt(0, 'plain'),
    diagnosticAt(1, 'quotes " and \\ and \u2028 and \u0000 and é and 😀'),
    diagnosticAt(2, 'with related', {
      related: [{ range: new LineRange(5, 0, 3), message: 'there' }],
    }),
    diagnosticAt(3, 'no link', { code: 'unlinked', severity: 'error' }),
    diagnosticAt(4, 'a range over lines', {
      range: { start: { line: 4, character: 0 }, end: { line: 12, character: 1234567 } },
    }),
    diagnosticAt(5, 'odd range', {
      range: { start: { line: 1.5, character: NaN }, end: { line: -0, character: 1e21 } },
    }),
    diagnosticAt(6, 'negative', {
      range: { start: { line: -1, character: 0 }, end: { line: 0, character: 0 } },
    }),
    diagnosticAt(1_000_000, 'far down'),
  ]);
  const expected = JSON.stringify(message);
  assert.equal(messageText(message), expected);
  assert.equal(JSON.parse(expected).result.items[2].relatedInformation[0].message, 'there');
  assert.equal(JSON.parse(expected).result.items[7].range.end.line, 1_000_000);
});

test('a diagnostic moved down keeps its text but gets its new range', () => {
  messageText(response([diagnosticAt(0, 'same message')]));
  const read = JSON.parse(messageText(response([diagnosticAt(10, 'same message')])));
  assert.equal(read.result.items[0].range.start.line, 10);
  assert.equal(read.result.items[0].range.end.line, 10);
  assert.equal(read.result.items[0].message, 'same message');

  // Same message, another code or severity, or other forms: not the kept text.
  const other = response([diagnosticAt(1, 'same message', { code: 'other', severity: 'error' })]);
  const otherRead = JSON.parse(messageText(other));
  assert.equal(otherRead.result.items[0].code, 'other');
  assert.equal(otherRead.result.items[0].severity, 1);
  assert.equal(otherRead.result.items[0].codeDescription.href,
    'file:///docs/diagnostics.md#other');
  const relinked = response([diagnosticAt(1, 'same message')], formsLinkingTo('file:///new'));
  assert.equal(JSON.parse(messageText(relinked)).result.items[0].codeDescription.href,
    'file:///new#legacy-watch');
});

test('a pushed list is written as JSON.stringify writes it', () => {
  const list = new DiagnosticList('file:///a.rules',
    [diagnosticAt(3, 'pushed'), diagnosticAt(4, 'pushed too')], forms);
  const notice = {
    jsonrpc: '2.0',
    method: 'textDocument/publishDiagnostics',
    params: { uri: 'file:///a.rules', version: 4, diagnostics: list },
  } as Message;
  const expected = JSON.stringify(notice);
  assert.equal(messageText(notice), expected);
  assert.equal(JSON.parse(expected).params.diagnostics[1].message, 'pushed too');
});

test('a list not in the last place is written by JSON.stringify', () => {
  const list = new DiagnosticList('file:///a.rules', [diagnosticAt(0, 'first')], forms);
  const message = {
    jsonrpc: '2.0', id: 5, result: { items: list, kind: 'full' },
  } as unknown as Message;
  assert.equal(messageText(message), JSON.stringify(message));
});

test('other messages are written as JSON.stringify does', () => {
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
  const message = response([diagnosticAt(0, 'é')]);
  const bytes = await reportEncoder.encode(message, { charset: 'utf-8' });
  assert.equal(Buffer.from(bytes).toString('utf8'), JSON.stringify(message));
});

test('an empty report, and one read twice, are the same message', () => {
  const empty = response([]);
  assert.equal(messageText(empty), JSON.stringify(empty));
  const twice = response([diagnosticAt(0, 'a'), diagnosticAt(1, 'b')]);
  assert.equal(messageText(twice), messageText(twice));
  assert.equal(messageText(twice), JSON.stringify(twice));
});
