// Issue 5's proof in the editor: "Audit: Analyze Log Noise" on a corpus log, its webview read
// from the DOM and compared with the CLI's JSON in the dark and light themes, then a row
// selected and its exclusion rules inserted into a rules file.
// The view's test hooks are listed in docs/design-noise-view.md.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import * as vscode from 'vscode';
import {
  closeEditorsDiscardingEdits, codeOf, eventually, extensionId, missingExtension,
} from './editor-state';
import { expectOnScreen, skipWith } from './exchange';

const analyzeLogNoiseCommand = 'auditd.analyzeLogNoise';

interface NoiseJson {
  byExe: { exe: string; events: number }[];
  suggestions: { selection: { kind: string; exe?: string }; rules: string[] }[];
}

/** A corpus log whose top executable is sshd and whose kmod events have a clean exclusion. */
function corpusLog(): string {
  const root = vscode.extensions.getExtension(extensionId)!.extensionPath;
  return join(root, '..', 'shared', 'corpus', 'logs', 'go-libaudit',
    'auparse_testdata_audit-rhel7.log');
}

function cliPath(): string {
  return join(vscode.extensions.getExtension(extensionId)!.extensionPath, 'dist', 'cli.js');
}

function runCli(args: string[]): string {
  return execFileSync(process.execPath, [cliPath(), ...args], { encoding: 'utf8' });
}

function noiseJson(): NoiseJson {
  // Every program of the log gets its suggestion, not only the 3 busiest: kmod is one event.
  const args = ['noise', '--format', 'json', '--suggest', '20', corpusLog()];
  return JSON.parse(runCli(args)) as NoiseJson;
}

/** What `auditd-tools check` says of `text` as a rules file, as JSON diagnostics. */
function cliCheck(text: string): { severity: string; code: string; message: string }[] {
  const dir = mkdtempSync(join(tmpdir(), 'auditd-tools-check-'));
  try {
    const file = join(dir, 'inserted.rules');
    writeFileSync(file, text);
    let output: string;
    try {
      output = runCli(['check', '--format', 'json', '--hints', file]);
    } catch (error) {
      // Exit 1 means errors were found; the JSON is still on stdout.
      output = (error as { stdout?: string }).stdout ?? '[]';
    }
    return JSON.parse(output) as { severity: string; code: string; message: string }[];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

suite('the noise view', () => {
  setup(async function () {
    const missing = missingExtension();
    if (missing) skipWith(this, missing);

    // Commands are registered by activate(); before it they are not listed.
    await vscode.extensions.getExtension(extensionId)!.activate();
    const commands = await vscode.commands.getCommands(true);
    if (!commands.includes(analyzeLogNoiseCommand)) {
      skipWith(this, `the command ${analyzeLogNoiseCommand} is not registered`);
    }
    if (!existsSync(cliPath())) skipWith(this, 'dist/cli.js is not built: no CLI to compare with');
  });

  teardown(closeEditorsDiscardingEdits);

  test('ranks first the CLI\'s top executable of a corpus log, with its count',
    async function () {
      const [top] = noiseJson().byExe;
      assert.ok(top, 'the CLI found no executable in the log');
      const topRow = `${top.exe}\n${top.events.toLocaleString('en-US')}`;
      const firstExeRow = '[data-testid="exe-row"][data-rank="1"]';

      // The view in both themes, set explicitly: the web workbench's default follows the
      // browser's colour scheme.
      const workbench = vscode.workspace.getConfiguration('workbench');
      const setTheme = (theme: string | undefined) =>
        workbench.update('colorTheme', theme, vscode.ConfigurationTarget.Global);
      try {
        await setTheme('Default Dark Modern');
        const panel = await vscode.commands.executeCommand(analyzeLogNoiseCommand,
          vscode.Uri.file(corpusLog()));
        assert.ok(panel, 'the command opened no view');
        await expectOnScreen(this, 'webview-text', {
          texts: topRow, row: firstExeRow, theme: 'vscode-dark',
          screenshot: 'editor-noise-view-dark',
        });

        await setTheme('Default Light Modern');
        await expectOnScreen(this, 'webview-text', {
          texts: topRow, row: firstExeRow, theme: 'vscode-light',
          screenshot: 'editor-noise-view-light',
        });
      } finally {
        await setTheme(undefined);
      }
    });

  test('a selected row\'s rules go above the rule they pre-empt, unsaved, with no diagnostics',
    async function () {
      const exe = '/usr/bin/kmod';
      const suggestion = noiseJson().suggestions
        .find((candidate) => candidate.selection.kind === 'exe' && candidate.selection.exe === exe);
      assert.ok(suggestion, `the CLI suggests no exclusion for ${exe}`);
      const rules = suggestion.rules;

      await vscode.commands.executeCommand(analyzeLogNoiseCommand, vscode.Uri.file(corpusLog()));
      await expectOnScreen(this, 'noise-insert', {
        exe, rules: rules.join('\n'), target: '50-local.rules',
      });

      const document = await eventually('the rules inserted into 50-local.rules',
        () => vscode.workspace.textDocuments.find((candidate) =>
          candidate.fileName.endsWith('/srv/audit/rules.d/50-local.rules')),
        (found) => found !== undefined && rules.every((rule) => found.getText().includes(rule)));
      const lines = document!.getText().split('\n');

      // Nothing is written until the user saves.
      assert.equal(document!.isDirty, true);

      // The first match wins: the never rule must come before the always rule it pre-empts.
      const never = lines.indexOf(rules[0]);
      const always = lines.findIndex((line) =>
        line.startsWith('-a always,exit -F arch=b64 -S init_module,finit_module'));
      assert.ok(never >= 0 && never < always, `never rule on line ${never + 1}, ` +
        `always rule on line ${always + 1}:\n${lines.join('\n')}`);
      assert.ok(lines.some((line) => line.startsWith('#') && line.includes(basename(corpusLog()))),
        'no comment names the source log');

      // No diagnostics at all, hints included: from the language server on the edited
      // document (given time to answer the edit), and from the CLI on the same text.
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      const problems = vscode.languages.getDiagnostics(document!.uri)
        .map((diagnostic) => `${diagnostic.range.start.line + 1}: ${codeOf(diagnostic)} ` +
          diagnostic.message);
      assert.deepEqual(problems, [], `in:\n${lines.join('\n')}`);
      assert.deepEqual(cliCheck(document!.getText()), []);
    });
});
