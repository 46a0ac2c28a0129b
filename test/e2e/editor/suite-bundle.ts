// Bundles the in-editor suite (test/e2e/suite) into one file the extension host can load.
// It imports 'vscode', which only exists inside the extension host, so it is kept out of
// the node:test compilation (tsconfig.test.json) and type-checked by tsconfig.json.
import { build } from 'esbuild';
import { join } from 'node:path';

/** The repository root, from out/test/e2e/editor/ where this file runs compiled. */
export const repoRoot = join(__dirname, '..', '..', '..', '..');

export const suiteBundleDir = join(repoRoot, 'out', 'e2e-suite');

/** Builds out/e2e-suite/index.js and returns its path without the .js suffix. */
export async function bundleInEditorSuite(): Promise<string> {
  await build({
    entryPoints: [join(repoRoot, 'test', 'e2e', 'suite', 'index.ts')],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    outfile: join(suiteBundleDir, 'index.js'),
    // mocha is loaded from the project's node_modules at run time.
    external: ['vscode', 'mocha'],
    sourcemap: 'inline',
    logLevel: 'warning',
  });
  return join(suiteBundleDir, 'index');
}
