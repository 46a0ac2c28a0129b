// `npm run package` builds the .vsix; VS Code's server installs it and the extension
// activates from there. See test/e2e/README.md.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { reportEditorRun, runEditorSuite } from './editor/editor-suite';
import { repoRoot } from './editor/suite-bundle';
import { missingEditorPrerequisite } from './editor/vscode-server';

const vsixPath = join(repoRoot, 'dist', 'auditd-tools.vsix');
const vsixLimitBytes = 1024 * 1024;

/** An extension with nothing in it: the workbench needs one under development to run tests. */
function writeProbeExtension(): string {
  const dir = mkdtempSync(join(tmpdir(), 'auditd-tools-probe-'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({
    name: 'e2e-probe', publisher: 'auditd-tools-tests', version: '0.0.0',
    engines: { vscode: '^1.100.0' },
  }));
  return dir;
}

test('the packaged .vsix', async (t) => {
  if (!existsSync(join(repoRoot, 'client', 'src', 'extension.ts'))) {
    t.skip('client/src/extension.ts does not exist yet: there is no extension to package');
    return;
  }

  const packaged = spawnSync('npm', ['run', 'package'], {
    cwd: repoRoot, encoding: 'utf8', timeout: 180_000,
  });
  assert.equal(packaged.status, 0, `npm run package failed:\n${packaged.stdout}${packaged.stderr}`);

  await t.test('is under 1 MB', () => {
    const size = statSync(vsixPath).size;
    t.diagnostic(`.vsix size: ${(size / 1024).toFixed(1)} KiB (target < 1024 KiB)`);
    assert.ok(size < vsixLimitBytes, `${size} bytes`);
  });

  const missing = missingEditorPrerequisite();
  if (missing) {
    await t.test('installs and activates in VS Code', (subtest) => subtest.skip(missing));
    return;
  }

  const probe = writeProbeExtension();
  try {
    let installOutput = '';
    const run = await runEditorSuite({
      specs: ['vsix'],
      extensionDevelopmentPath: probe,
      timeoutMs: 120_000,
      prepare(server) {
        const installed = server.installExtension(vsixPath);
        installOutput = installed.output;
        assert.equal(installed.status, 0, `--install-extension failed:\n${installed.output}`);
      },
    });
    t.diagnostic(installOutput.trim());
    await reportEditorRun(t, run);
  } finally {
    rmSync(probe, { recursive: true, force: true });
  }
});
