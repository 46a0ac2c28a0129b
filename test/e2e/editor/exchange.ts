// The files through which the in-editor suite (running in VS Code's extension host) and the
// node:test side (driving the browser) talk. Both run on this machine, so a shared folder is
// the simplest channel that works whatever the workbench forwards of the extension host's
// console. The folder's path reaches the extension host through the server's environment.
import { join } from 'node:path';

export const exchangeDirVariable = 'AUDITD_TOOLS_E2E_DIR';

/** Set to 1 when the Chromium harness drives the workbench and answers checkpoints. */
export const browserVariable = 'AUDITD_TOOLS_E2E_BROWSER';

/** Which in-editor spec files to run (comma-separated base names); all when unset. */
export const specFilterVariable = 'AUDITD_TOOLS_E2E_SPECS';

export type InEditorTestState = 'passed' | 'failed' | 'skipped';

export interface InEditorTestResult {
  /** The mocha suite and test titles joined with " > ". */
  title: string;
  state: InEditorTestState;
  durationMs: number;
  error?: string;
  skipReason?: string;
}

export interface InEditorReport {
  results: InEditorTestResult[];
  /** Figures measured inside the editor, such as the extension's activation time. */
  metrics: Record<string, number>;
}

/** What a browser-side check answers when the in-editor suite reaches a checkpoint. */
export interface CheckpointOutcome {
  ok: boolean;
  message: string;
}

export function reportFile(exchangeDir: string): string {
  return join(exchangeDir, 'report.json');
}

/**
 * A checkpoint request's file name: its sequence number keeps a check that runs twice
 * (before and after a theme change, say) apart; its name picks the browser-side check.
 */
export function checkpointRequestFile(exchangeDir: string, sequence: number, name: string):
  string {
  return join(exchangeDir, `checkpoint-${sequence}-${name}.request`);
}

export function checkpointOutcomeFile(exchangeDir: string, requestFile: string): string {
  return requestFile.replace(/\.request$/, '.outcome.json');
}

export const checkpointRequestPattern = /^checkpoint-\d+-(.+)\.request$/;
