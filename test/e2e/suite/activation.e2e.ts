// Extension activation in the real editor, timed (issue 3's target: under 100 ms). Runs
// before any spec opens an audit file, so that activation happens here.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { extensionId, missingExtension } from './editor-state';
import { recordMetric, skipWith } from './exchange';

suite('activation', () => {
  setup(function () {
    const missing = missingExtension();
    if (missing) skipWith(this, missing);
  });

  test('the extension activates, and its activation time is measured', async function () {
    const extension = vscode.extensions.getExtension(extensionId)!;
    if (extension.isActive) {
      const events = extension.packageJSON.activationEvents as string[] | undefined;
      skipWith(this, 'the extension was already active at start-up (activationEvents: ' +
        `${events?.join(', ')}), so its activation cannot be timed here`);
    }

    // Nothing has opened an audit file yet, so activation happens here, timed the way
    // VS Code times it: loading the bundle, then activate() until its promise settles.
    const started = performance.now();
    await extension.activate();
    recordMetric('activationMs', performance.now() - started);
    assert.equal(extension.isActive, true);
  });
});
