// Issue 3's end-to-end proof: the extension in a real VS Code, on rules files of the
// fixture workspace (test/e2e/workspace/etc/audit/rules.d).
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  codeOf, completionLabels, eventually, hoverText, missingExtension, openRulesFile,
  positionOf, rulesLanguage,
} from './editor-state';
import { expectOnScreen, skipWith } from './exchange';

suite('audit rules in the editor', () => {
  setup(function () {
    const missing = missingExtension();
    if (missing) skipWith(this, missing);
  });

  test('a rules file shows its diagnostics: the two lines auditctl rejects', async () => {
    const document = await openRulesFile('10-diagnostics.rules');
    assert.equal(document.languageId, rulesLanguage);

    const errorsOn = (line: number) => vscode.languages.getDiagnostics(document.uri)
      .filter((diagnostic) => diagnostic.severity === vscode.DiagnosticSeverity.Error)
      .filter((diagnostic) => diagnostic.range.start.line === line);
    await eventually('errors on lines 3 and 4',
      () => [errorsOn(2), errorsOn(3)],
      ([third, fourth]) => third.length > 0 && fourth.length > 0);

    // The unknown syscall is pointed at exactly; the bad action at its token.
    const unknownSyscall = errorsOn(2).map((diagnostic) => document.getText(diagnostic.range));
    assert.ok(unknownSyscall.includes('not_a_syscall'), `ranges: ${unknownSyscall}`);
    const badAction = errorsOn(3).map((diagnostic) => document.getText(diagnostic.range));
    assert.ok(badAction.some((text) => text.includes('sometimes')), `ranges: ${badAction}`);

    // The lines auditctl accepts have no error, and every diagnostic has a code.
    assert.deepEqual(errorsOn(1), []);
    assert.deepEqual(errorsOn(4), []);
    for (const diagnostic of vscode.languages.getDiagnostics(document.uri)) {
      assert.ok(diagnostic.code !== undefined, `no code on "${diagnostic.message}"`);
    }
  });

  test('the editor underlines them and the Problems panel lists them', async function () {
    const document = await openRulesFile('10-diagnostics.rules');
    await eventually('diagnostics', () => vscode.languages.getDiagnostics(document.uri),
      (diagnostics) => diagnostics.length >= 2);

    await expectOnScreen(this, 'error-squiggles', { minimum: '2' });
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    await expectOnScreen(this, 'problems-panel', {
      file: '10-diagnostics.rules', minimum: '2', screenshot: 'problems-panel',
    });
    await vscode.commands.executeCommand('workbench.action.closePanel');
  });

  test('hovering syscall 263 on a b64 rule reads unlinkat, with timer_delete on b32', async () => {
    const document = await openRulesFile('20-hover.rules');
    const position = positionOf(document, 1, '263', 1);

    const text = await eventually('a hover naming unlinkat',
      async () => hoverText(await vscode.commands.executeCommand<vscode.Hover[]>(
        'vscode.executeHoverProvider', document.uri, position)),
      (hover) => hover.includes('unlinkat'));
    assert.match(text, /timer_delete/);
  });

  test('the hover widget shows it as a user sees it', async function () {
    const document = await openRulesFile('20-hover.rules');
    const position = positionOf(document, 1, '263', 1);
    await eventually('a hover naming unlinkat',
      async () => hoverText(await vscode.commands.executeCommand<vscode.Hover[]>(
        'vscode.executeHoverProvider', document.uri, position)),
      (hover) => hover.includes('unlinkat'));

    const editor = vscode.window.activeTextEditor!;
    editor.selection = new vscode.Selection(position, position);
    await vscode.commands.executeCommand('editor.action.showHover');
    await expectOnScreen(this, 'hover-widget', { text: 'unlinkat', screenshot: 'hover' });
  });

  test('the quick fix turns syscall number 87 into its name, unlink', async () => {
    const document = await openRulesFile('30-quickfix.rules');
    const numberAt = positionOf(document, 1, '87', 1);

    // The number's own diagnostic: the whole line also has load-stopped-earlier, as an
    // earlier file of the folder stops the load.
    const [diagnostic] = await eventually('a diagnostic on syscall number 87',
      () => vscode.languages.getDiagnostics(document.uri)
        .filter((candidate) => candidate.range.contains(numberAt) &&
          codeOf(candidate) === 'syscall-number'),
      (found) => found.length > 0);

    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider', document.uri, diagnostic.range,
      vscode.CodeActionKind.QuickFix.value);
    const titles = actions.map((action) => action.title);
    const fix = actions.find((action) => /\bunlink\b/.test(action.title) &&
      !/\ball\b/i.test(action.title));
    assert.ok(fix, `no quick fix naming unlink among: ${titles.join(' | ')}`);

    if (fix.edit) assert.equal(await vscode.workspace.applyEdit(fix.edit), true);
    if (fix.command) {
      await vscode.commands.executeCommand(fix.command.command, ...(fix.command.arguments ?? []));
    }
    assert.equal(document.lineAt(1).text, '-a always,exit -F arch=b64 -S unlink -k unlink');

    // Once fixed, the diagnostic goes away.
    const fixedAt = positionOf(document, 1, 'unlink', 1);
    await eventually('the diagnostic to clear',
      () => vscode.languages.getDiagnostics(document.uri)
        .filter((candidate) => candidate.range.contains(fixedAt) &&
          codeOf(candidate) === 'syscall-number'),
      (left) => left.length === 0);
  });

  test('completion offers syscall names after -S and field names after -F', async () => {
    const document = await openRulesFile('40-completion.rules');

    const afterSyscall = document.lineAt(1).range.end;
    const syscalls = await eventually('syscall completions',
      async () => completionLabels(await vscode.commands.executeCommand<vscode.CompletionList>(
        'vscode.executeCompletionItemProvider', document.uri, afterSyscall)),
      (labels) => labels.includes('fchownat'));
    assert.ok(syscalls.includes('renameat2'), `labels: ${syscalls.slice(0, 40)}`);

    const afterField = document.lineAt(2).range.end;
    const fields = completionLabels(await vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider', document.uri, afterField));
    const fieldNames = fields.map((label) => label.replace(/=$/, ''));
    for (const field of ['auid', 'success', 'uid']) {
      assert.ok(fieldNames.includes(field), `no ${field} among: ${fields.slice(0, 60)}`);
    }
  });
});
