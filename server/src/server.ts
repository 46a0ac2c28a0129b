/**
 * auditd-language-server: the language server for Linux audit rules files.
 *
 *   auditd-language-server --stdio        (editors, and the VS Code client)
 *   node dist/server.js --node-ipc        (clients that talk over Node's IPC channel)
 *
 * The transport comes from the command line (--stdio, --node-ipc, --socket=PORT,
 * --pipe=NAME), as vscode-languageserver reads it.
 */
import { format } from 'node:util';
import {
  ProposedFeatures, StreamMessageReader, StreamMessageWriter, createConnection,
} from 'vscode-languageserver/node';
import { reportEncoder } from './lsp/diagnosticWire';
import { GuardedReader } from './lsp/messageGuard';
import { startLanguageServer } from './lsp/languageServer';

const usage = 'usage: auditd-language-server --stdio | --node-ipc | --socket=PORT | --pipe=NAME\n';
const transports = ['--stdio', '--node-ipc', '--socket', '--pipe', '--clientProcessId'];
if (process.argv.includes('--help') || process.argv.includes('-h')) {
  // Asked for: the usage on stdout and success, as other commands answer --help.
  process.stdout.write(usage);
  process.exit(0);
}
if (!process.argv.some((arg) => transports.some((flag) => arg.startsWith(flag)))) {
  process.stderr.write(usage);
  process.exit(2);
}

if (process.argv.includes('--stdio')) {
  // The same stdio transport vscode-languageserver sets up for --stdio, with a writer whose
  // encoder writes diagnostic reports from the engine's diagnostics and their kept texts
  // (lsp/diagnosticWire.ts).
  // stdout carries the protocol, so nothing else may print there.
  for (const name of ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const) {
    console[name] = (...args: unknown[]) => process.stderr.write(`${format(...args)}\n`);
  }
  const writer = new StreamMessageWriter(process.stdout, { contentTypeEncoder: reportEncoder });
  // Requests the handlers cannot read are answered with the protocol's own errors.
  const reader = new GuardedReader(new StreamMessageReader(process.stdin), writer,
    (line) => process.stderr.write(`${line}\n`));
  const connection = createConnection(ProposedFeatures.all, reader, writer);

  // As vscode-languageserver does for its own stdio transport: when the client goes away,
  // so does the server, with status 0 only after a shutdown request.
  let shutdownReceived = false;
  connection.onShutdown(() => {
    shutdownReceived = true;
  });
  const clientGone = () => process.exit(shutdownReceived ? 0 : 1);
  process.stdin.on('end', clientGone);
  process.stdin.on('close', clientGone);

  startLanguageServer(connection);
} else {
  startLanguageServer(createConnection(ProposedFeatures.all));
}
