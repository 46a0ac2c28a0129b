// Runs VS Code's own server (from the code-server npm package) and opens its workbench in
// Debian's headless Chromium, so extension tests run in a real extension host.
// test/e2e/README.md explains the set-up and why each flag is there.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const serverHost = '127.0.0.1';
export const defaultCodeServerDir = '/opt/auditd-tools-code-server';
export const chromiumPath = '/usr/bin/chromium';

/** Path of VS Code's server-main.js, or undefined when code-server is not installed. */
export function findServerMain(): string | undefined {
  const dir = process.env.CODE_SERVER_DIR ?? defaultCodeServerDir;
  const serverMain = join(dir, 'node_modules/code-server/lib/vscode/out/server-main.js');
  return existsSync(serverMain) ? serverMain : undefined;
}

/** Why the real-editor tests cannot run here, or undefined when they can. */
export function missingEditorPrerequisite(): string | undefined {
  if (!findServerMain()) {
    return 'VS Code server not installed: run scripts/install-code-server.sh ' +
      '(or set CODE_SERVER_DIR)';
  }
  if (!existsSync(chromiumPath)) return 'Debian chromium is not installed (/usr/bin/chromium)';
  return undefined;
}

async function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, serverHost, () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is already gone.
  }
}

export interface VsCodeServer {
  readonly port: number;
  readonly dataDir: string;
  /** Turns a local absolute path into the URI the browser workbench resolves remotely. */
  remoteUri(path: string): string;
  /** Installs a .vsix into this server's extensions folder, as `code --install-extension`. */
  installExtension(vsix: string): { status: number | null; output: string };
  /** Everything the server printed, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

export interface ServerOptions {
  /** Extra environment for the server; the extension host it forks inherits it. */
  env?: Record<string, string>;
}

function serverArgs(dataDir: string): string[] {
  return [
    '--accept-server-license-terms',
    '--disable-telemetry',
    '--user-data-dir', dataDir,
    '--server-data-dir', join(dataDir, 'srv'),
    '--extensions-dir', join(dataDir, 'ext'),
  ];
}

/** Starts server-main.js on a free loopback port and waits until it listens. */
export async function startVsCodeServer(options: ServerOptions = {}): Promise<VsCodeServer> {
  const serverMain = findServerMain();
  if (!serverMain) throw new Error('VS Code server is not installed');

  const dataDir = mkdtempSync(join(tmpdir(), 'auditd-tools-vscode-'));
  const env = { ...process.env, ...options.env };
  let log = '';
  let port = 0;
  let child: ChildProcess | undefined;

  // Another process may take the free port between the probe and the server's listen: the
  // server then exits, and a second port is tried.
  for (let attempt = 1; attempt <= 3 && !child; attempt += 1) {
    port = await freeLoopbackPort();
    log = '';

    // The smoke-test driver is what makes the workbench call codeAutomationLog and
    // codeAutomationExit; without a connection token the page needs no login.
    const candidate = spawn(process.execPath, [
      serverMain,
      '--host', serverHost,
      '--port', String(port),
      '--without-connection-token',
      '--enable-smoke-test-driver',
      // The fixture workspace is the tests' own: trusting it keeps Restricted Mode from
      // disabling the extension.
      '--disable-workspace-trust',
      ...serverArgs(dataDir),
    ], { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });

    const listening = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 30_000);
      const onData = (chunk: Buffer) => {
        log += chunk.toString();
        if (log.includes(`listening on ${port}`)) {
          clearTimeout(timer);
          resolve(true);
        }
      };
      candidate.stdout?.on('data', onData);
      candidate.stderr?.on('data', onData);
      candidate.once('exit', () => {
        clearTimeout(timer);
        resolve(false);
      });
    });
    if (listening) child = candidate;
    else signalGroup(candidate, 'SIGKILL');
  }
  if (!child) {
    rmSync(dataDir, { recursive: true, force: true });
    throw new Error(`VS Code server did not start listening:\n${log}`);
  }
  const server = child;

  return {
    port,
    dataDir,
    remoteUri: (path) => `vscode-remote://${serverHost}:${port}${path}`,
    installExtension(vsix) {
      const result = spawnSync(process.execPath, [
        serverMain, '--install-extension', vsix, '--force', ...serverArgs(dataDir),
      ], { encoding: 'utf8', env, timeout: 60_000 });
      return { status: result.status, output: `${result.stdout}${result.stderr}` };
    },
    output: () => log,
    async stop() {
      if (server.exitCode === null && server.signalCode === null) {
        // The server runs in its own process group so its extension hosts and the
        // language servers they spawned stop with it.
        const exited = new Promise((resolve) => server.once('exit', resolve));
        signalGroup(server, 'SIGTERM');
        const timer = setTimeout(() => signalGroup(server, 'SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      }
      signalGroup(server, 'SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
