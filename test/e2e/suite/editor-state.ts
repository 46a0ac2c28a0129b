// What the in-editor specs share: the extension's identity, opening fixture files, and
// waiting for the language server's answers, which arrive some time after a file opens.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';

export const extensionId = 'auditd-tools.auditd-tools';
export const rulesLanguage = 'audit-rules';

/** Why the extension cannot be exercised, or undefined when its bundle is there. */
export function missingExtension(): string | undefined {
  const extension = vscode.extensions.getExtension(extensionId);
  if (!extension) return `${extensionId} is not loaded in the editor`;
  const main = join(extension.extensionPath, 'dist', 'extension.js');
  if (!existsSync(main)) {
    return 'the extension is not built: dist/extension.js is missing ' +
      '(client/src/extension.ts does not exist yet)';
  }
  return undefined;
}

export async function openRulesFile(name: string): Promise<vscode.TextDocument> {
  const [uri] = await vscode.workspace.findFiles(`etc/audit/rules.d/${name}`);
  if (!uri) throw new Error(`fixture ${name} is missing from the workspace`);
  const document = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(document);
  return document;
}

/** The position of the first occurrence of `text` on `line`, plus `offset` characters. */
export function positionOf(
  document: vscode.TextDocument, line: number, text: string, offset = 0,
): vscode.Position {
  const character = document.lineAt(line).text.indexOf(text);
  if (character < 0) throw new Error(`"${text}" is not on line ${line + 1}`);
  return new vscode.Position(line, character + offset);
}

/** Polls `probe` until `accept` takes its answer, or throws with the last answer seen. */
export async function eventually<T>(
  what: string, probe: () => Thenable<T> | T, accept: (value: T) => boolean, timeoutMs = 15_000,
): Promise<T> {
  const started = Date.now();
  let last: T | undefined;
  while (Date.now() - started < timeoutMs) {
    last = await probe();
    if (accept(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${what} within ${timeoutMs} ms; last seen: ${describe(last)}`);
}

function describe(value: unknown): string {
  const text = JSON.stringify(value, (_key, item) =>
    (item instanceof vscode.Uri ? String(item) : item));
  return text === undefined ? String(value) : text.slice(0, 1_500);
}

/** The plain text of hover contents, whatever form each part takes. */
export function hoverText(hovers: vscode.Hover[] | undefined): string {
  const parts: string[] = [];
  for (const hover of hovers ?? []) {
    for (const content of hover.contents) {
      if (typeof content === 'string') parts.push(content);
      else parts.push(content.value);
    }
  }
  return parts.join('\n');
}

/**
 * The labels of the language's own completion items. VS Code adds the words of open
 * documents as items of kind Text; those prove nothing about the extension.
 */
export function completionLabels(list: vscode.CompletionList | undefined): string[] {
  return (list?.items ?? [])
    .filter((item) => item.kind !== vscode.CompletionItemKind.Text)
    .map((item) => (typeof item.label === 'string' ? item.label : item.label.label));
}

/** Closes every editor; edits the tests made are reverted first, so no save prompt blocks. */
export async function closeEditorsDiscardingEdits(): Promise<void> {
  for (const document of vscode.workspace.textDocuments.filter((open) => open.isDirty)) {
    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/** A diagnostic's code as text, whether given alone or with its documentation link. */
export function codeOf(diagnostic: vscode.Diagnostic): string {
  const code = diagnostic.code;
  return String(typeof code === 'object' ? code.value : code);
}
