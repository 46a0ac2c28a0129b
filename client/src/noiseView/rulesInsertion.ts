// Carries generated exclusion rules into the editor: into an existing rules file at the
// place where they take effect, into a new rules file, into a new untitled document, or
// onto the clipboard. Every change is a WorkspaceEdit or an untitled document, so it can
// be undone and nothing reaches the disk until the user saves.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { eventSetOf } from '../../../server/src/rules/match';
import { parseRulesLine } from '../../../server/src/rules/parse';
import {
  exclusionBlock, insertionAt, modelResolver, placeExclusions, readRulesFile, rulesDirConflict,
  type ExclusionToPlace, type RulesDirFile,
} from './rulesPlacement';
import type { GeneratedRule } from './workerProtocol';

const rulesLanguage = 'audit-rules';

function sourceNames(files: readonly vscode.Uri[]): string[] {
  return files.map((file) => path.basename(file.fsPath));
}

function blockText(rules: readonly GeneratedRule[], files: readonly vscode.Uri[],
  kind: 'audit' | 'mdatp'): string {
  const texts = rules.map((rule) => rule.text);
  if (kind === 'mdatp') {
    const day = new Date().toISOString().slice(0, 10);
    const names = sourceNames(files).join(', ').replace(/[\r\n]/g, '?');
    return [`# mdatp exclusions from ${names}, ${day}`, ...texts].join('\n') + '\n';
  }
  return exclusionBlock(texts, sourceNames(files), new Date()).join('\n') + '\n';
}

function requireRules(rules: readonly GeneratedRule[]): boolean {
  if (rules.length > 0) return true;
  void vscode.window.showInformationMessage('Select rows first: there are no rules to use.');
  return false;
}

export async function copyExclusions(
  rules: readonly GeneratedRule[], files: readonly vscode.Uri[], kind: 'audit' | 'mdatp',
): Promise<void> {
  if (!requireRules(rules)) return;
  await vscode.env.clipboard.writeText(blockText(rules, files, kind));
  void vscode.window.setStatusBarMessage(`Copied ${rules.length} exclusion rules`, 3000);
}

export async function openExclusions(
  rules: readonly GeneratedRule[], files: readonly vscode.Uri[], kind: 'audit' | 'mdatp',
): Promise<void> {
  if (!requireRules(rules)) return;
  const document = await vscode.workspace.openTextDocument({
    language: kind === 'audit' ? rulesLanguage : 'shellscript',
    content: blockText(rules, files, kind),
  });
  await vscode.window.showTextDocument(document, { preview: false });
}

interface TargetPick extends vscode.QuickPickItem {
  target: { kind: 'file'; uri: vscode.Uri } | { kind: 'new' } | { kind: 'folder' };
}

async function rulesFileCandidates(): Promise<vscode.Uri[]> {
  const found = new Map<string, vscode.Uri>();
  const inWorkspace = await vscode.workspace.findFiles(
    '**/{*.rules,audit.rules}', '**/{node_modules,.git}/**', 500,
  );
  for (const uri of inWorkspace) found.set(uri.toString(), uri);
  for (const document of vscode.workspace.textDocuments) {
    if (document.languageId === rulesLanguage && document.uri.scheme === 'file') {
      found.set(document.uri.toString(), document.uri);
    }
  }
  return [...found.values()].sort((a, b) => a.fsPath.localeCompare(b.fsPath));
}

async function pickTarget(): Promise<TargetPick['target'] | undefined> {
  const candidates = await rulesFileCandidates();
  const items: TargetPick[] = candidates.map((uri) => ({
    label: path.basename(uri.fsPath),
    description: vscode.workspace.asRelativePath(path.dirname(uri.fsPath)),
    target: { kind: 'file', uri },
  }));
  items.push(
    { label: '$(new-file) New rules file…', target: { kind: 'new' },
      description: 'choose where; nothing is written until you save' },
    { label: '$(folder) Another rules file or rules.d folder…', target: { kind: 'folder' } },
  );
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Insert the exclusion rules into',
    placeHolder: 'A rules file (the rules go before the rules they must pre-empt)',
  });
  return picked?.target;
}

async function chooseOtherTarget(): Promise<{ kind: 'file'; uri: vscode.Uri } | undefined> {
  const chosen = await vscode.window.showOpenDialog({
    title: 'A rules file, or a rules.d folder for a new file in it',
    canSelectFiles: true, canSelectFolders: true, canSelectMany: false,
    defaultUri: vscode.Uri.file('/etc/audit/rules.d'),
  });
  const uri = chosen?.[0];
  if (!uri) return undefined;
  const stat = await vscode.workspace.fs.stat(uri);
  if (stat.type & vscode.FileType.Directory) {
    const name = await vscode.window.showInputBox({
      title: `New rules file in ${uri.fsPath}`,
      value: '20-noise-exclusions.rules',
      validateInput: (value) => (/^[^/\\]+\.rules$/.test(value)
        ? undefined : 'A file name ending in .rules (augenrules reads only *.rules)'),
    });
    return name ? { kind: 'file', uri: vscode.Uri.joinPath(uri, name) } : undefined;
  }
  return { kind: 'file', uri };
}

function toPlace(rules: readonly GeneratedRule[]): ExclusionToPlace[] {
  return rules.map((rule) => {
    if (rule.model) {
      return { text: rule.text, list: rule.model.list, eventSet: eventSetOf(rule.model) };
    }
    // The list comes from the rule's own -a option, read by the rules engine's parser.
    const option = parseRulesLine(rule.text, 0).options.find((o) => o.name === '-a');
    const words = option?.argument?.text.split(',') ?? [];
    const list = words.find((w) => w !== 'always' && w !== 'never') ?? rule.list;
    return { text: rule.text, list };
  });
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

/** The other *.rules files of a rules.d folder, with open editors' unsaved text. */
async function rulesDirSiblings(target: vscode.Uri, hostMachine: string):
  Promise<RulesDirFile[] | undefined> {
  const folder = vscode.Uri.file(path.dirname(target.fsPath));
  if (path.basename(folder.fsPath) !== 'rules.d') return undefined;
  const entries = await vscode.workspace.fs.readDirectory(folder);
  const siblings: RulesDirFile[] = [];
  for (const [name, type] of entries) {
    if (!(type & vscode.FileType.File) || !name.endsWith('.rules')) continue;
    const uri = vscode.Uri.joinPath(folder, name);
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    const text = open?.getText()
      ?? new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    siblings.push({ name, lines: readRulesFile(text, modelResolver(text, hostMachine)) });
  }
  return siblings;
}

/** Returns the file to write into after checking the rules.d order, or undefined. */
async function checkRulesDirOrder(
  target: vscode.Uri, rules: ExclusionToPlace[], hostMachine: string,
): Promise<vscode.Uri | undefined> {
  const siblings = await rulesDirSiblings(target, hostMachine);
  if (!siblings) return target;
  const conflict = rulesDirConflict(siblings, path.basename(target.fsPath), rules);
  if (!conflict) return target;

  const create = `Use ${conflict.suggestedName}`;
  const anyway = 'Insert anyway';
  const answer = await vscode.window.showWarningMessage(
    `${conflict.file} (line ${conflict.rule.line + 1}) has an always rule that matches first: `
      + `augenrules loads it before ${path.basename(target.fsPath)}, so exclusions there `
      + 'would never fire.',
    { modal: true }, create, anyway,
  );
  if (answer === create) {
    return vscode.Uri.file(path.join(path.dirname(target.fsPath), conflict.suggestedName));
  }
  return answer === anyway ? target : undefined;
}

export async function insertExclusions(
  rules: readonly GeneratedRule[], files: readonly vscode.Uri[], hostMachine: string,
): Promise<void> {
  if (!requireRules(rules)) return;
  let target = await pickTarget();
  if (target?.kind === 'folder') target = await chooseOtherTarget();
  if (!target) return;

  const block = exclusionBlock(rules.map((r) => r.text), sourceNames(files), new Date());
  if (target.kind === 'new') {
    const uri = await vscode.window.showSaveDialog({
      title: 'New rules file (created when you save)',
      defaultUri: vscode.Uri.file('/etc/audit/rules.d/20-noise-exclusions.rules'),
      filters: { 'Audit rules': ['rules'] },
    });
    if (!uri) return;
    target = { kind: 'file', uri };
  }
  if (target.kind !== 'file') return;

  const placed = toPlace(rules);
  const uri = await checkRulesDirOrder(target.uri, placed, hostMachine);
  if (!uri) return;
  await insertIntoFile(uri, block, placed, hostMachine);
}

/** The edit that inserts the block; an absent file becomes an untitled document. */
export async function insertIntoFile(
  uri: vscode.Uri, block: string[], rules: ExclusionToPlace[], hostMachine: string,
): Promise<void> {
  const edit = new vscode.WorkspaceEdit();
  let document: vscode.TextDocument;

  if (await exists(uri)) {
    document = await vscode.workspace.openTextDocument(uri);
    const text = document.getText();
    const eol = document.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n';
    const placement = placeExclusions(readRulesFile(text, modelResolver(text, hostMachine)),
      rules);
    const insertion = insertionAt(text, placement.line, block, eol);
    edit.insert(uri, document.positionAt(insertion.offset), insertion.text);

    if (placement.unreachable.length > 0) {
      const lineList = placement.unreachable.map((e) => e.line + 1).join(', ');
      void vscode.window.showWarningMessage(
        `Rules added with -A on line ${lineList} run before every -a rule: the exclusions `
          + 'cannot pre-empt them from any position.',
      );
    }
  } else {
    // An untitled document bound to the path: the file appears when the user saves it.
    const untitled = uri.with({ scheme: 'untitled' });
    document = await vscode.workspace.openTextDocument(untitled);
    if (document.languageId !== rulesLanguage) {
      document = await vscode.languages.setTextDocumentLanguage(document, rulesLanguage);
    }
    edit.insert(untitled, new vscode.Position(0, 0), block.join('\n') + '\n');
  }

  const applied = await vscode.workspace.applyEdit(edit);
  if (!applied) throw new Error(`The rules could not be inserted into ${uri.fsPath}.`);
  const shown = await vscode.window.showTextDocument(document, { preview: false });
  const firstRule = document.getText().split(/\r?\n/).indexOf(block[0]);
  if (firstRule >= 0) {
    const range = new vscode.Range(firstRule, 0, firstRule + block.length, 0);
    shown.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    shown.selection = new vscode.Selection(range.start, range.end);
  }
}
