// "Audit: Analyze Log Noise": the command, its entry points (palette, explorer, editor
// title, the prompt on opening an audit log), and the panel serializer that brings the
// view back after a reload.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { looksLikeMdatpStatistics } from '../../../server/src/log/mdatp';
import { noiseViewType, savedPanelState } from './messages';
import type { NoiseViewPanel } from './panel';

/**
 * The panel and everything it needs (the log engine's client, the rules engine for
 * placement, the syscall tables) load on first use, not at activation.
 */
const loadPanel = () => import('./panel.js');

export const analyzeLogNoiseCommand = 'auditd.analyzeLogNoise';

/**
 * audit.log, audit.log.1 ... audit.log.N, audit.log-20261201 (logrotate's dateext),
 * optionally gzip-compressed.
 */
const auditLogName = /^audit\.log(\.\d+|-[\d-]+)?(\.gz)?$/;
const promptDisabledKey = 'auditd.noiseView.promptDisabled';

export function isAuditLogName(fileName: string): boolean {
  return auditLogName.test(path.basename(fileName));
}

/** An open audit log, or an open mdatp real-time-protection statistics file. */
function isAnalysable(document: vscode.TextDocument): boolean {
  if (document.languageId === 'audit-log' || isAuditLogName(document.fileName)) return true;
  return document.languageId === 'json'
    && looksLikeMdatpStatistics(document.getText(new vscode.Range(0, 0, 200, 0)));
}

/** Files the command was invoked on: explorer multi-selection, one resource, or none. */
function invokedOn(resource: unknown, selected: unknown): vscode.Uri[] {
  if (Array.isArray(selected) && selected.every((u) => u instanceof vscode.Uri)) {
    return selected as vscode.Uri[];
  }
  if (resource instanceof vscode.Uri) return [resource];
  if (Array.isArray(resource) && resource.every((u) => u instanceof vscode.Uri)) {
    return resource as vscode.Uri[];
  }
  return [];
}

async function pickLogs(): Promise<vscode.Uri[]> {
  const active = vscode.window.activeTextEditor?.document;
  const defaultUri = active?.uri.scheme === 'file'
    ? vscode.Uri.file(path.dirname(active.uri.fsPath)) : vscode.Uri.file('/var/log/audit');
  const picked = await vscode.window.showOpenDialog({
    title: 'Audit logs to analyse (a rotated set, .gz included) or an mdatp statistics JSON',
    canSelectMany: true,
    defaultUri,
    filters: {
      'Audit logs and mdatp statistics': ['log', 'gz', 'json', '1', '2', '3', '4', '5'],
      'All files': ['*'],
    },
  });
  return picked ?? [];
}

export function registerNoiseView(
  context: vscode.ExtensionContext, logger: vscode.LogOutputChannel,
): void {
  const panels = new Set<NoiseViewPanel>();
  const track = (panel: NoiseViewPanel) => {
    panels.add(panel);
    panel.onDidDispose(() => panels.delete(panel));
    return panel;
  };

  const open = async (files: vscode.Uri[]): Promise<NoiseViewPanel | undefined> => {
    const local = files.filter((f) => f.scheme === 'file');
    if (local.length === 0) return undefined;
    const { NoiseViewPanel } = await loadPanel();
    const panel = track(NoiseViewPanel.create(context, local, logger));
    await panel.analyse();
    return panel;
  };

  context.subscriptions.push(
    vscode.commands.registerCommand(analyzeLogNoiseCommand,
      async (resource?: unknown, selected?: unknown) => {
        let files = invokedOn(resource, selected);
        if (files.length === 0) {
          const active = vscode.window.activeTextEditor?.document;
          if (active && active.uri.scheme === 'file' && isAnalysable(active)) files = [active.uri];
        }
        if (files.length === 0) files = await pickLogs();
        // The panel is returned so that tests in a real editor can reach it.
        return open(files);
      }),

    vscode.window.registerWebviewPanelSerializer(noiseViewType, {
      async deserializeWebviewPanel(webviewPanel: vscode.WebviewPanel, state: unknown) {
        const saved = savedPanelState(state);
        const files = saved?.files.map((f) => vscode.Uri.parse(f, true)) ?? [];
        const { NoiseViewPanel } = await loadPanel();
        const panel = track(new NoiseViewPanel(
          context, webviewPanel, files, saved?.maxLogFileMb ?? 8, logger,
        ));
        if (files.length > 0) await panel.analyse();
      },
    }),

    { dispose: () => { for (const panel of panels) panel.dispose(); } },
  );

  registerOpenPrompt(context, open);
}

/** Offers the analysis once per file and window when an audit log is opened. */
function registerOpenPrompt(
  context: vscode.ExtensionContext, open: (files: vscode.Uri[]) => Promise<unknown>,
): void {
  const offered = new Set<string>();
  const offer = async (document: vscode.TextDocument | undefined) => {
    if (!document || document.uri.scheme !== 'file') return;
    if (document.languageId !== 'audit-log' && !isAuditLogName(document.fileName)) return;
    if (context.globalState.get<boolean>(promptDisabledKey)) return;
    const key = document.uri.toString();
    if (offered.has(key)) return;
    offered.add(key);

    const analyse = 'Analyze Log Noise';
    const never = 'Don\u2019t Ask Again';
    const answer = await vscode.window.showInformationMessage(
      `${path.basename(document.fileName)} is an audit log. See what floods it?`, analyse, never,
    );
    if (answer === analyse) await open([document.uri]);
    if (answer === never) await context.globalState.update(promptDisabledKey, true);
  };

  context.subscriptions.push(
    vscode.window.onDidChangeActiveTextEditor((editor) => void offer(editor?.document)),
  );
  void offer(vscode.window.activeTextEditor?.document);
}
