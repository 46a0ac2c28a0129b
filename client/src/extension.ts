/**
 * The extension's entry point: starts the language server (dist/server.js) over Node IPC
 * for audit rules files and hands its log lines to the "Linux Audit" output channel.
 *
 * Activation stays cheap: the client is created and started without waiting for the
 * server's initialize round trip, so VS Code is not held up by the server's start.
 */
import * as path from 'node:path';
import { ExtensionContext, LogOutputChannel, window, workspace } from 'vscode';
import {
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  TransportKind,
} from 'vscode-languageclient/node';
import { registerNoiseView } from './noiseView';

/** The settings section the server reads (package.json contributes.configuration). */
export const settingsSection = 'auditd';

let languageClient: LanguageClient | undefined;
let outputChannel: LogOutputChannel | undefined;

/** The running language client, for features that send their own requests to it. */
export function auditLanguageClient(): LanguageClient | undefined {
  return languageClient;
}

export function activate(context: ExtensionContext): void {
  outputChannel = window.createOutputChannel('Linux Audit', { log: true });
  context.subscriptions.push(outputChannel);
  registerNoiseView(context, outputChannel);

  const serverModule = context.asAbsolutePath(path.join('dist', 'server.js'));
  // Over stdio the server writes its own JSON for diagnostic reports, from each message's
  // kept text (server/src/lsp/diagnosticWire.ts); Node's IPC channel would serialise
  // every report whole again.
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.stdio },
    debug: {
      module: serverModule,
      transport: TransportKind.stdio,
      options: { execArgv: ['--nolazy', '--inspect=6019'] },
    },
  };

  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'audit-rules' },
      { scheme: 'untitled', language: 'audit-rules' },
    ],
    // Settings changes reach the server as didChangeConfiguration; it then pulls the
    // section with workspace/configuration and asks for fresh diagnostics.
    // A rules.d file is checked with its siblings: the server hears when one changes on
    // disk, and asks for fresh diagnostics.
    synchronize: {
      configurationSection: settingsSection,
      fileEvents: workspace.createFileSystemWatcher('**/rules.d/*.rules'),
    },
    outputChannel,
    initializationOptions: {
      // The server links each diagnostic code to its section of the shipped document.
      diagnosticsDocument: context.asAbsolutePath(path.join('docs', 'diagnostics.md')),
    },
  };

  languageClient = new LanguageClient(
    'auditdLanguageServer',
    'Linux Audit Language Server',
    serverOptions,
    clientOptions,
  );

  languageClient.start().catch((error: unknown) => {
    outputChannel?.error(`The language server did not start: ${String(error)}`);
  });
}

export async function deactivate(): Promise<void> {
  const client = languageClient;
  languageClient = undefined;
  if (client) await client.stop();
}
