// Bundles the extension client, the language server and the CLI into dist/.
// Each entry is self-contained so the .vsix ships without node_modules.
import * as esbuild from 'esbuild';
import { existsSync } from 'node:fs';

const production = process.argv.includes('--production');

const nodeEntries = [
  { in: 'client/src/extension.ts', out: 'extension', external: ['vscode'] },
  { in: 'server/src/server.ts', out: 'server', banner: true },
  { in: 'server/src/cli.ts', out: 'cli', banner: true },
  { in: 'server/src/log/worker.ts', out: 'log-worker' },
  { in: 'server/src/lsp/logSamplesWorker.ts', out: 'log-samples-worker' },
  { in: 'client/src/noiseView/analysisWorker.ts', out: 'noise-worker' },
];

const builds = nodeEntries
  .filter((entry) => existsSync(entry.in))
  .map((entry) =>
    esbuild.build({
      entryPoints: { [entry.out]: entry.in },
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      outdir: 'dist',
      external: entry.external ?? [],
      sourcemap: !production,
      minify: production,
      banner: entry.banner ? { js: '#!/usr/bin/env node' } : undefined,
      logLevel: 'warning',
    }),
  );

// The noise view's front end runs in the webview, a browser context.
if (existsSync('client/webview/main.ts')) {
  builds.push(
    esbuild.build({
      entryPoints: { 'webview': 'client/webview/main.ts' },
      bundle: true,
      platform: 'browser',
      target: 'es2022',
      format: 'iife',
      outdir: 'dist/media',
      sourcemap: false,
      minify: production,
      logLevel: 'warning',
    }),
  );
}

await Promise.all(builds);
