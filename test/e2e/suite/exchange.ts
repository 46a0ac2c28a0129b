// The extension-host side of the exchange folder: checkpoints that let the browser look at
// the workbench while the editor is in a known state, measured figures, and skips that
// carry their reason back to node:test.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type Mocha from 'mocha';
import {
  browserVariable, checkpointOutcomeFile, checkpointRequestFile, exchangeDirVariable,
  type CheckpointOutcome,
} from '../editor/exchange';

export const metrics: Record<string, number> = {};

let checkpointSequence = 0;

export function recordMetric(name: string, value: number): void {
  metrics[name] = value;
}

/** Marks the running mocha test skipped, with a reason the node:test report shows. */
export function skipWith(context: Mocha.Context, reason: string): never {
  // In a setup hook the skipped test is currentTest; in a test it is the test itself.
  const skipped = context.currentTest ?? context.test;
  if (skipped) (skipped as Mocha.Runnable & { skipReason?: string }).skipReason = reason;
  context.skip();
}

/** Set by the Chromium harness; absent under @vscode/test-electron. */
export function browserDrivesThisRun(): boolean {
  return process.env[browserVariable] === '1';
}

/**
 * Runs the browser-side check `name` and fails the running test if it fails; without a
 * browser (an Electron run) the test is skipped with that reason.
 */
export async function expectOnScreen(
  context: Mocha.Context, name: string, expected: Record<string, string> = {},
): Promise<void> {
  if (!browserDrivesThisRun()) {
    skipWith(context, 'no browser drives this run (@vscode/test-electron): screen checks ' +
      'run only under the Chromium harness');
  }
  const outcome = await checkpoint(name, expected);
  assert.ok(outcome.ok, outcome.message);
}

/**
 * Asks the browser side to run its check named `name` now, with `expected` telling it what
 * to look for, and waits for its outcome.
 */
export async function checkpoint(
  name: string, expected: Record<string, string> = {}, timeoutMs = 20_000,
): Promise<CheckpointOutcome> {
  const exchangeDir = process.env[exchangeDirVariable];
  if (!exchangeDir) throw new Error(`${exchangeDirVariable} is not set`);

  // Written aside and renamed, so the browser side never reads half a request.
  checkpointSequence += 1;
  const requestFile = checkpointRequestFile(exchangeDir, checkpointSequence, name);
  writeFileSync(`${requestFile}.partial`, JSON.stringify(expected));
  renameSync(`${requestFile}.partial`, requestFile);
  const outcomeFile = checkpointOutcomeFile(exchangeDir, requestFile);
  const started = Date.now();
  while (!existsSync(outcomeFile)) {
    if (Date.now() - started > timeoutMs) {
      return { ok: false, message: `the browser did not answer checkpoint ${name}` };
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return JSON.parse(readFileSync(outcomeFile, 'utf8')) as CheckpointOutcome;
}
