// The same in-editor specs in desktop VS Code, for contributors on a machine that can
// download it: @vscode/test-electron fetches a VS Code build at run time, which the CI
// machine cannot. Screen checks skip there; they need the Chromium harness.
//
//   npm run build && npx tsc -p tsconfig.test.json && node out/test/e2e/run-electron.js
import { runTests } from '@vscode/test-electron';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { exchangeDirVariable, reportFile, specFilterVariable } from './editor/exchange';
import { copyFixtureWorkspace } from './editor/fixture-workspace';
import { bundleInEditorSuite, repoRoot } from './editor/suite-bundle';

async function main(): Promise<number> {
  const extensionTestsPath = `${await bundleInEditorSuite()}.js`;
  const workspace = copyFixtureWorkspace();
  const exchangeDir = mkdtempSync(join(tmpdir(), 'auditd-tools-e2e-'));
  try {
    await runTests({
      version: '1.100.3',
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath,
      // Other installed extensions stay out of the way; the workspace is trusted.
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust'],
      extensionTestsEnv: {
        [exchangeDirVariable]: exchangeDir,
        [specFilterVariable]: process.argv[2] ?? 'activation,harness,rules,noise',
      },
    });
    console.log(`results: ${reportFile(exchangeDir)}`);
    return 0;
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    rmSync(exchangeDir, { recursive: true, force: true });
    return 1;
  } finally {
    rmSync(dirname(workspace), { recursive: true, force: true });
  }
}

main().then((code) => process.exit(code));
