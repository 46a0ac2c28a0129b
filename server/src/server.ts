/**
 * auditd-language-server: the language server for Linux audit rules files.
 *
 *   auditd-language-server --stdio        (editors that talk over stdin/stdout)
 *   node dist/server.js --node-ipc        (the VS Code client)
 *
 * The transport comes from the command line (--stdio, --node-ipc, --socket=PORT,
 * --pipe=NAME), as vscode-languageserver reads it.
 */
import { ProposedFeatures, createConnection } from 'vscode-languageserver/node';
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

startLanguageServer(createConnection(ProposedFeatures.all));
