// The noise view's webview panel: owns the analysis worker for its logs, relays progress,
// checks every message from the webview, and carries out the rule actions (insert, copy,
// open) with rules it generated itself from the validated selection.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { announceAnalysedLogs } from '../analysedLogs';
import { AnalysisClient } from './analysisClient';
import {
  noiseViewType, parseWebviewMessage, type ExtensionMessage, type NoiseSelection,
  type WebviewMessage,
} from './messages';
import { insertExclusions, openExclusions, copyExclusions } from './rulesInsertion';
import type { ViewReport } from './viewReport';
import { noiseViewHtml } from './webviewHtml';
import type { GeneratedRule } from './workerProtocol';

export class NoiseViewPanel implements vscode.Disposable {
  private readonly analysis: AnalysisClient;
  private readonly disposables: vscode.Disposable[] = [];
  private report: ViewReport | undefined;
  private selection: NoiseSelection | undefined;
  private rules: GeneratedRule[] = [];
  private hostMachine = 'x86_64';
  private maxLogFileMb: number;
  private analysing: vscode.CancellationTokenSource | undefined;
  /** The last progress figure, for a webview that (re)loads during the analysis. */
  private lastProgress: ExtensionMessage | undefined;
  private disposed = false;
  private readonly onDisposeListeners: Array<() => void> = [];

  static create(
    context: vscode.ExtensionContext, files: vscode.Uri[], logger: vscode.LogOutputChannel,
  ): NoiseViewPanel {
    const title = files.length === 1
      ? `Noise: ${path.basename(files[0].fsPath)}` : `Noise: ${files.length} logs`;
    const panel = vscode.window.createWebviewPanel(
      noiseViewType, title, vscode.ViewColumn.Active, NoiseViewPanel.webviewOptions(context),
    );
    return new NoiseViewPanel(context, panel, files, 8, logger);
  }

  static webviewOptions(context: vscode.ExtensionContext):
    vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return {
      enableScripts: true,
      enableCommandUris: false,
      // The report is kept in the webview's state; the DOM need not stay alive when hidden.
      retainContextWhenHidden: false,
      localResourceRoots: [vscode.Uri.joinPath(context.extensionUri, 'dist', 'media')],
    };
  }

  constructor(
    private readonly context: vscode.ExtensionContext,
    readonly panel: vscode.WebviewPanel,
    readonly files: vscode.Uri[],
    maxLogFileMb: number,
    private readonly logger: vscode.LogOutputChannel,
  ) {
    this.maxLogFileMb = maxLogFileMb;
    const workerScript = context.asAbsolutePath(path.join('dist', 'noise-worker.js'));
    this.analysis = new AnalysisClient(workerScript);
    panel.webview.options = NoiseViewPanel.webviewOptions(context);
    panel.webview.html = this.html();

    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)),
    );
    this.watchFiles();
  }

  onDidDispose(listener: () => void): void {
    this.onDisposeListeners.push(listener);
  }

  private html(): string {
    const media = vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'media');
    const webview = this.panel.webview;
    return noiseViewHtml({
      cspSource: webview.cspSource,
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'webview.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'webview.css')).toString(),
    });
  }

  private post(message: ExtensionMessage): void {
    if (message.command === 'progress') this.lastProgress = message;
    if (message.command === 'report') this.lastProgress = undefined;
    if (!this.disposed) void this.panel.webview.postMessage(message);
  }

  private watchFiles(): void {
    let timer: NodeJS.Timeout | undefined;
    const changed = () => {
      clearTimeout(timer);
      // auditd appends record by record: one notice per burst is enough.
      timer = setTimeout(() => {
        this.post({ command: 'logChanged', files: this.files.map((f) => f.fsPath) });
      }, 1000);
    };
    for (const file of this.files) {
      const pattern = new vscode.RelativePattern(
        vscode.Uri.file(path.dirname(file.fsPath)), path.basename(file.fsPath),
      );
      const watcher = vscode.workspace.createFileSystemWatcher(pattern, true, false, true);
      this.disposables.push(watcher, watcher.onDidChange(changed));
    }
    this.disposables.push({ dispose: () => clearTimeout(timer) });
  }

  /** Reads the logs in the worker, with a cancellable progress notification. */
  async analyse(): Promise<void> {
    this.analysing?.cancel();
    const source = new vscode.CancellationTokenSource();
    this.analysing = source;
    this.post({ command: 'progress', percent: 0, bytesRead: 0, totalBytes: 0 });

    const label = this.files.length === 1
      ? path.basename(this.files[0].fsPath) : `${this.files.length} logs`;
    await vscode.window.withProgress({
      location: vscode.ProgressLocation.Notification,
      title: `Analysing ${label}`,
      cancellable: true,
    }, async (progress, token) => {
      token.onCancellationRequested(() => source.cancel());
      let reported = 0;
      try {
        const outcome = await this.analysis.analyse(
          { files: this.files.map((f) => f.fsPath), maxLogFileMb: this.maxLogFileMb },
          {
            onProgress: (bytesRead, totalBytes) => {
              const percent = totalBytes > 0 ? Math.min(100, (100 * bytesRead) / totalBytes) : 0;
              progress.report({ increment: percent - reported, message: `${percent.toFixed(0)}%` });
              reported = percent;
              this.post({ command: 'progress', percent, bytesRead, totalBytes });
            },
          },
          { onCancel: (listener) => source.token.onCancellationRequested(listener) },
        );
        if (outcome.kind === 'cancelled') {
          this.post({ command: 'error', message: 'The analysis was cancelled.' });
          return;
        }
        this.showReport(outcome.report);
        // The server reads the same logs for the match counts of its hovers and code lenses.
        announceAnalysedLogs(this.files.map((f) => f.fsPath), this.logger);
        if (this.selection) await this.updatePreview(this.selection);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        this.logger.error(`Noise analysis failed: ${message}`);
        this.post({ command: 'error', message: `The analysis failed: ${message}` });
      } finally {
        if (this.analysing === source) {
          this.analysing = undefined;
          this.lastProgress = undefined;
        }
        source.dispose();
      }
    });
  }

  private showReport(report: ViewReport): void {
    this.report = report;
    this.post({ command: 'report', report, files: this.files.map((f) => f.toString()) });
  }

  private receive(raw: unknown): void {
    const parsed = parseWebviewMessage(raw);
    if (!parsed.ok) {
      this.logger.warn(`Ignored a message from the noise view: ${parsed.error}`);
      return;
    }
    this.handle(parsed.message).catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      this.logger.error(`Noise view: ${message}`);
      void vscode.window.showErrorMessage(message);
    });
  }

  private async handle(message: WebviewMessage): Promise<void> {
    switch (message.command) {
      case 'ready':
        // Messages sent before the page listened are lost: send what it must show now.
        if (this.report) this.showReport(this.report);
        if (this.analysing && this.lastProgress) this.post(this.lastProgress);
        return;
      case 'refresh':
        await this.analyse();
        return;
      case 'selectionChanged':
        await this.updatePreview(message.selection);
        return;
      case 'setMaxLogFile': {
        // The forecast scales with max_log_file; the log need not be read again.
        this.maxLogFileMb = message.megabytes;
        if (!this.report) return;
        this.showReport(await this.analysis.setMaxLogFile(message.megabytes));
        if (this.selection) await this.updatePreview(this.selection);
        return;
      }
      case 'requestSamples': {
        const { exe, syscall, key } = message;
        const samples = await this.analysis.samples({ exe, syscall, key });
        this.post({ command: 'samples', exe, syscall, key, samples });
        return;
      }
      case 'openRecord':
        await this.openRecord(message.source, message.line);
        return;
      case 'insertRules':
        // mdatp commands are shell commands, not audit rules.
        if (this.report?.kind !== 'audit') return;
        await insertExclusions(this.rules, this.files, this.hostMachine);
        return;
      case 'copyRules':
        await copyExclusions(this.rules, this.files, this.report?.kind ?? 'audit');
        return;
      case 'openRules':
        await openExclusions(this.rules, this.files, this.report?.kind ?? 'audit');
        return;
    }
  }

  private async updatePreview(selection: NoiseSelection): Promise<void> {
    this.selection = selection;
    if (!this.report) return;
    const { preview, rules, hostMachine } = await this.analysis.preview(selection,
      this.maxLogFileMb);
    // A newer selection may have arrived while this one was computed.
    if (this.selection !== selection) return;
    this.rules = rules;
    this.hostMachine = hostMachine;
    this.post({ command: 'preview', preview });
  }

  private async openRecord(source: number, line: number): Promise<void> {
    const file = this.files[source];
    if (!file) return;
    if (file.fsPath.endsWith('.gz')) {
      void vscode.window.showInformationMessage(
        `${path.basename(file.fsPath)} is compressed; line ${line} is a line of its content.`,
      );
      return;
    }
    const document = await vscode.workspace.openTextDocument(file);
    const at = new vscode.Position(Math.min(line - 1, document.lineCount - 1), 0);
    await vscode.window.showTextDocument(document, {
      viewColumn: vscode.ViewColumn.Beside, selection: new vscode.Range(at, at),
    });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.analysing?.cancel();
    this.analysis.dispose();
    for (const disposable of this.disposables) disposable.dispose();
    for (const listener of this.onDisposeListeners) listener();
  }
}
