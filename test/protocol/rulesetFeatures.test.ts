// Protocol tests of the whole-ruleset features in the editor: cross-file diagnostics and
// their move fix in a rules.d folder, the rule summary on hover, and the match counts of
// an analysed log (hover and code lens), checked against the engine run in this process.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { analyzeLogs } from '../../server/src/log/analyze';
import { bucketFacts } from '../../server/src/log/impact';
import { checkRulesText } from '../../server/src/rules/check';
import { matchCounts } from '../../server/src/rules/match';
import { LspTestClient, Range, TextEdit, repoRoot } from './lspClient';
import { tempFolder } from '../tempFolders';

interface Hover {
  contents: { kind: string; value: string };
  range: Range;
}
interface CodeLens {
  range: Range;
  command?: { title: string; command: string };
}
interface CodeAction {
  title: string;
  isPreferred?: boolean;
  diagnostics?: { code: string }[];
  edit?: { changes: Record<string, TextEdit[]> };
}

const sampleLog = join(repoRoot, 'samples', 'audit.log');

async function eventually<T>(
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  what: string,
): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('rules.d: diagnostics and fixes across files', () => {
  let client: LspTestClient;

  const rulesFolder = () => {
    const folder = join(tempFolder('lsp-ruleset-'), 'rules.d');
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, '10-base.rules'),
      '-D\n-a always,exit -F arch=b64 -S execve -k exec\n-w /etc/passwd -p wa -k identity\n');
    return folder;
  };

  /** Writes a rules file into the folder, opens it in the editor and pulls its diagnostics. */
  const openRulesFile = async (folder: string, name: string, text: string) => {
    const path = join(folder, name);
    writeFileSync(path, text);
    const uri = pathToFileURL(path).href;
    await client.open(uri, text);
    return { uri, diagnostics: await client.pullDiagnostics(uri) };
  };

  before(async () => {
    client = await LspTestClient.start();
  });
  after(() => client.stop());

  test('a duplicate of an earlier file shows here, pointing at the earlier rule', async () => {
    const folder = rulesFolder();
    const text = '-w /etc/group -p wa -k identity\n-w /etc/passwd -p wa -k identity\n';
    const { diagnostics } = await openRulesFile(folder, '30-stig.rules', text);
    const duplicates = diagnostics.filter((d) => d.code === 'duplicate-rule');
    assert.equal(duplicates.length, 1, JSON.stringify(diagnostics));
    assert.equal(duplicates[0].range.start.line, 1);
    assert.deepEqual(
      duplicates[0].relatedInformation?.map((r) => [r.location.uri, r.location.range.start.line]),
      [[pathToFileURL(join(folder, '10-base.rules')).href, 2]],
    );
  });

  test('a never rule pre-empted from an earlier file moves into that file', async () => {
    // A folder of its own: the duplicate above would stop the load before this file.
    const folder = rulesFolder();
    const text = '# quiet the loader\n-a never,exit -F arch=b64 -S execve -F auid=0\n';
    const { uri, diagnostics } = await openRulesFile(folder, '40-local.rules', text);
    const preempted = diagnostics.find((d) => d.code === 'never-after-always');
    assert.ok(preempted, JSON.stringify(diagnostics));
    assert.equal(preempted.range.start.line, 1);
    const base = pathToFileURL(join(folder, '10-base.rules')).href;
    assert.equal(preempted.relatedInformation?.[0]?.location.uri, base);
    assert.equal(preempted.relatedInformation?.[0]?.location.range.start.line, 1);

    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: preempted.range,
      context: { diagnostics: [preempted] },
    });
    const move = actions.find((action) => action.title.startsWith('Move this rule to'));
    assert.ok(move, JSON.stringify(actions.map((a) => a.title)));
    assert.equal(move.title, 'Move this rule to 10-base.rules, above line 2');
    assert.deepEqual(move.edit?.changes[base], [{
      range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } },
      newText: '-a never,exit -F arch=b64 -S execve -F auid=0\n',
    }]);
    assert.deepEqual(move.edit?.changes[uri], [{
      range: { start: { line: 1, character: 0 }, end: { line: 2, character: 0 } },
      newText: '',
    }]);
  });

  test('a never rule partly pre-empted from an earlier file also moves into it', async () => {
    const folder = rulesFolder();
    const never = '-a never,exit -F arch=b64 -S execve,connect -F exe=/usr/bin/curl';
    const { uri, diagnostics } = await openRulesFile(folder, '99-noise.rules', `${never}\n`);
    const partly = diagnostics.find((d) => d.code === 'never-partly-pre-empted');
    assert.ok(partly, JSON.stringify(diagnostics));
    assert.match(partly.message, /its execve events/);

    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: partly.range,
      context: { diagnostics: [partly] },
    });
    const move = actions.find((action) => action.title.startsWith('Move this rule to'));
    assert.ok(move, JSON.stringify(actions.map((a) => a.title)));
    assert.equal(move.title, 'Move this rule to 10-base.rules, above line 2');
  });
});

describe('quick fixes fed by the ruleset codes\' data', () => {
  test('final newline, -F exe= for path=, a never rule moved above in its own file',
    async (t) => {
      const folder = join(tempFolder('lsp-ruleset-'), 'rules.d');
      mkdirSync(folder, { recursive: true });
      writeFileSync(join(folder, '20-next.rules'), '-w /etc/group -p wa -k identity\n');
      const local = join(folder, '10-local.rules');
      const text = [
        '-a always,exit -F arch=b64 -S execve -k exec',
        '-a never,exit -F arch=b64 -S execve -F auid=0',
        '-a never,exit -F arch=b64 -S openat -F path=/usr/sbin/named',
      ].join('\n');
      writeFileSync(local, text);

      const client = await LspTestClient.start();
      t.after(() => client.stop());
      const uri = pathToFileURL(local).href;
      await client.open(uri, text);
      const diagnostics = await client.pullDiagnostics(uri);
      const titlesFor = async (code: string) => {
        const diagnostic = diagnostics.find((d) => d.code === code);
        assert.ok(diagnostic, `${code} in ${diagnostics.map((d) => d.code).join(', ')}`);
        const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
          textDocument: { uri }, range: diagnostic.range, context: { diagnostics: [diagnostic] },
        });
        return actions.map((action) => action.title);
      };

      assert.ok((await titlesFor('missing-final-newline')).includes('Add the final newline'));
      assert.ok((await titlesFor('path-not-caller'))
        .includes('Match the program: -F exe=/usr/sbin/named'));
      assert.ok((await titlesFor('never-after-always')).includes('Move this rule above line 1'));
    });
});

describe('a workspace folder laid out as rules.d', () => {
  test('its top-level files are one ruleset; a lone file or a folder removed is not', async (t) => {
    const root = tempFolder('lsp-workspace-');
    writeFileSync(join(root, '10-base.rules'), '-w /etc/passwd -p wa -k identity\n');
    const stig = join(root, '30-stig.rules');
    const text = '-w /etc/passwd -p wa -k identity\n';
    writeFileSync(stig, text);
    const lone = tempFolder('lsp-workspace-');
    writeFileSync(join(lone, 'audit.rules'), text);

    const rootUri = pathToFileURL(root).href;
    const client = await LspTestClient.start({
      workspaceFolders: [rootUri, pathToFileURL(lone).href],
    });
    t.after(() => client.stop());

    const uri = pathToFileURL(stig).href;
    await client.open(uri, text);
    const duplicate = (await client.pullDiagnostics(uri)).find((d) => d.code === 'duplicate-rule');
    assert.ok(duplicate);
    assert.equal(duplicate.relatedInformation?.[0]?.location.uri,
      pathToFileURL(join(root, '10-base.rules')).href);

    const loneUri = pathToFileURL(join(lone, 'audit.rules')).href;
    await client.open(loneUri, text);
    const loneCodes = (await client.pullDiagnostics(loneUri)).map((d) => d.code);
    assert.ok(!loneCodes.includes('duplicate-rule'), loneCodes.join(', '));

    // Once the folder leaves the workspace, its files are checked one by one again.
    await client.connection.sendNotification('workspace/didChangeWorkspaceFolders', {
      event: { added: [], removed: [{ uri: rootUri, name: rootUri }] },
    });
    const after = await eventually(
      () => client.pullDiagnostics(uri),
      (found) => !found.some((d) => d.code === 'duplicate-rule'),
      'the duplicate to go with the folder',
    );
    assert.ok(!after.some((d) => d.code === 'duplicate-rule'));
  });
});

describe('hover summary and match counts of the analysed log', () => {
  const rulesText = [
    '-a always,exit -F arch=b64 -S sendmmsg -k net',
    '-a always,exit -F arch=b64 -S execve -F auid>=1000 -F auid!=unset -k exec',
    '-a always,exit -F arch=b64 -S connect -F exe=/usr/bin/dig',
    '-a always,exit -F arch=b64 -S openat -F success=0 -k failed-open',
    '-w /etc/passwd -p wa -k identity',
    '-a always,exit -F arch=b64 -S execve -F path=/usr/bin/env',
    '',
  ].join('\n');
  const uri = 'file:///work/hardening.rules';
  let client: LspTestClient;

  before(async () => {
    client = await LspTestClient.start();
    await client.open(uri, rulesText);
  });
  after(() => client.stop());

  const hoverAt = (line: number, character: number) =>
    client.request<Hover | null>('textDocument/hover', {
      textDocument: { uri },
      position: { line, character },
    });
  const lenses = () =>
    client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });

  test('the list,action word and the -a option describe the rule', async () => {
    const onListAction = await hoverAt(1, 5);
    assert.ok(onListAction);
    assert.ok(
      onListAction.contents.value.startsWith('This rule logs every execve'),
      onListAction.contents.value,
    );
    assert.match(onListAction.contents.value, /auid ≥ 1000/);
    assert.match(onListAction.contents.value, /tagged exec\./);
    // The word's own documentation still follows.
    assert.match(onListAction.contents.value, /\*\*always\*\* \(action\)/);
    assert.doesNotMatch(onListAction.contents.value, /Matched/);

    const onOption = await hoverAt(1, 1);
    assert.ok(onOption);
    assert.ok(onOption.contents.value.startsWith('This rule logs every execve'));
    assert.equal((onOption.contents.value.match(/This rule/g) ?? []).length, 1);

    // Hovers on other words are unchanged.
    const onSyscall = await hoverAt(1, 33);
    assert.ok(onSyscall);
    assert.doesNotMatch(onSyscall.contents.value, /This rule/);
  });

  test('no code lens before a log is analysed', async () => {
    assert.deepEqual(await lenses(), []);
  });

  test('after the analysed-log notification: counts as the engine computes them', async (t) => {
    // The engine in this process: the log's event profile, matched by the same model.
    const report = await analyzeLogs([sampleLog], { workers: 0 });
    const checked = checkRulesText(rulesText, { hostMachine: 'x86_64' });
    const samples = report.profile.buckets.map((bucket) => ({
      facts: bucketFacts(bucket),
      events: bucket.events,
    }));
    const expected = matchCounts(checked.rules, samples);
    const byLine = new Map([...expected].map(([rule, count]) => [rule.line, count]));
    assert.ok([...expected.values()].some((c) => c.matched > 0), 'some rule matches the log');

    const started = performance.now();
    const refreshes = client.codeLensRefreshRequests;
    await client.connection.sendNotification('auditd/analysedLogs', { files: [sampleLog] });
    // The editor is asked to fetch the lenses again once the counts are there.
    await eventually(async () => client.codeLensRefreshRequests, (n) => n > refreshes,
      'a code lens refresh');
    const shown = await lenses();
    t.diagnostic(`counts shown ${(performance.now() - started).toFixed(0)} ms after the notice`);

    assert.deepEqual(shown.map((lens) => lens.range.start.line), [0, 1, 2, 3, 4, 5]);
    for (const lens of shown) {
      const count = byLine.get(lens.range.start.line)!;
      const title = lens.command?.title ?? '';
      const [, matched] = /^([\d,]+) events? matched/.exec(title) ?? [];
      assert.equal(Number(matched?.replace(/,/g, '')), count.matched, title);
      assert.match(title, /in audit\.log/);
      if (count.unknown > 0) {
        assert.match(title, new RegExp(`· ${count.unknown.toLocaleString('en-US')} undecided`));
      } else {
        assert.doesNotMatch(title, /undecided/);
      }
    }
    // sendmmsg is most of the sample log; the watch depends on paths the profile lacks.
    assert.ok(byLine.get(0)!.matched > 1000);
    assert.ok(byLine.get(4)!.unknown > 0 || byLine.get(5)!.unknown > 0);

    const hover = await hoverAt(0, 5);
    const count = byLine.get(0)!;
    const share = ((100 * count.matched) / report.events).toFixed(1);
    assert.match(
      hover?.contents.value ?? '',
      new RegExp(`Matched ${count.matched} events \\(${share}%\\) of the last analysed log`),
    );
  });

  test('an empty list of logs takes the counts away', async () => {
    await client.connection.sendNotification('auditd/analysedLogs', { files: [] });
    await eventually(lenses, (found) => found.length === 0, 'the lenses to go');
    const hover = await hoverAt(0, 5);
    assert.doesNotMatch(hover?.contents.value ?? '', /Matched/);
  });
});
