import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import {
  StreamMessageReader, StreamMessageWriter, createMessageConnection, ResponseError,
} from 'vscode-jsonrpc/node';
import { serverPath } from './lspClient';

// A client that sends what the server cannot read gets the protocol's own errors back
// (-32002 before initialize, -32602 for params it cannot read), not an internal error, and
// the server keeps answering.

async function codeOf(request: Promise<unknown>): Promise<number | string> {
  try {
    await request;
    return 'answered';
  } catch (error) {
    return error instanceof ResponseError ? error.code : String(error);
  }
}

test('malformed requests get -32602, requests before initialize -32002', async () => {
  const server = spawn(process.execPath, [serverPath, '--stdio'], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  server.stderr.on('data', (chunk) => { stderr += chunk; });
  const connection = createMessageConnection(
    new StreamMessageReader(server.stdout), new StreamMessageWriter(server.stdin));
  connection.listen();
  try {
    const hover = { textDocument: { uri: 'file:///a.rules' }, position: { line: 0, character: 0 } };
    assert.equal(await codeOf(connection.sendRequest('textDocument/hover', hover)), -32002);
    assert.equal(await codeOf(connection.sendRequest('initialize', null)), -32602);
    assert.equal(await codeOf(connection.sendRequest('initialize', {})), -32602);
    assert.equal(await codeOf(connection.sendRequest('initialize', {
      processId: null, rootUri: null, capabilities: {},
    })), 'answered');
    await connection.sendNotification('initialized', {});
    assert.equal(await codeOf(connection.sendRequest('initialize', {
      processId: null, rootUri: null, capabilities: {},
    })), -32600);

    assert.equal(await codeOf(connection.sendRequest('textDocument/hover', {})), -32602);
    assert.equal(await codeOf(connection.sendRequest('textDocument/hover', null)), -32602);
    assert.equal(await codeOf(connection.sendRequest('textDocument/hover', {
      textDocument: { uri: 'file:///a.rules' }, position: { line: -1 },
    })), -32602);
    // A body that is not JSON: one line in the log, and the next message is read as usual.
    server.stdin.write('Content-Length: 9\r\n\r\n{not json');
    // JSON that is not a message: answered as an invalid request, and logged.
    for (const body of ['null', '[]', '42']) {
      server.stdin.write(`Content-Length: ${body.length}\r\n\r\n${body}`);
    }
    // A didOpen without its text is dropped with one line in the log, no stack trace.
    await connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri: 'file:///a.rules', languageId: 'audit-rules', version: 1, text: null },
    });
    await connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri: 'file:///b.rules', languageId: 'audit-rules', version: 1,
        text: '-w /etc/passwd -p wa -k identity\n' },
    });
    const answer = await connection.sendRequest('textDocument/hover', {
      textDocument: { uri: 'file:///b.rules' }, position: { line: 0, character: 1 },
    }) as { contents: unknown } | null;
    assert.ok(answer?.contents, 'the server still answers');
    assert.match(stderr, /ignored a notification that cannot be read: textDocument\/didOpen/);
    assert.match(stderr, /a message from the client could not be read: /);
    assert.equal(stderr.match(/ignored a message that is not a JSON object/g)?.length, 3);
    assert.doesNotMatch(stderr, /TypeError|    at /);
  } finally {
    connection.dispose();
    server.kill();
  }
});
