import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  contentSecurityPolicy, createNonce, noiseViewHtml,
} from '../../../client/src/noiseView/webviewHtml';
import { savedPanelState } from '../../../client/src/noiseView/messages';

const resources = {
  cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
  scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/media/webview.js',
  styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/media/webview.css',
};

test('every render has a fresh nonce, and only the bundled script carries it', () => {
  const nonces = new Set(Array.from({ length: 100 }, () => createNonce()));
  assert.equal(nonces.size, 100);
  assert.ok([...nonces].every((n) => /^[A-Za-z0-9+/]{22}$/.test(n)));

  const html = noiseViewHtml(resources, 'n0nce');
  assert.deepEqual([...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]),
    [`<script nonce="n0nce" src="${resources.scriptUri}">`]);
  assert.doesNotMatch(html, /\son[a-z]+=/i, 'no inline handler');
  assert.doesNotMatch(html, /<style\b/, 'no inline style');
});

test('the CSP denies by default and allows nothing inline, evaluated or remote', () => {
  const csp = contentSecurityPolicy(resources.cspSource, 'abc');
  const directives = new Map(csp.split('; ').map((part) => {
    const [name, ...values] = part.split(' ');
    return [name, values];
  }));
  assert.deepEqual(directives.get('default-src'), ["'none'"]);
  assert.deepEqual(directives.get('script-src'), ["'nonce-abc'"]);
  for (const name of ['style-src', 'img-src', 'font-src']) {
    assert.deepEqual(directives.get(name), [resources.cspSource], name);
  }
  assert.doesNotMatch(csp, /unsafe|https?:\/\/\*|\bdata:|\bblob:/);
  assert.ok(noiseViewHtml(resources, 'abc').includes(`content="${csp}"`));
});

test('the saved state read back after a reload is checked, not trusted', () => {
  assert.deepEqual(savedPanelState({ files: ['file:///var/log/audit/audit.log'], x: 1 }),
    { files: ['file:///var/log/audit/audit.log'], maxLogFileMb: 8 });
  assert.deepEqual(savedPanelState({ files: ['file:///a.log'], maxLogFileMb: 32 }),
    { files: ['file:///a.log'], maxLogFileMb: 32 });
  assert.equal(savedPanelState(undefined), undefined);
  assert.equal(savedPanelState({ files: [] }), undefined);
  assert.equal(savedPanelState({ files: ['https://example.invalid/a.log'] }), undefined);
  assert.equal(savedPanelState({ files: ['command:workbench.action.quit'] }), undefined);
  assert.equal(savedPanelState({ files: [42] }), undefined);
  assert.deepEqual(savedPanelState({ files: ['file:///a'], maxLogFileMb: -3 })?.maxLogFileMb, 8);
});
