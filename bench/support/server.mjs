// The bundled language server (dist/server.js) over stdio, as the benchmarks that time
// requests talk to it.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';

const rpc = createRequire(import.meta.url)('vscode-jsonrpc/node');

/**
 * Starts the server and initializes it. `settings` answers workspace/configuration;
 * `handle(connection)` registers a bench's own handlers before the connection listens, so
 * that no early request or notice of the server goes unanswered.
 */
export async function startServer(serverScript, options = {}) {
  const { settings = {}, capabilities = {}, handle } = options;
  const child = spawn(process.execPath, [serverScript, '--stdio'], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const connection = rpc.createMessageConnection(
    new rpc.StreamMessageReader(child.stdout), new rpc.StreamMessageWriter(child.stdin));
  connection.onRequest('workspace/configuration', () => [settings]);
  handle?.(connection);
  connection.listen();

  await connection.sendRequest('initialize', { processId: process.pid, rootUri: null,
    capabilities });
  await connection.sendNotification('initialized', {});

  const stop = async () => {
    await connection.sendRequest('shutdown');
    await connection.sendNotification('exit');
    await new Promise((resolve) => child.once('exit', resolve));
    connection.dispose();
  };
  return { connection, stop, pid: child.pid };
}
