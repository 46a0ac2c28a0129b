// The test runner VS Code's extension host loads (extensionTestsPath): runs the mocha
// specs of this folder inside the real editor and writes their results to the exchange
// folder, where the node:test side turns each into a subtest.
import { writeFileSync } from 'node:fs';
import Mocha from 'mocha';
import {
  exchangeDirVariable, reportFile, specFilterVariable,
  type InEditorTestResult,
} from '../editor/exchange';
import { metrics } from './exchange';

// Each spec registers its suites when loaded; the bundle keeps them in this order.
const specs: Record<string, () => unknown> = {
  harness: () => require('./harness.e2e'),
  activation: () => require('./activation.e2e'),
  rules: () => require('./rules.e2e'),
  noise: () => require('./noise.e2e'),
  lens: () => require('./lens.e2e'),
  vsix: () => require('./vsix.e2e'),
};

function titleOf(test: Mocha.Runnable): string {
  return test.titlePath().join(' > ');
}

function errorText(error: unknown): string {
  if (error instanceof Error) return error.stack ?? error.message;
  return String(error);
}

export function run(): Promise<void> {
  // Under @vscode/test-electron there may be no exchange folder: the results then only
  // go to the console.
  const exchangeDir = process.env[exchangeDirVariable];

  const mocha = new Mocha({ ui: 'tdd', timeout: 30_000, color: false });
  mocha.suite.emit('pre-require', globalThis, 'auditd-tools-e2e', mocha);
  const wanted = process.env[specFilterVariable]?.split(',') ?? Object.keys(specs);
  for (const name of wanted) {
    const load = specs[name];
    if (!load) return Promise.reject(new Error(`no in-editor spec named ${name}`));
    load();
  }

  const results: InEditorTestResult[] = [];
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      if (exchangeDir) {
        writeFileSync(reportFile(exchangeDir), JSON.stringify({ results, metrics }, null, 2));
      }
      if (failures > 0) reject(new Error(`${failures} in-editor tests failed`));
      else resolve();
    });

    runner.on('pass', (test) => {
      results.push({ title: titleOf(test), state: 'passed', durationMs: test.duration ?? 0 });
    });
    runner.on('fail', (test, error) => {
      // An exception thrown by the extension while a test runs reaches mocha as a second
      // failure of that test; it belongs in the same result.
      const earlier = results.find((result) => result.title === titleOf(test));
      if (earlier) {
        earlier.state = 'failed';
        earlier.error = `${earlier.error ?? ''}\n\nthen: ${errorText(error)}`;
        return;
      }
      results.push({
        title: titleOf(test), state: 'failed', durationMs: test.duration ?? 0,
        error: errorText(error),
      });
    });
    runner.on('pending', (test) => {
      const skipReason = (test as Mocha.Test & { skipReason?: string }).skipReason;
      results.push({ title: titleOf(test), state: 'skipped', durationMs: 0, skipReason });
    });
  });
}
