// The extension as users get it: installed from the .vsix built by `npm run package`, with
// no node_modules beside it. The extension under development in this run is an empty probe.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { eventually, extensionId, openRulesFile, rulesLanguage } from './editor-state';

suite('the packaged extension', () => {
  test('installed from the .vsix, it activates on a rules file and checks it', async () => {
    const extension = vscode.extensions.getExtension(extensionId);
    assert.ok(extension, `${extensionId} is not installed`);
    assert.match(extension.extensionPath, /[/]ext[/]auditd-tools\.auditd-tools-\d/,
      'the extension was not loaded from the server\'s extensions folder');
    assert.equal(extension.isActive, false);

    const document = await openRulesFile('10-diagnostics.rules');
    assert.equal(document.languageId, rulesLanguage);
    await eventually('activation on opening a rules file', () => extension.isActive,
      (active) => active);

    // The bundled language server answers: the unknown syscall on line 3 is an error.
    await eventually('an error on line 3',
      () => vscode.languages.getDiagnostics(document.uri).map((diagnostic) => ({
        line: diagnostic.range.start.line, severity: diagnostic.severity,
      })),
      (found) => found.some((diagnostic) => diagnostic.line === 2 &&
        diagnostic.severity === vscode.DiagnosticSeverity.Error));
  });
});
