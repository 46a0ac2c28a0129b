// Proves the harness itself: these run in the real extension host, whatever the state of
// the extension under test.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { eventually } from './editor-state';
import { expectOnScreen } from './exchange';

suite('harness', () => {
  test('runs inside a VS Code 1.100 extension host with the fixture workspace open', () => {
    assert.match(vscode.version, /^1\.100\./);
    const folders = vscode.workspace.workspaceFolders ?? [];
    assert.equal(folders.length, 1);
    assert.equal(folders[0].uri.scheme, 'file');
  });

  test('opens a document from the workspace and reads its text', async () => {
    const [readme] = await vscode.workspace.findFiles('**/README.txt');
    assert.ok(readme, 'the fixture workspace has README.txt');
    const document = await vscode.workspace.openTextDocument(readme);
    assert.match(document.getText(), /fixture workspace/);
  });

  test('the browser sees the editor\'s text', async function () {
    const [readme] = await vscode.workspace.findFiles('**/README.txt');
    await vscode.window.showTextDocument(readme);
    await expectOnScreen(this, 'editor-text', { text: 'fixture workspace' });
  });

  test('a built-in language\'s diagnostics show as squiggles and in Problems', async function () {
    const [broken] = await vscode.workspace.findFiles('broken.json');
    await vscode.window.showTextDocument(broken);
    await eventually('JSON syntax errors', () => vscode.languages.getDiagnostics(broken),
      (diagnostics) => diagnostics.length >= 2);

    await expectOnScreen(this, 'error-squiggles', { minimum: '2' });
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    await expectOnScreen(this, 'problems-panel', {
      file: 'broken.json', minimum: '2', screenshot: 'problems-panel-json',
    });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('workbench.action.closePanel');
  });
});
