// The extension in a real VS Code (issue 3's targets): activation time, measured inside
// VS Code 1.100.3's extension host against VS Code's own JSON language extension timed the
// same way in the same run, and the size of the .vsix built by `vsce package`.
// Needs `npm run build && npm run compile-tests` first (npm run bench does both).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median } from './support/figures.mjs';

const harness = './out/test/e2e/editor';
if (!existsSync(`${harness}/editor-suite.js`)) {
  console.log('editor bench skipped: run npm run compile-tests first');
  process.exit(0);
}
const { runEditorSuite } = await import(`../${harness}/editor-suite.js`);
const { missingEditorPrerequisite } = await import(`../${harness}/vscode-server.js`);

const runs = 5;
const activationTargetMs = 100;
const vsixTargetBytes = 1024 * 1024;

async function activation() {
  const missing = missingEditorPrerequisite();
  if (missing) {
    console.log(`activation: skipped (${missing})`);
    return;
  }

  // Each run is a fresh editor, so both extensions activate cold.
  const ours = [];
  const reference = [];
  for (let run = 0; run < runs; run += 1) {
    const result = await runEditorSuite({ specs: ['activation'] });
    const metrics = result.report?.metrics ?? {};
    if (metrics.activationMs === undefined) {
      const skipped = result.report?.results.find((test) => test.state !== 'passed');
      const why = skipped?.skipReason ?? skipped?.error ?? 'no report';
      console.log(`activation: not measured (${why})`);
      return;
    }
    ours.push(metrics.activationMs);
    if (metrics.referenceActivationMs !== undefined) reference.push(metrics.referenceActivationMs);
  }

  const oursMs = median(ours);
  console.log(`activation in VS Code 1.100.3 (median of ${runs} cold starts): ` +
    `${oursMs.toFixed(1)} ms, target < ${activationTargetMs} ms ` +
    `(${oursMs < activationTargetMs ? 'met' : 'MISSED'}); runs: ` +
    ours.map((value) => value.toFixed(1)).join(', '));
  if (reference.length > 0) {
    const referenceMs = median(reference);
    console.log(`  vscode.json-language-features, same way: ${referenceMs.toFixed(1)} ms; ` +
      `ratio ${(oursMs / referenceMs).toFixed(2)}x`);
  }
}

function vsixSize() {
  const outDir = mkdtempSync(join(tmpdir(), 'auditd-tools-vsix-'));
  const vsix = join(outDir, 'auditd-tools.vsix');
  try {
    const packaged = spawnSync('node_modules/.bin/vsce',
      ['package', '--no-dependencies', '-o', vsix], { encoding: 'utf8' });
    if (packaged.status !== 0) {
      console.log(`.vsix size: not measured, vsce failed: ${packaged.stderr.trim()}`);
      return;
    }
    const size = statSync(vsix).size;
    console.log(`.vsix size: ${(size / 1024).toFixed(1)} KiB, target < 1024 KiB ` +
      `(${size < vsixTargetBytes ? 'met' : 'MISSED'}; ` +
      `${(size / vsixTargetBytes * 100).toFixed(0)}% of the limit)`);
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

await activation();
vsixSize();
