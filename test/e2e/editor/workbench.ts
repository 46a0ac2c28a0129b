// Opens VS Code's web workbench in headless Chromium with an extension under development
// and an extension test runner, then waits for the runner's verdict.
import { existsSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import {
  checkpointOutcomeFile, checkpointRequestPattern, reportFile,
  type CheckpointOutcome, type InEditorReport,
} from './exchange';
import { chromiumPath, serverHost, type VsCodeServer } from './vscode-server';

/** A browser-side check run while the in-editor suite waits at a named checkpoint. */
export type CheckpointHandler =
  (page: Page, expected: Record<string, string>) => Promise<CheckpointOutcome>;

export interface WorkbenchRunOptions {
  server: VsCodeServer;
  exchangeDir: string;
  workspace: string;
  extensionDevelopmentPath: string;
  /** The bundled test runner, a module exporting run(): Promise<void>. */
  extensionTestsPath: string;
  checkpoints?: Record<string, CheckpointHandler>;
  timeoutMs: number;
}

export interface WorkbenchRun {
  /** The code the workbench passed to codeAutomationExit; undefined on time-out. */
  exitCode: number | undefined;
  report: InEditorReport | undefined;
  /** What the workbench logged through codeAutomationLog, for failure messages. */
  log: string[];
  /** From navigation to the runner's exit. */
  durationMs: number;
}

// Flags that keep Chromium from reaching out to Google's services, which are unreachable
// here and would only slow the start.
const chromiumArgs = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs });
}

/** The workbench URL that loads the extension and its test runner from the server. */
export function workbenchUrl(options: WorkbenchRunOptions): string {
  const { server } = options;

  // Plain paths in the payload make the workbench wait forever: they must be
  // vscode-remote URIs naming this server.
  const payload = [
    ['extensionDevelopmentPath', server.remoteUri(options.extensionDevelopmentPath)],
    ['extensionTestsPath', server.remoteUri(options.extensionTestsPath)],
  ];
  const query = `folder=${encodeURIComponent(options.workspace)}` +
    `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  return `http://${serverHost}:${server.port}/?${query}`;
}

function readReport(exchangeDir: string): InEditorReport | undefined {
  const file = reportFile(exchangeDir);
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as InEditorReport;
}

async function answerCheckpoints(
  page: Page, options: WorkbenchRunOptions, answered: Set<string>,
): Promise<void> {
  for (const file of readdirSync(options.exchangeDir)) {
    const name = checkpointRequestPattern.exec(file)?.[1];
    if (!name || answered.has(file)) continue;
    answered.add(file);
    const requestFile = join(options.exchangeDir, file);

    const handler = options.checkpoints?.[name];
    let outcome: CheckpointOutcome;
    try {
      const expected = JSON.parse(readFileSync(requestFile, 'utf8') || '{}');
      outcome = handler
        ? await handler(page, expected)
        : { ok: false, message: `no browser-side check is registered for "${name}"` };
    } catch (error) {
      outcome = { ok: false, message: error instanceof Error ? error.message : String(error) };
    }
    // Written aside and renamed, so the suite never reads half an outcome.
    const outcomeFile = checkpointOutcomeFile(options.exchangeDir, requestFile);
    writeFileSync(`${outcomeFile}.partial`, JSON.stringify(outcome));
    renameSync(`${outcomeFile}.partial`, outcomeFile);
  }
}

/** Opens the workbench on `page` and waits for the extension test runner to exit. */
export async function runInWorkbench(page: Page, options: WorkbenchRunOptions):
  Promise<WorkbenchRun> {
  const log: string[] = [];
  let exitCode: number | undefined;

  // The smoke-test driver calls these two page functions: the runner's output, then its
  // exit code once the extension host has finished the tests.
  await page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) => {
    log.push(`[${type}] ${args.map((arg) => String(arg)).join(' ')}`);
  });
  await page.exposeFunction('codeAutomationExit', (code: number) => {
    exitCode = code;
  });

  let crashed = false;
  page.on('crash', () => {
    crashed = true;
    log.push('[error] the workbench page crashed');
  });

  const started = performance.now();
  await page.goto(workbenchUrl(options));

  const answered = new Set<string>();
  while (exitCode === undefined && !crashed &&
    performance.now() - started < options.timeoutMs) {
    await answerCheckpoints(page, options, answered);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  return {
    exitCode,
    report: readReport(options.exchangeDir),
    log,
    durationMs: performance.now() - started,
  };
}
