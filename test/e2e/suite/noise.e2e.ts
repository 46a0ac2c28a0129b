// Issue 5's proof in the editor: "Audit: Analyze Log Noise" on a corpus log, its webview read
// from the DOM and compared with the CLI's JSON, in the dark and light themes.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { extensionId, missingExtension } from './editor-state';
import { expectOnScreen, skipWith } from './exchange';

const analyzeLogNoiseCommand = 'auditd.analyzeLogNoise';

interface NoiseJson {
  byExe: { exe: string; events: number }[];
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
  });

  test('shows the top executable of a corpus log with the CLI\'s count', async function () {
    const root = vscode.extensions.getExtension(extensionId)!.extensionPath;
    const log = join(root, '..', 'shared', 'corpus', 'logs', 'go-libaudit',
      'auparse_testdata_audit-rhel7.log');
    const cli = join(root, 'dist', 'cli.js');
    if (!existsSync(cli)) skipWith(this, 'dist/cli.js is not built: no CLI to compare with');

    const json = execFileSync(process.execPath, [cli, 'noise', '--format', 'json', log], {
      encoding: 'utf8',
    });
    const [top] = (JSON.parse(json) as NoiseJson).byExe;
    assert.ok(top, 'the CLI found no executable in the log');

    // The view in both themes, set explicitly: the web workbench's default follows the
    // browser's colour scheme.
    const workbench = vscode.workspace.getConfiguration('workbench');
    const setTheme = (theme: string | undefined) =>
      workbench.update('colorTheme', theme, vscode.ConfigurationTarget.Global);
    try {
      await setTheme('Default Dark Modern');
      const panel = await vscode.commands.executeCommand(analyzeLogNoiseCommand,
        vscode.Uri.file(log));
      assert.ok(panel, 'the command opened no view');
      await expectOnScreen(this, 'webview-text', {
        texts: `${top.exe}\n${top.events}`, row: '1', theme: 'vscode-dark',
        screenshot: 'editor-noise-view-dark',
      });

      await setTheme('Default Light Modern');
      await expectOnScreen(this, 'webview-text', {
        texts: `${top.exe}\n${top.events}`, row: '1', theme: 'vscode-light',
        screenshot: 'editor-noise-view-light',
      });
    } finally {
      await setTheme(undefined);
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    }
  });
});
