// Proves the harness itself: these run in the real extension host, whatever the state of
// the extension under test.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { eventually } from './editor-state';
import { checkpoint } from './exchange';

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

  test('the browser sees the editor at a checkpoint', async () => {
    const [readme] = await vscode.workspace.findFiles('**/README.txt');
    await vscode.window.showTextDocument(readme);
    const outcome = await checkpoint('editor-text', { text: 'fixture workspace' });
    assert.ok(outcome.ok, outcome.message);
  });

  test('diagnostics of a built-in language reach the Problems panel and the squiggles', async () => {
    const [broken] = await vscode.workspace.findFiles('broken.json');
    await vscode.window.showTextDocument(broken);
    await eventually('JSON syntax errors', () => vscode.languages.getDiagnostics(broken),
      (diagnostics) => diagnostics.length >= 2);

    const squiggles = await checkpoint('error-squiggles', { minimum: '2' });
    assert.ok(squiggles.ok, squiggles.message);
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    const problems = await checkpoint('problems-panel', {
      file: 'broken.json', minimum: '2', screenshot: 'problems-panel-json',
    });
    assert.ok(problems.ok, problems.message);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
