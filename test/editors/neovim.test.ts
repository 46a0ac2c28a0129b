// A second real client: Debian's Neovim (0.7, no vim.lsp.start) attaches the bundled
// server over stdio, asks for a hover and receives pushed diagnostics.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempFolder } from '../tempFolders';

const repoRoot = join(__dirname, '..', '..', '..');
const serverPath = join(repoRoot, 'dist', 'server.js');

function nvimVersion(): string | undefined {
  const result = spawnSync('nvim', ['--version'], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.split('\n')[0] : undefined;
}

// Lua for Neovim 0.7: start_client + buf_attach_client, then a synchronous hover.
const probe = String.raw`
local rules_file, out_file, server = _G.arg_rules, _G.arg_out, _G.arg_server
vim.cmd('edit ' .. vim.fn.fnameescape(rules_file))
local buf = vim.api.nvim_get_current_buf()
local client_id = vim.lsp.start_client({
  name = 'auditd',
  cmd = { 'node', server, '--stdio' },
  root_dir = vim.fn.fnamemodify(rules_file, ':h'),
})
vim.lsp.buf_attach_client(buf, client_id)
vim.wait(5000, function()
  local client = vim.lsp.get_client_by_id(client_id)
  return client ~= nil and client.initialized
end, 20)
local params = {
  textDocument = { uri = vim.uri_from_bufnr(buf) },
  position = { line = 0, character = 31 },
}
local responses = vim.lsp.buf_request_sync(buf, 'textDocument/hover', params, 5000)
vim.wait(5000, function() return #vim.diagnostic.get(buf) > 0 end, 20)
local hover = nil
for _, response in pairs(responses or {}) do
  if response.result then hover = response.result end
end
local diagnostics = {}
for _, d in ipairs(vim.diagnostic.get(buf)) do
  table.insert(diagnostics, { lnum = d.lnum, col = d.col, code = d.code, severity = d.severity })
end
local file = io.open(out_file, 'w')
file:write(vim.fn.json_encode({ hover = hover, diagnostics = diagnostics }))
file:close()
vim.lsp.stop_client(client_id)
vim.wait(2000, function() return vim.lsp.get_client_by_id(client_id) == nil end, 20)
vim.cmd('qa!')
`;

test('Neovim attaches the server, gets a hover and diagnostics', (t) => {
  const version = nvimVersion();
  if (!version) {
    t.skip('nvim is not installed (apt-get install neovim)');
    return;
  }
  if (!existsSync(serverPath)) {
    t.skip('dist/server.js is missing: run npm run build');
    return;
  }

  const dir = tempFolder('nvim-lsp-');
  const rulesFile = join(dir, 'audit.rules');
  const outFile = join(dir, 'result.json');
  const probeFile = join(dir, 'probe.lua');
  writeFileSync(rulesFile, '-a always,exit -F arch=b64 -S 263 -k delete\n-a ALWAYS,exit\n');
  writeFileSync(
    probeFile,
    `_G.arg_rules = ${JSON.stringify(rulesFile)}\n_G.arg_out = ${JSON.stringify(outFile)}\n` +
      `_G.arg_server = ${JSON.stringify(serverPath)}\n${probe}`,
  );

  const started = Date.now();
  const args = ['--headless', '--clean', '-u', 'NONE', '-c', `luafile ${probeFile}`];
  const run = spawnSync('nvim', args, { encoding: 'utf8', timeout: 30000 });
  assert.equal(run.status, 0, `${version}: ${run.stderr}${run.stdout}`);
  assert.ok(existsSync(outFile), `no result from Neovim: ${run.stderr}`);

  const result = JSON.parse(readFileSync(outFile, 'utf8')) as {
    hover?: { contents: { kind: string; value: string } };
    diagnostics: { lnum: number; col: number; code: string; severity: number }[];
  };
  assert.ok(result.hover, 'Neovim got no hover');
  assert.equal(result.hover.contents.kind, 'markdown');
  assert.match(result.hover.contents.value, /\*\*263\*\* on b64 \(x86_64\) is \*\*unlinkat\*\*/);
  assert.match(result.hover.contents.value, /timer_delete/);

  // Neovim 0.7 has no pull diagnostics: the server pushes them instead.
  const codes = result.diagnostics.map((d) => `${d.lnum}:${d.code}`);
  assert.ok(codes.includes('1:bad-list-action'), codes.join(', '));
  t.diagnostic(`${version}: hover and ${codes.length} diagnostics in ${Date.now() - started} ms`);
});
