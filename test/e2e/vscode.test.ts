// The extension's tests in a real VS Code: VS Code's server driven by headless Chromium.
// See test/e2e/README.md.
import { test } from 'node:test';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { artifactsDir, reportEditorRun, runEditorSuite } from './editor/editor-suite';
import { workbenchChecks } from './editor/ui-checks';
import { missingEditorPrerequisite } from './editor/vscode-server';

/** Figures measured in the editor, kept beside the screenshots. */
export const editorMetricsFile = join(artifactsDir, 'editor-metrics.json');

test('in a real VS Code', async (t) => {
  const missing = missingEditorPrerequisite();
  if (missing) {
    t.skip(missing);
    return;
  }

  const run = await runEditorSuite({
    // Activation first: nothing may have opened an audit or JSON file before it is timed.
    specs: ['activation', 'harness', 'rules', 'noise', 'lens'],
    checkpoints: workbenchChecks,
    timeoutMs: 300_000,
  });
  t.diagnostic(`in-editor run took ${Math.round(run.durationMs)} ms`);

  const metrics = run.report?.metrics ?? {};
  if (metrics.activationMs !== undefined) {
    t.diagnostic(`extension activation in VS Code 1.100.3: ` +
      `${metrics.activationMs.toFixed(1)} ms (target < 100 ms)`);
    if (metrics.referenceActivationMs !== undefined) {
      t.diagnostic('vscode.json-language-features, timed the same way: ' +
        `${metrics.referenceActivationMs.toFixed(1)} ms`);
    }
    writeFileSync(editorMetricsFile, JSON.stringify({ ...metrics, at: new Date().toISOString() }));
  }
  await reportEditorRun(t, run);
});
