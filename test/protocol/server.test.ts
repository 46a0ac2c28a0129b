// Protocol tests: the bundled server (dist/server.js) spawned over stdio (and once over
// Node IPC), driven with vscode-jsonrpc the way an editor drives it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  LspDiagnostic, LspTestClient, Range, TextEdit, applyEdits, serverPath,
} from './lspClient';
import { tempFolder } from '../tempFolders';

const uri = (name: string) => `file:///work/rules.d/${name}`;

interface Hover {
  contents: { kind: string; value: string };
  range: Range;
}
interface CompletionItem {
  label: string;
  kind: number;
  detail?: string;
  insertTextFormat?: number;
  textEdit?: TextEdit;
}
interface CodeAction {
  title: string;
  kind: string;
  isPreferred?: boolean;
  diagnostics: LspDiagnostic[];
  edit: { changes: Record<string, TextEdit[]> };
}

function codesOf(diagnostics: LspDiagnostic[]): string[] {
  return diagnostics.map((d) => `${d.range.start.line}:${d.code}`);
}

describe('language server over stdio', () => {
  let client: LspTestClient;

  before(async () => {
    client = await LspTestClient.start();
  });

  after(async () => {
    const code = await client.stop();
    assert.equal(code, 0, 'the server exits with 0 after shutdown and exit');
  });

  test('initialize announces every feature', () => {
    const capabilities = client.capabilities;
    for (const provider of [
      'hoverProvider', 'completionProvider', 'codeActionProvider', 'documentSymbolProvider',
      'foldingRangeProvider', 'referencesProvider', 'documentHighlightProvider',
      'semanticTokensProvider', 'diagnosticProvider',
    ]) {
      assert.ok(capabilities[provider], provider);
    }
    const legend = (capabilities.semanticTokensProvider as { legend: { tokenTypes: string[] } })
      .legend;
    assert.deepEqual(legend.tokenTypes, ['syscall', 'auditField', 'auditKey']);
  });

  test('pull diagnostics carry codes, severities, ranges and documentation links', async () => {
    const text = [
      '-a always,exit -F arch=b64 -S 263 -k delete',
      '-a ALWAYS,exit',
    ].join('\n');
    await client.open(uri('diag.rules'), text);
    const diagnostics = await client.pullDiagnostics(uri('diag.rules'));
    const byCode = new Map(diagnostics.map((d) => [d.code, d]));

    const number = byCode.get('syscall-number');
    assert.ok(number, codesOf(diagnostics).join(', '));
    assert.equal(number.severity, 2);
    assert.deepEqual(number.range, {
      start: { line: 0, character: 30 },
      end: { line: 0, character: 33 },
    });
    assert.match(number.message, /unlinkat/);
    assert.match(
      number.codeDescription!.href,
      /^file:\/\/.*\/docs\/diagnostics\.md#syscall-number$/,
    );
    assert.equal(number.source, 'auditd');

    const list = byCode.get('bad-list-action');
    assert.ok(list);
    assert.equal(list.severity, 1);
    assert.equal(list.range.start.line, 1);
    assert.match(list.message, /Append rule - bad keyword ALWAYS,exit/);
  });

  test('settings changes refresh diagnostics: severity per code, target version', async () => {
    const name = uri('settings.rules');
    const text = [
      '-a always,exit -F arch=b64 -S 263 -k delete',
      '-a always,exit -F arch=b64 -S fchmodat2 -k perm',
      '-a always,exit -F arch=b32 -S fchmodat2 -k perm',
    ].join('\n');
    await client.open(name, text);
    assert.ok(codesOf(await client.pullDiagnostics(name)).includes('0:syscall-number'));

    const refreshes = client.refreshRequests;
    await client.changeSettings({ diagnostics: { severity: { 'syscall-number': 'ignore' } } });
    await waitFor(() => client.refreshRequests > refreshes, 'a diagnostic refresh request');
    assert.ok(!codesOf(await client.pullDiagnostics(name)).includes('0:syscall-number'));

    await client.changeSettings({ diagnostics: { severity: { 'syscall-number': 'error' } } });
    await waitFor(() => client.refreshRequests > refreshes + 1, 'a second refresh');
    const raised = (await client.pullDiagnostics(name)).find((d) => d.code === 'syscall-number');
    assert.equal(raised?.severity, 1);

    assert.ok(!codesOf(await client.pullDiagnostics(name)).includes('1:syscall-version'));
    await client.changeSettings({ auditVersion: '3.0.9' });
    await waitFor(() => client.refreshRequests > refreshes + 2, 'a third refresh');
    const old = codesOf(await client.pullDiagnostics(name));
    assert.ok(old.includes('1:syscall-version'), old.join(', '));
    assert.ok(old.includes('2:syscall-version'), old.join(', '));

    await client.changeSettings({});
    await waitFor(() => client.refreshRequests > refreshes + 3, 'a fourth refresh');
  });

  test('hover: a syscall number reads as its name, with the other arches', async () => {
    const name = uri('hover.rules');
    await client.open(name, '-a always,exit -F arch=b64 -S 263 -k delete\n');
    const hover = await client.request<Hover>('textDocument/hover', {
      textDocument: { uri: name },
      position: { line: 0, character: 31 },
    });
    assert.equal(hover.contents.kind, 'markdown');
    assert.match(hover.contents.value, /\*\*263\*\* on b64 \(x86_64\) is \*\*unlinkat\*\*/);
    assert.match(hover.contents.value, /on b32 \(i386\) it is \*\*timer_delete\*\*/);
    assert.deepEqual(hover.range, {
      start: { line: 0, character: 30 },
      end: { line: 0, character: 33 },
    });

    const defaultArch = await client.request<Hover | null>('textDocument/hover', {
      textDocument: { uri: name },
      position: { line: 0, character: 23 },
    });
    assert.match(defaultArch!.contents.value, /b64.*x86_64/);

    const nothing = await client.request<Hover | null>('textDocument/hover', {
      textDocument: { uri: name },
      position: { line: 9, character: 0 },
    });
    assert.equal(nothing, null);
  });

  test('hover: lists, actions, fields, values, options and keys', async () => {
    const name = uri('hover-all.rules');
    const lines = [
      '-a never,exclude -F msgtype=CWD',
      '-a always,exit -F arch=b32 -S open -F exit=-EACCES -F auid>=1000 -k access',
      '-w /etc/shadow -p wa -k access',
      '--backlog_wait_time 60000',
    ];
    await client.open(name, lines.join('\n'));
    const hoverAt = async (line: number, needle: string, offset = 0) => {
      const character = lines[line].indexOf(needle) + offset;
      const result = await client.request<Hover | null>('textDocument/hover', {
        textDocument: { uri: name },
        position: { line, character },
      });
      assert.ok(result, `no hover on ${needle}`);
      return result.contents.value;
    };
    assert.match(await hoverAt(0, 'never'), /\*\*never\*\* \(action\)/);
    assert.match(await hoverAt(0, 'exclude'), /\*\*exclude\*\* \(filter list\)/);
    assert.match(await hoverAt(0, 'CWD'), /\*\*CWD\*\* is 1307/);
    assert.match(await hoverAt(1, 'b32'), /\*\*i386\*\*/);
    assert.match(await hoverAt(1, 'EACCES'), /errno 13/);
    assert.match(await hoverAt(1, 'auid'), /\*\*auid\*\* \(field 9\)/);
    assert.match(await hoverAt(1, 'access'), /Key \*\*access\*\*: 2 rules in this file share it/);
    assert.match(await hoverAt(2, 'wa'), /`w` write/);
    assert.match(await hoverAt(2, '-w'), /^This rule logs every write or attribute change/);
    assert.match(await hoverAt(3, '--backlog'), /backlog space/);
  });

  test('hover follows the default arch setting', async () => {
    const name = uri('hover-arch.rules');
    await client.open(name, '-a always,exit -F arch=b64 -S 56 -k open\n');
    const asked = client.configurationRequests;
    await client.changeSettings({ defaultArch: 'aarch64' });
    try {
      await waitFor(() => client.configurationRequests > asked, 'a configuration request');
      const hover = await waitForValue(async () => {
        const result = await client.request<Hover>('textDocument/hover', {
          textDocument: { uri: name },
          position: { line: 0, character: 31 },
        });
        return /^\*\*56\*\* on b64 \(aarch64\)/.test(result.contents.value) ? result : undefined;
      }, 'an aarch64 hover');
      assert.match(hover.contents.value, /\*\*56\*\* on b64 \(aarch64\) is \*\*openat\*\*/);
      assert.match(hover.contents.value, /\| b32 \(armeb\) \| — \|/);
    } finally {
      await client.changeSettings({});
    }
  });

  test('completion: options, list,action, fields by list, values, syscalls, keys', async () => {
    const name = uri('complete.rules');
    const text = [
      '',
      '-a ',
      '-a never,exclude -F ',
      '-a always,exit -F arch=b32 -S ',
      '-w /etc/passwd -p wa -k identity',
      '-a always,exit -F arch=b64 -S setuid -k ',
      '-a always,exit -F arch=b64 -S open -F exit=',
    ].join('\n');
    await client.open(name, text);
    const complete = (line: number, character: number) =>
      client.request<CompletionItem[]>('textDocument/completion', {
        textDocument: { uri: name },
        position: { line, character },
      });

    const start = await complete(0, 0);
    assert.ok(start.some((item) => item.label === '-w'));
    const snippet = start.find((item) => item.label === 'syscall rule');
    assert.equal(snippet?.insertTextFormat, 2);

    assert.ok((await complete(1, 3)).some((item) => item.label === 'always,exit'));

    const excludeFields = (await complete(2, 20)).map((item) => item.label);
    assert.ok(excludeFields.includes('msgtype'));
    assert.ok(!excludeFields.includes('path'));

    const syscalls = await complete(3, 30);
    const socketcall = syscalls.find((item) => item.label === 'socketcall');
    assert.equal(socketcall?.detail, '102 on b32 (i386)');

    const keys = (await complete(5, 40)).map((item) => item.label);
    assert.deepEqual(keys, ['identity']);

    assert.ok((await complete(6, 43)).some((item) => item.label === '-EPERM'));
  });

  test('document symbols group rules by key; folding; references; highlights', async () => {
    const name = uri('nav.rules');
    const text = [
      '# identity',
      '# files',
      '-w /etc/passwd -p wa -k identity',
      '-w /etc/group -p wa -k identity',
      '-a always,exit -F arch=b64 -S execve -k exec',
    ].join('\n');
    await client.open(name, text);
    const symbols = await client.request<{ name: string; children?: unknown[] }[]>(
      'textDocument/documentSymbol',
      { textDocument: { uri: name } },
    );
    assert.deepEqual(symbols.map((s) => [s.name, s.children?.length]), [
      ['identity', 2],
      ['exec', 1],
    ]);

    const folds = await client.request<{ startLine: number; endLine: number; kind?: string }[]>(
      'textDocument/foldingRange',
      { textDocument: { uri: name } },
    );
    assert.ok(folds.some((f) => f.startLine === 0 && f.endLine === 1 && f.kind === 'comment'));

    const references = await client.request<{ uri: string; range: Range }[]>(
      'textDocument/references',
      {
        textDocument: { uri: name },
        position: { line: 2, character: 26 },
        context: { includeDeclaration: true },
      },
    );
    assert.deepEqual(references.map((r) => [r.uri, r.range.start.line, r.range.start.character]), [
      [name, 2, 24],
      [name, 3, 23],
    ]);

    const prepared = await client.request<{ range: Range; placeholder: string }>(
      'textDocument/prepareRename',
      { textDocument: { uri: name }, position: { line: 3, character: 25 } },
    );
    assert.equal(prepared.placeholder, 'identity');
    const renamed = await client.request<{ changes: Record<string, TextEdit[]> }>(
      'textDocument/rename',
      { textDocument: { uri: name }, position: { line: 3, character: 25 }, newName: 'accounts' },
    );
    assert.equal(
      applyEdits(text, renamed.changes[name]),
      text.replace(/-k identity/g, '-k accounts'),
    );
    await assert.rejects(
      client.request('textDocument/rename', {
        textDocument: { uri: name },
        position: { line: 3, character: 25 },
        newName: '',
      }),
      /A key cannot be empty/,
    );

    const highlights = await client.request<{ range: Range }[]>(
      'textDocument/documentHighlight',
      { textDocument: { uri: name }, position: { line: 3, character: 25 } },
    );
    assert.equal(highlights.length, 2);
  });

  test('semantic tokens mark a syscall the rule arch lacks', async () => {
    const name = uri('tokens.rules');
    await client.open(name, '-a always,exit -F arch=aarch64 -S open,openat -k x\n');
    const tokens = await client.request<{ data: number[] }>('textDocument/semanticTokens/full', {
      textDocument: { uri: name },
    });
    // [deltaLine, deltaStart, length, type, modifiers] per token: arch field, open, openat, key.
    assert.deepEqual(tokens.data, [
      0, 18, 4, 1, 0,
      0, 16, 4, 0, 1,
      0, 5, 6, 0, 0,
      0, 10, 1, 2, 0,
    ]);
  });

  test('bad input gets diagnostics, never a crash', async () => {
    const name = uri('garbage.rules');
    const garbage = '\u0000\u0001\t-\\ \\\\ -F =\r\n-k\n-a ,\n' + '\uFFFD'.repeat(50) + '\n-S \n';
    await client.open(name, garbage);
    const diagnostics = await client.pullDiagnostics(name);
    assert.ok(diagnostics.length > 0);
    for (let line = 0; line < 6; line++) {
      for (let character = 0; character < 8; character++) {
        await client.request('textDocument/hover', {
          textDocument: { uri: name },
          position: { line, character },
        });
        await client.request('textDocument/completion', {
          textDocument: { uri: name },
          position: { line, character },
        });
      }
    }
    const hover = await client.request<Hover>('textDocument/hover', {
      textDocument: { uri: uri('hover.rules') },
      position: { line: 0, character: 31 },
    });
    assert.match(hover.contents.value, /unlinkat/, 'the server still answers');
  });
});

describe('quick fixes', () => {
  let client: LspTestClient;

  before(async () => {
    client = await LspTestClient.start();
  });

  after(async () => {
    await client.stop();
  });

  async function actionsAt(name: string, line: number, character: number) {
    const diagnostics = await client.pullDiagnostics(name);
    return client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: name },
      range: { start: { line, character }, end: { line, character } },
      context: { diagnostics },
    });
  }

  function apply(text: string, name: string, action: CodeAction): string {
    return applyEdits(text, action.edit.changes[name]);
  }

  interface FixCase {
    title: string;
    /** Lines of the file; the fix is asked for at `at`. */
    text: string[];
    at: [number, number];
    code: string;
    /** A part of the fix's title, to pick it among the actions. */
    pick: RegExp;
    expected: string[];
    settings?: Record<string, unknown>;
  }

  const cases: FixCase[] = [
    {
      title: 'a syscall number to its name',
      text: ['-a always,exit -F arch=b64 -S 263 -k delete'],
      at: [0, 31],
      code: 'syscall-number',
      pick: /unlinkat/,
      expected: ['-a always,exit -F arch=b64 -S unlinkat -k delete'],
    },
    {
      title: 'an unknown name to the closest names on the arch',
      text: ['-a always,exit -F arch=b64 -S opnat -k x'],
      at: [0, 31],
      code: 'unknown-syscall',
      pick: /^Change to "openat"$/,
      expected: ['-a always,exit -F arch=b64 -S openat -k x'],
    },
    {
      title: 'drop a syscall the arch lacks',
      text: ['-a always,exit -F arch=aarch64 -S open,openat -k x'],
      at: [0, 35],
      code: 'unknown-syscall',
      pick: /^Remove open$/,
      expected: ['-a always,exit -F arch=aarch64 -S openat -k x'],
    },
    {
      title: 'drop a syscall the target version lacks',
      text: ['-a always,exit -F arch=b64 -S fchmodat2,chmod -k perm'],
      at: [0, 31],
      code: 'syscall-version',
      pick: /^Remove fchmodat2$/,
      expected: ['-a always,exit -F arch=b64 -S chmod -k perm'],
      settings: { auditVersion: '3.0.9' },
    },
    {
      title: 'add the missing -F arch=b64 before -S',
      text: ['-a always,exit -S open -k x'],
      at: [0, 16],
      code: 'missing-arch',
      pick: /arch=b64/,
      expected: ['-a always,exit -F arch=b64 -S open -k x'],
    },
    {
      title: 'add the b32 twin rule',
      text: ['-a always,exit -F arch=b64 -S open -k x', '-w /etc/passwd -p wa -k identity'],
      at: [0, 20],
      code: 'missing-b32-twin',
      pick: /b32 twin/,
      expected: [
        '-a always,exit -F arch=b64 -S open -k x',
        '-a always,exit -F arch=b32 -S open -k x',
        '-w /etc/passwd -p wa -k identity',
      ],
    },
    {
      title: 'add -F arch=b64 and the b32 twin, a syscall number mapped by its name',
      text: ['-a always,exit -S 263 -k delete'],
      at: [0, 16],
      code: 'missing-arch',
      pick: /and the b32 twin rule/,
      // 263 is unlinkat on x86_64; unlinkat is 301 on i386.
      expected: [
        '-a always,exit -F arch=b64 -S 263 -k delete',
        '-a always,exit -F arch=b32 -S 301 -k delete',
      ],
    },
    {
      title: 'add the b32 twin of a last line without a final newline',
      text: ['-w /etc/passwd -p wa -k identity',
        '-a always,exit -F arch=b64 -S kexec_file_load -S open -k x'],
      at: [1, 20],
      code: 'missing-b32-twin',
      pick: /b32 twin/,
      expected: [
        '-w /etc/passwd -p wa -k identity',
        '-a always,exit -F arch=b64 -S kexec_file_load -S open -k x',
        '-a always,exit -F arch=b32 -S open -k x',
      ],
    },
    {
      title: 'move -F arch before -S',
      text: ['-a always,exit -S open -F arch=b64 -k x'],
      at: [0, 27],
      code: 'arch-after-syscall',
      pick: /Move -F arch/,
      expected: ['-a always,exit -F arch=b64 -S open -k x'],
    },
    {
      title: 'replace an operator the field does not allow',
      text: ['-a always,exit -F arch=b64 -S execve -F exe>/usr/bin/sudo -k priv'],
      at: [0, 43],
      code: 'operator-not-allowed',
      pick: /Use "="/,
      expected: ['-a always,exit -F arch=b64 -S execve -F exe=/usr/bin/sudo -k priv'],
    },
    {
      title: 'replace an operator the kernel refuses',
      text: ['-a always,exit -F arch=b64 -S open -F uid&1 -k x'],
      at: [0, 41],
      code: 'operator-kernel',
      pick: /Use "="/,
      expected: ['-a always,exit -F arch=b64 -S open -F uid=1 -k x'],
    },
    {
      title: 'remove a stray -F before -k',
      text: ['-a always,exit -F arch=b64 -S open -k -F T1078_Valid_Accounts'],
      at: [0, 39],
      code: 'option-as-argument',
      pick: /stray -F/,
      expected: ['-a always,exit -F arch=b64 -S open -k T1078_Valid_Accounts'],
    },
    {
      title: 'insert the -F a field is missing',
      text: ['-a always,exit -F arch=b64 -S open -a0=2 -k x'],
      at: [0, 36],
      code: 'field-missing-F',
      pick: /Insert -F/,
      expected: ['-a always,exit -F arch=b64 -S open -F a0=2 -k x'],
    },
    {
      title: 'convert a CRLF line ending',
      text: ['-w /etc/passwd -p wa -k identity\r', '-D'],
      at: [0, 32],
      code: 'crlf-line-ending',
      pick: /Remove the CR/,
      expected: ['-w /etc/passwd -p wa -k identity', '-D'],
    },
    {
      title: 'replace a tab',
      text: ['-w /etc/passwd\t-p wa -k identity'],
      at: [0, 14],
      code: 'tab-character',
      pick: /tab/,
      expected: ['-w /etc/passwd -p wa -k identity'],
    },
    {
      title: 'remove a duplicate rule',
      text: ['-w /etc/passwd -p wa -k identity', '-w /etc/passwd -p wa -k identity', '-D'],
      at: [1, 5],
      code: 'duplicate-rule',
      pick: /duplicate/,
      expected: ['-w /etc/passwd -p wa -k identity', '-D'],
    },
    {
      title: 'move a rule that comes after -e 2 above it',
      text: ['-D', '-e 2', '-w /etc/passwd -p wa -k identity', '-w /etc/group -p wa -k identity'],
      at: [2, 5],
      code: 'after-immutable',
      pick: /above -e 2/,
      expected: [
        '-D', '-w /etc/passwd -p wa -k identity', '-e 2', '-w /etc/group -p wa -k identity',
      ],
    },
    {
      title: 'move an inline comment to its own line',
      text: ['-w /etc/passwd -p wa -k identity # users'],
      at: [0, 34],
      code: 'inline-comment',
      pick: /comment/,
      expected: ['# users', '-w /etc/passwd -p wa -k identity'],
    },
    {
      title: 'split two rules fused on one line',
      text: ['-a always,exit -F arch=b64 -S open -k a -a always,exit -F arch=b64 -S close -k b'],
      at: [0, 41],
      code: 'multiple-rules',
      pick: /Split/,
      expected: [
        '-a always,exit -F arch=b64 -S open -k a',
        '-a always,exit -F arch=b64 -S close -k b',
      ],
    },
  ];

  for (const [index, fixCase] of cases.entries()) {
    test(fixCase.title, async () => {
      const name = uri(`fix-${index}-${fixCase.code}.rules`);
      const text = fixCase.text.join('\n');
      if (fixCase.settings) await client.changeSettings(fixCase.settings);
      await client.open(name, text);
      const actions = await actionsAt(name, ...fixCase.at);
      const action = actions.find((a) => fixCase.pick.test(a.title) && a.kind === 'quickfix');
      assert.ok(action, `no "${fixCase.pick}" among: ${actions.map((a) => a.title).join(' | ')}`);
      assert.ok(action.diagnostics.some((d) => d.code === fixCase.code));
      assert.equal(apply(text, name, action), fixCase.expected.join('\n'));
      if (fixCase.settings) await client.changeSettings({});
    });
  }
});

describe('fix all of a kind in the file', () => {
  let client: LspTestClient;

  before(async () => {
    client = await LspTestClient.start();
  });

  after(async () => {
    await client.stop();
  });

  const cases: { code: string; text: string[]; at: [number, number]; expected: string[] }[] = [
    {
      code: 'syscall-number',
      text: ['-a always,exit -F arch=b64 -S 2,257 -k x', '-a always,exit -F arch=b64 -S 59 -k y'],
      at: [1, 31],
      expected: [
        '-a always,exit -F arch=b64 -S open,openat -k x',
        '-a always,exit -F arch=b64 -S execve -k y',
      ],
    },
    {
      code: 'crlf-line-ending',
      text: ['-w /etc/passwd -p wa -k identity\r', '-w /etc/group -p wa -k identity\r', ''],
      at: [0, 32],
      expected: ['-w /etc/passwd -p wa -k identity', '-w /etc/group -p wa -k identity', ''],
    },
    {
      code: 'after-immutable',
      text: [
        '-D', '-e 2', '-w /etc/passwd -p wa -k identity', '-w /etc/group -p wa -k identity', '',
      ],
      at: [3, 2],
      expected: [
        '-D', '-w /etc/passwd -p wa -k identity', '-w /etc/group -p wa -k identity', '-e 2', '',
      ],
    },
    {
      code: 'operator-not-allowed',
      text: [
        '-a always,exit -F arch=b64 -S open -F exe>/a -k x',
        '-a always,exit -F arch=b64 -S open -F exe</b -k y',
      ],
      at: [0, 41],
      expected: [
        '-a always,exit -F arch=b64 -S open -F exe=/a -k x',
        '-a always,exit -F arch=b64 -S open -F exe=/b -k y',
      ],
    },
    {
      code: 'missing-arch',
      text: ['-a always,exit -S open -k x', '-a always,exit -S unlink -k y'],
      at: [0, 16],
      expected: [
        '-a always,exit -F arch=b64 -S open -k x',
        '-a always,exit -F arch=b64 -S unlink -k y',
      ],
    },
  ];

  for (const fixCase of cases) {
    test(fixCase.code, async () => {
      const name = uri(`fix-all-${fixCase.code}.rules`);
      const text = fixCase.text.join('\n');
      await client.open(name, text);
      const diagnostics = await client.pullDiagnostics(name);
      const [line, character] = fixCase.at;
      const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
        textDocument: { uri: name },
        range: { start: { line, character }, end: { line, character } },
        context: { diagnostics },
      });
      const fixAll = actions.find((a) => a.kind === 'quickfix.all'
        && a.diagnostics.some((d) => d.code === fixCase.code));
      assert.ok(fixAll, `no fix-all among: ${actions.map((a) => a.title).join(' | ')}`);
      assert.match(fixAll.title, /^Fix all in the file: /);
      assert.ok(fixAll.diagnostics.length >= 2);
      assert.ok(fixAll.diagnostics.every((d) => d.code === fixCase.code));
      const fixed = applyEdits(text, fixAll.edit.changes[name]);
      assert.equal(fixed, fixCase.expected.join('\n'));

      await client.replace(name, fixed);
      const after = await client.pullDiagnostics(name);
      assert.ok(!after.some((d) => d.code === fixCase.code), `${fixCase.code} is still reported`);
    });
  }
});

describe('a file in a rules.d folder is checked with its siblings', () => {
  test('a duplicate of a rule in another file, with related information', async (t) => {
    const folder = join(tempFolder('lsp-'), 'audit', 'rules.d');
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, '10-base.rules'), '-D\n-w /etc/passwd -p wa -k identity\n');
    writeFileSync(join(folder, '99-finalize.rules'), '-e 2\n');
    writeFileSync(join(folder, 'notes.txt'), '-w /etc/passwd -p wa -k identity\n');
    const stig = join(folder, '30-stig.rules');
    const text = '-w /etc/shadow -p wa -k identity\n-w /etc/passwd -p wa -k identity\n';
    writeFileSync(stig, text);

    const client = await LspTestClient.start();
    t.after(() => client.stop());
    const name = pathToFileURL(stig).href;
    await client.open(name, text);
    const diagnostics = await client.pullDiagnostics(name);
    const duplicate = diagnostics.find((d) => d.code === 'duplicate-rule');
    assert.ok(duplicate, codesOf(diagnostics).join(', '));
    assert.equal(duplicate.range.start.line, 1);
    const related = duplicate.relatedInformation ?? [];
    assert.ok(
      related.some((r) =>
        r.location.uri === pathToFileURL(join(folder, '10-base.rules')).href &&
        r.location.range.start.line === 1,
      ),
      JSON.stringify(related),
    );

    // The unsaved text of an open sibling counts: removing the rule there clears it here.
    const base = pathToFileURL(join(folder, '10-base.rules')).href;
    const refreshes = client.refreshRequests;
    await client.open(base, '-D\n');
    await waitFor(() => client.refreshRequests > refreshes, 'a refresh for the siblings');
    const after = await client.pullDiagnostics(name);
    assert.ok(!after.some((d) => d.code === 'duplicate-rule'), codesOf(after).join(', '));

    // A sibling that changes on disk: the watcher's event brings a refresh, and the pull
    // reads the new text.
    await client.connection.sendNotification('textDocument/didClose', {
      textDocument: { uri: base },
    });
    writeFileSync(join(folder, '20-more.rules'), '-w /etc/shadow -p wa -k identity\n');
    const before = client.refreshRequests;
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', {
      changes: [{ uri: pathToFileURL(join(folder, '20-more.rules')).href, type: 1 }],
    });
    await waitFor(() => client.refreshRequests > before, 'a refresh after a file event');
    const again = await client.pullDiagnostics(name);
    const shadow = again.find((d) => d.code === 'duplicate-rule' && d.range.start.line === 0);
    assert.ok(shadow, codesOf(again).join(', '));
    assert.ok(shadow.relatedInformation?.some((r) => r.location.uri.endsWith('/20-more.rules')));
  });

  test('a sibling too large to read beside an open file is named, not read', async (t) => {
    const folder = join(tempFolder('lsp-'), 'audit', 'rules.d');
    mkdirSync(folder, { recursive: true });
    // 9 MiB of a rule the edited file repeats: were it read, the duplicate would show.
    const line = '-w /etc/passwd -p wa -k identity\n';
    const junk = join(folder, '10-junk.rules');
    writeFileSync(junk, line.repeat(Math.ceil((9 << 20) / line.length)));
    const stig = join(folder, '30-stig.rules');
    writeFileSync(stig, line);

    const client = await LspTestClient.start();
    t.after(() => client.stop());
    const name = pathToFileURL(stig).href;
    await client.open(name, line);
    const diagnostics = await client.pullDiagnostics(name);
    const codes = codesOf(diagnostics);
    assert.ok(codes.includes('0:sibling-not-read') && !codes.includes('0:duplicate-rule'),
      codes.join(', '));
    assert.match(diagnostics[0].message, new RegExp('10-junk\\.rules in this folder holds ' +
      '9\\.0 MiB, more than the editor reads beside an open file \\(8\\.0 MiB\\)'));
    assert.deepEqual(diagnostics[0].range,
      { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } });

    // Cut down to a rules file's size, it is read again: the duplicate shows.
    writeFileSync(junk, line);
    const before = client.refreshRequests;
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', {
      changes: [{ uri: pathToFileURL(junk).href, type: 2 }],
    });
    await waitFor(() => client.refreshRequests > before, 'a refresh after a file event');
    const after = codesOf(await client.pullDiagnostics(name));
    assert.ok(after.includes('0:duplicate-rule') && !after.includes('0:sibling-not-read'),
      after.join(', '));
  });

  test('a file the load never reaches because an earlier sibling stops it is told so',
    async (t) => {
      const folder = join(tempFolder('lsp-'), 'audit', 'rules.d');
      mkdirSync(folder, { recursive: true });
      writeFileSync(join(folder, '00-junk.rules'), 'garbage line\n');
      const own = join(folder, '10-a.rules');
      const text = '-w /etc/passwd -p wa -k a\n';
      writeFileSync(own, text);

      const client = await LspTestClient.start();
      t.after(() => client.stop());
      const name = pathToFileURL(own).href;
      await client.open(name, text);
      const diagnostics = await client.pullDiagnostics(name);
      const stopped = diagnostics.find((d) => d.code === 'load-stopped-earlier');
      assert.ok(stopped, codesOf(diagnostics).join(', '));
      assert.match(stopped.message, /stops loading at 00-junk\.rules:1 .*nothing here loads/);
      assert.ok((stopped.relatedInformation ?? []).some((r) =>
        r.location.uri === pathToFileURL(join(folder, '00-junk.rules')).href));
    });

  test('a file outside rules.d is checked on its own', async (t) => {
    const folder = tempFolder('lsp-');
    writeFileSync(join(folder, '10-base.rules'), '-w /etc/passwd -p wa -k identity\n');
    const alone = join(folder, '30-stig.rules');
    const client = await LspTestClient.start();
    t.after(() => client.stop());
    const name = pathToFileURL(alone).href;
    await client.open(name, '-w /etc/passwd -p wa -k identity\n');
    const diagnostics = await client.pullDiagnostics(name);
    assert.ok(!diagnostics.some((d) => d.code === 'duplicate-rule'));
  });
});

describe('a client without pull diagnostics, and logging', () => {
  test('diagnostics are pushed; the log stays quiet by default', async () => {
    const client = await LspTestClient.start({ pullDiagnostics: false });
    let stopped = false;
    try {
      const name = uri('push.rules');
      const published = client.nextPublished(name);
      await client.open(name, '-a ALWAYS,exit\n');
      const diagnostics = await published;
      assert.deepEqual(codesOf(diagnostics), ['0:bad-list-action']);

      const next = client.nextPublished(name);
      await client.replace(name, '-D\n-b 8192\n');
      assert.deepEqual(await next, []);
      assert.deepEqual(client.logMessages, [], 'nothing logged at the default level');
      stopped = true;
      assert.equal(await client.stop(), 0);
    } finally {
      if (!stopped) await client.stop();
    }
  });

  test('logLevel debug writes timings to the client log', async (t) => {
    const client = await LspTestClient.start({ settings: { logLevel: 'debug' } });
    t.after(() => client.stop());
    await waitFor(() => client.configurationRequests > 0, 'the settings request');
    const name = uri('log.rules');
    await client.open(name, '-w /etc/passwd -p wa -k identity\n');
    await client.pullDiagnostics(name);
    await client.request('textDocument/hover', {
      textDocument: { uri: name },
      position: { line: 0, character: 1 },
    });
    await waitFor(
      () => client.logMessages.some((m) => /hover took/.test(m.message)),
      'a hover timing',
    );
    assert.ok(client.logMessages.some((m) =>
      /checked .*log\.rules v1: \d+ diagnostics in [0-9.]+ ms/.test(m.message),
    ));
  });
});

describe('settings the server sets aside', () => {
  test('a bad value or an unknown code is shown once, then again only when it changes',
    async (t) => {
      const settings = {
        auditVersion: '9.9',
        diagnostics: { severity: { 'no-such-code': 'ignore', 'syscall-number': 'loud' } },
      };
      const client = await LspTestClient.start({ settings });
      t.after(() => client.stop());
      await waitFor(() => client.shownMessages.length > 0, 'a message about the settings');
      const [shown] = client.shownMessages;
      assert.equal(shown.type, 2, 'a warning');
      assert.match(shown.message, /auditd\.auditVersion "9\.9" is not one of 3\.0\.9, 4\.2/);
      assert.match(shown.message, /"no-such-code", which is not a diagnostic code/);
      assert.match(shown.message, /severity of syscall-number is "loud"/);

      // The same settings again (any configuration change makes the client send them all).
      await client.changeSettings(settings);
      await client.changeSettings({ ...settings, defaultArch: 'aarch64' });
      const name = uri('settings.rules');
      await client.open(name, '-a always,exit -F arch=b64 -S 263 -k delete\n');
      await client.pullDiagnostics(name);
      assert.equal(client.shownMessages.length, 1, 'nothing new to show');

      await client.changeSettings({ defaultArch: 'sparc' });
      await waitFor(() => client.shownMessages.length > 1, 'a message about the new setting');
      assert.match(client.shownMessages[1].message, /auditd\.defaultArch "sparc" is not one of/);

      await client.changeSettings({});
      await client.pullDiagnostics(name);
      assert.equal(client.shownMessages.length, 2, 'good settings show nothing');
    });

  test('settings given at initialize by a client without workspace/configuration', async (t) => {
    const client = await LspTestClient.start({
      configuration: false,
      initializationOptions: { settings: { auditd: { logLevel: 'chatty' } } },
    });
    t.after(() => client.stop());
    await waitFor(() => client.shownMessages.length > 0, 'a message about the settings');
    assert.match(client.shownMessages[0].message, /auditd\.logLevel "chatty" is not one of/);
  });
});

describe('language server over Node IPC', () => {
  test('initialize, diagnostics and hover', async (t) => {
    const client = await LspTestClient.start({ transport: 'ipc' });
    let stopped = false;
    t.after(() => (stopped ? undefined : client.stop()));
    const name = uri('ipc.rules');
    await client.open(name, '-a always,exit -F arch=b32 -S 263 -k timers\n');
    const diagnostics = await client.pullDiagnostics(name);
    assert.ok(codesOf(diagnostics).includes('0:syscall-number'));
    const hover = await client.request<Hover>('textDocument/hover', {
      textDocument: { uri: name },
      position: { line: 0, character: 31 },
    });
    assert.match(hover.contents.value, /\*\*263\*\* on b32 \(i386\) is \*\*timer_delete\*\*/);
    stopped = true;
    assert.equal(await client.stop(), 0);
  });
});

describe('the auditd-language-server command', () => {
  test('without a transport it prints its usage and exits with 2', () => {
    const run = spawnSync(process.execPath, [serverPath], { encoding: 'utf8', timeout: 10000 });
    assert.equal(run.status, 2);
    assert.match(run.stderr, /usage: auditd-language-server --stdio/);
  });

  test('the bundle starts with a shebang, so the bin runs on its own', () => {
    assert.match(readFileSync(serverPath, 'utf8').slice(0, 40), /^#!\/usr\/bin\/env node\n/);
  });
});

async function waitFor(condition: () => boolean, what: string, timeoutMillis = 5000) {
  const deadline = Date.now() + timeoutMillis;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function waitForValue<T>(
  probe: () => Promise<T | undefined>,
  what: string,
  timeoutMillis = 5000,
): Promise<T> {
  const deadline = Date.now() + timeoutMillis;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
