// One call that runs chosen in-editor specs in a real VS Code and hands their results to
// node:test, one subtest per mocha test.
import type { TestContext } from 'node:test';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { browserVariable, exchangeDirVariable, specFilterVariable } from './exchange';
import { copyFixtureWorkspace } from './fixture-workspace';
import { bundleInEditorSuite, repoRoot } from './suite-bundle';
import { startVsCodeServer, type VsCodeServer } from './vscode-server';
import {
  launchChromium, runInWorkbench, type CheckpointHandler, type WorkbenchRun,
} from './workbench';

export const artifactsDir = join(repoRoot, 'test-artifacts');

export interface EditorSuiteOptions {
  /** Spec names from test/e2e/suite/index.ts. */
  specs: string[];
  /** The extension loaded as under development; defaults to the repository itself. */
  extensionDevelopmentPath?: string;
  checkpoints?: Record<string, CheckpointHandler>;
  /** Runs once the server is up and before the workbench opens. */
  prepare?: (server: VsCodeServer) => void;
  timeoutMs?: number;
}

export async function runEditorSuite(options: EditorSuiteOptions): Promise<WorkbenchRun> {
  const extensionTestsPath = `${await bundleInEditorSuite()}.js`;
  const workspace = copyFixtureWorkspace();
  const exchangeDir = mkdtempSync(join(tmpdir(), 'auditd-tools-e2e-'));
  mkdirSync(artifactsDir, { recursive: true });

  const server = await startVsCodeServer({
    env: {
      [exchangeDirVariable]: exchangeDir,
      [specFilterVariable]: options.specs.join(','),
      [browserVariable]: '1',
    },
  });
  const browser = await launchChromium();
  try {
    options.prepare?.(server);
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    return await runInWorkbench(page, {
      server,
      exchangeDir,
      workspace,
      extensionDevelopmentPath: options.extensionDevelopmentPath ?? repoRoot,
      extensionTestsPath,
      checkpoints: options.checkpoints,
      timeoutMs: options.timeoutMs ?? 180_000,
    });
  } finally {
    await browser.close();
    await server.stop();
    rmSync(exchangeDir, { recursive: true, force: true });
    rmSync(dirname(workspace), { recursive: true, force: true });
  }
}

function lastLines(lines: string[], count: number): string {
  return lines.slice(-count).join('\n');
}

/**
 * Reports each in-editor mocha test as a node:test subtest of `t`, then checks that the
 * run as a whole ended the way its results say.
 */
export async function reportEditorRun(t: TestContext, run: WorkbenchRun): Promise<void> {
  if (!run.report) {
    const why = run.exitCode === undefined
      ? `the in-editor suite did not finish within ${Math.round(run.durationMs / 1000)} s`
      : `the in-editor suite exited with ${run.exitCode} without writing its report`;
    throw new Error(`${why}; last workbench log lines:\n${lastLines(run.log, 40)}`);
  }

  for (const result of run.report.results) {
    await t.test(result.title, (subtest) => {
      if (result.state === 'skipped') {
        subtest.skip(result.skipReason ?? 'skipped inside the editor');
        return;
      }
      if (result.state === 'failed') throw new Error(result.error ?? 'failed inside the editor');
    });
  }

  const failed = run.report.results.filter((result) => result.state === 'failed').length;
  const expectedExit = failed > 0 ? 1 : 0;
  if (run.exitCode !== expectedExit) {
    throw new Error(`the workbench exited with ${run.exitCode} after ${failed} failures;` +
      ` last workbench log lines:\n${lastLines(run.log, 40)}`);
  }
}
