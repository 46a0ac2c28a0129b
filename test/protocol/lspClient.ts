/**
 * A minimal LSP client for protocol tests: spawns the bundled server (dist/server.js)
 * over stdio or Node IPC and talks to it with vscode-jsonrpc, answering the requests a
 * real editor answers (workspace/configuration, diagnostic refresh).
 */
import { ChildProcess, fork, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  IPCMessageReader,
  IPCMessageWriter,
  MessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  createMessageConnection,
} from 'vscode-jsonrpc/node';
// The engine's positions and ranges are LSP's (0-based, UTF-16 columns): the server's
// answers are read with the same types.
import type { Position, Range } from '../../server/src/rules/diagnostics';

export type { Position, Range };

export const repoRoot = join(__dirname, '..', '..', '..');
export const serverPath = join(repoRoot, 'dist', 'server.js');

export interface TextEdit {
  range: Range;
  newText: string;
}

export interface ClientOptions {
  transport?: 'stdio' | 'ipc';
  /** Declare pull diagnostics (VS Code does; Neovim 0.7 does not). */
  pullDiagnostics?: boolean;
  /** What workspace/configuration answers for the `auditd` section. */
  settings?: Record<string, unknown>;
  initializationOptions?: Record<string, unknown>;
  /** Declare workspace/configuration (default true; simple editor setups do not). */
  configuration?: boolean;
  /** Workspace folders (file URIs) announced at initialize, with folder change support. */
  workspaceFolders?: string[];
  /** The hover formats announced (default markdown, then plaintext). */
  hoverContentFormat?: string[];
}

export interface LogMessage {
  type: number;
  message: string;
}

export class LspTestClient {
  readonly connection: MessageConnection;
  readonly logMessages: LogMessage[] = [];
  /** window/showMessage notifications: what the editor shows the user. */
  readonly shownMessages: LogMessage[] = [];
  readonly published = new Map<string, unknown[]>();
  refreshRequests = 0;
  codeLensRefreshRequests = 0;
  configurationRequests = 0;
  /** What the server wrote on stderr. */
  stderr = '';
  /** Set when the server exits before stop(). */
  crash: string | undefined;
  private stopping = false;
  settings: Record<string, unknown>;
  private readonly exited: Promise<number | null>;
  private publishWaiters: (() => void)[] = [];

  private constructor(
    readonly child: ChildProcess,
    connection: MessageConnection,
    options: ClientOptions,
  ) {
    this.connection = connection;
    this.settings = options.settings ?? {};
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));

    // A server that dies mid-test must fail the test with what it printed, not leave
    // its requests pending forever.
    child.stderr?.on('data', (chunk: Buffer) => {
      this.stderr += chunk.toString();
    });
    child.once('exit', (code, signal) => {
      if (this.stopping) return;
      this.crash = `the server exited (${code ?? signal}) unexpectedly: ${this.stderr}`;
      connection.dispose();
    });

    connection.onRequest('workspace/configuration', (params: { items: { section?: string }[] }) => {
      this.configurationRequests++;
      return params.items.map((item) => (item.section === 'auditd' ? this.settings : null));
    });
    connection.onRequest('workspace/diagnostic/refresh', () => {
      this.refreshRequests++;
      return null;
    });
    connection.onRequest('workspace/semanticTokens/refresh', () => null);
    connection.onRequest('workspace/codeLens/refresh', () => {
      this.codeLensRefreshRequests++;
      return null;
    });
    connection.onRequest('client/registerCapability', () => null);
    connection.onNotification('window/logMessage', (message: LogMessage) => {
      this.logMessages.push(message);
    });
    connection.onNotification('window/showMessage', (message: LogMessage) => {
      this.shownMessages.push(message);
    });
    connection.onNotification(
      'textDocument/publishDiagnostics',
      (params: { uri: string; diagnostics: unknown[] }) => {
        this.published.set(params.uri, params.diagnostics);
        const waiters = this.publishWaiters;
        this.publishWaiters = [];
        waiters.forEach((wake) => wake());
      },
    );
    connection.listen();
  }

  static async start(options: ClientOptions = {}): Promise<LspTestClient> {
    if (!existsSync(serverPath)) throw new Error(`${serverPath} is missing: run npm run build`);

    let child: ChildProcess;
    let connection: MessageConnection;
    if (options.transport === 'ipc') {
      child = fork(serverPath, ['--node-ipc'], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
      connection = createMessageConnection(
        new IPCMessageReader(child),
        new IPCMessageWriter(child),
      );
    } else {
      child = spawn(process.execPath, [serverPath, '--stdio'], {
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      connection = createMessageConnection(
        new StreamMessageReader(child.stdout!),
        new StreamMessageWriter(child.stdin!),
      );
    }
    const client = new LspTestClient(child, connection, options);

    const pull = options.pullDiagnostics ?? true;
    const result = await connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: null,
      workspaceFolders: options.workspaceFolders?.map((uri) => ({ uri, name: uri })) ?? null,
      capabilities: {
        textDocument: {
          ...(pull ? { diagnostic: { dynamicRegistration: false } } : {}),
          publishDiagnostics: { relatedInformation: true },
          hover: { contentFormat: options.hoverContentFormat ?? ['markdown', 'plaintext'] },
          completion: { completionItem: { snippetSupport: true } },
          codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } } },
        },
        workspace: {
          configuration: options.configuration ?? true,
          diagnostics: { refreshSupport: true },
          semanticTokens: { refreshSupport: true },
          codeLens: { refreshSupport: true },
          ...(options.workspaceFolders ? { workspaceFolders: true } : {}),
        },
      },
      initializationOptions: options.initializationOptions,
    });
    client.capabilities = (result as { capabilities: Record<string, unknown> }).capabilities;
    await connection.sendNotification('initialized', {});
    return client;
  }

  capabilities: Record<string, unknown> = {};

  private versions = new Map<string, number>();

  async open(uri: string, text: string): Promise<void> {
    this.versions.set(uri, 1);
    await this.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'audit-rules', version: 1, text },
    });
  }

  async replace(uri: string, text: string): Promise<void> {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    await this.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: [{ text }],
    });
  }

  async changeSettings(settings: Record<string, unknown>): Promise<void> {
    this.settings = settings;
    await this.connection.sendNotification('workspace/didChangeConfiguration', {
      settings: { auditd: settings },
    });
  }

  async request<T>(method: string, params: unknown): Promise<T> {
    if (this.crash) throw new Error(this.crash);
    try {
      return (await this.connection.sendRequest(method, params)) as T;
    } catch (error) {
      throw this.crash ? new Error(this.crash) : error;
    }
  }

  async pullDiagnostics(uri: string): Promise<LspDiagnostic[]> {
    const report = await this.request<{ kind: string; items: LspDiagnostic[] }>(
      'textDocument/diagnostic',
      { textDocument: { uri } },
    );
    return report.items;
  }

  /** Waits for the next publishDiagnostics for the uri (push mode). */
  async nextPublished(uri: string, timeoutMillis = 5000): Promise<LspDiagnostic[]> {
    const deadline = Date.now() + timeoutMillis;
    this.published.delete(uri);
    while (!this.published.has(uri)) {
      if (Date.now() > deadline) throw new Error(`no diagnostics published for ${uri}`);
      await new Promise<void>((resolve) => {
        this.publishWaiters.push(resolve);
        setTimeout(resolve, 100);
      });
    }
    return this.published.get(uri) as LspDiagnostic[];
  }

  /** shutdown + exit, then waits for the process to end before disposing the stream. */
  async stop(): Promise<number | null> {
    if (this.crash) throw new Error(this.crash);
    this.stopping = true;
    await this.connection.sendRequest('shutdown');
    await this.connection.sendNotification('exit');
    const code = await this.exited;
    this.connection.dispose();
    return code;
  }
}

export interface LspDiagnostic {
  range: Range;
  severity: number;
  code: string;
  codeDescription?: { href: string };
  source?: string;
  message: string;
  data?: unknown;
  relatedInformation?: { location: { uri: string; range: Range }; message: string }[];
}

/** Applies LSP text edits to a text (edits may come in any order; none may overlap). */
export function applyEdits(text: string, edits: TextEdit[]): string {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const offset = (p: Position) =>
    Math.min(text.length, (lineStarts[p.line] ?? text.length) + p.character);

  const sorted = edits
    .map((edit, index) => ({ edit, index }))
    .sort((a, b) =>
      offset(b.edit.range.start) - offset(a.edit.range.start) || b.index - a.index,
    );
  let result = text;
  for (const { edit } of sorted) {
    result = result.slice(0, offset(edit.range.start)) + edit.newText +
      result.slice(offset(edit.range.end));
  }
  return result;
}
