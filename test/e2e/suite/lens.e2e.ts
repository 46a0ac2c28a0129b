// Issue 6's match counts in the editor: "Audit: Analyze Log Noise" on samples/audit.log, then
// a rules document's code lenses and hover say how many of the log's events each rule
// matched; the counts of one-syscall rules equal the CLI's per-syscall counts of the log.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import {
  closeEditorsDiscardingEdits, eventually, extensionId, hoverText, missingExtension,
  rulesLanguage,
} from './editor-state';
import { skipWith } from './exchange';

const analyzeLogNoiseCommand = 'auditd.analyzeLogNoise';

function extensionPath(): string {
  return vscode.extensions.getExtension(extensionId)!.extensionPath;
}

/** The CLI's events per syscall name of the log (one machine in the sample log). */
function syscallEvents(log: string): Map<string, number> {
  const output = execFileSync(process.execPath,
    [join(extensionPath(), 'dist', 'cli.js'), 'noise', '--format', 'json', log],
    { encoding: 'utf8' });
  const json = JSON.parse(output) as { bySyscall: { name: string; events: number }[] };
  return new Map(json.bySyscall.map((entry) => [entry.name, entry.events]));
}

suite('match counts of the analysed log', () => {
  setup(async function () {
    const missing = missingExtension();
    if (missing) skipWith(this, missing);
    await vscode.extensions.getExtension(extensionId)!.activate();
    if (!existsSync(join(extensionPath(), 'samples', 'audit.log'))) {
      skipWith(this, 'samples/audit.log is missing');
    }
  });

  teardown(closeEditorsDiscardingEdits);

  test('code lenses and hover carry the counts once the noise view has read a log',
    async function () {
      const log = join(extensionPath(), 'samples', 'audit.log');
      const expected = syscallEvents(log);
      const rules = ['sendmmsg', 'execve', 'bind']
        .map((name) => `-a always,exit -F arch=b64 -S ${name} -k ${name}`);
      const document = await vscode.workspace.openTextDocument({
        language: rulesLanguage, content: `${rules.join('\n')}\n`,
      });
      await vscode.window.showTextDocument(document);

      await vscode.commands.executeCommand(analyzeLogNoiseCommand, vscode.Uri.file(log));
      const lenses = await eventually('code lenses counting audit.log',
        () => vscode.commands.executeCommand<vscode.CodeLens[]>(
          'vscode.executeCodeLensProvider', document.uri),
        (found) => (found ?? []).length === rules.length &&
          found.every((lens) => lens.command?.title.includes('in audit.log')));

      const titles = [...lenses].sort((a, b) => a.range.start.line - b.range.start.line)
        .map((lens) => lens.command!.title);
      ['sendmmsg', 'execve', 'bind'].forEach((name, line) => {
        const events = expected.get(name);
        assert.ok(events, `the CLI counts no ${name} event`);
        assert.ok(titles[line].startsWith(`${events.toLocaleString('en-US')} event`),
          `${name}: ${titles[line]} (the CLI counts ${events})`);
      });

      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
        'vscode.executeHoverProvider', document.uri, new vscode.Position(0, 5));
      const text = hoverText(hovers);
      assert.match(text, /^This rule logs every sendmmsg/);
      assert.match(text, new RegExp(`Matched ${expected.get('sendmmsg')} events`));
    });
});
