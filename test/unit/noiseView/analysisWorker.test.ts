// The noise view's analysis worker (dist/noise-worker.js) driven by the same client class
// the extension host uses: report, previews, samples, the max_log_file forecast, mdatp
// input, cancellation, and a hover to the language server answered during a parse.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import * as rpc from 'vscode-jsonrpc/node';
import { AnalysisClient } from '../../../client/src/noiseView/analysisClient';
import { toAuditViewReport } from '../../../client/src/noiseView/reportAdapter';
import { analyzeLogs } from '../../../server/src/log/analyze';
import type { AuditViewReport } from '../../../client/src/noiseView/viewReport';

const repoRoot = join(__dirname, '..', '..', '..', '..');
const workerScript = join(repoRoot, 'dist', 'noise-worker.js');
const serverScript = join(repoRoot, 'dist', 'server.js');
const sampleLog = join(repoRoot, 'samples', 'audit.log');
const mdatpFixture = join(repoRoot, 'test', 'fixtures', 'mdatp', 'build-server.json');
const missingWorker = existsSync(workerScript) ? undefined : 'dist/noise-worker.js is not built';

const never = { onCancel: () => undefined };
const quiet = { onProgress: () => undefined };

let workDir = '';
let bigLog = '';

before(() => {
  workDir = mkdtempSync(join(tmpdir(), 'noise-worker-'));
  bigLog = join(workDir, 'audit.log');
  // The benchmark's builder: real corpus events re-stamped, 64 MiB of them. It runs in a
  // child process so that its garbage does not load this process's heap (and its pauses).
  const builder = pathToFileURL(join(repoRoot, 'bench', 'noise-log.mjs')).href;
  const corpus = join(repoRoot, '..', 'shared', 'corpus', 'logs');
  const script = `import { buildNoiseLog } from ${JSON.stringify(builder)};
    buildNoiseLog(${JSON.stringify(bigLog)}, ${64 << 20}, ${JSON.stringify(corpus)});`;
  const built = spawnSync(process.execPath, ['--input-type=module', '-e', script]);
  assert.equal(built.status, 0, built.stderr?.toString());
});

after(() => rmSync(workDir, { recursive: true, force: true }));

test('the worker\'s report is the engine\'s report, with progress on the way', {
  skip: missingWorker,
}, async () => {
  const client = new AnalysisClient(workerScript);
  try {
    const progress: number[] = [];
    const outcome = await client.analyse({ files: [sampleLog], maxLogFileMb: 8 }, {
      onProgress: (bytesRead) => progress.push(bytesRead),
    }, never);
    assert.equal(outcome.kind, 'report');
    const view = outcome.kind === 'report' ? outcome.report as AuditViewReport : undefined;

    const engine = await analyzeLogs([sampleLog], { workers: 1 });
    const expected = toAuditViewReport(engine, [{ label: 'audit.log',
      bytes: statSync(sampleLog).size }]);
    assert.deepEqual(view, expected);
    assert.ok(progress.length > 0, 'progress was reported');
    assert.equal(progress.at(-1), statSync(sampleLog).size);

    // Preview: the top exe's rules and what they remove.
    const top = expected.byExe[0].exe;
    const { preview, rules } = await client.preview({
      exes: [top], exeSyscalls: [], keys: [], types: [], paths: [],
    }, 8);
    assert.ok(rules.length > 0);
    assert.ok(rules.every((rule) => rule.text.startsWith('-a never,exit ')
      && rule.text.includes(`-F exe=${top}`)), rules.map((r) => r.text).join('\n'));
    assert.equal(preview.eventsRemoved, expected.byExe[0].events);
    assert.ok(preview.rotationMinutesAfter! > preview.rotationMinutesBefore!);

    // Samples: each points at the SYSCALL record of an event of that exe.
    const samples = await client.samples({ exe: top });
    assert.equal(samples.length, 20);
    const lines = readFileSync(sampleLog, 'utf8').split('\n');
    for (const sample of samples) {
      const line = lines[sample.line - 1];
      assert.match(line, /type=SYSCALL /);
      assert.ok(line.includes(`exe="${top}"`));
      assert.ok(sample.text.startsWith(line));
    }

    // Another max_log_file scales the forecast without reading the log again.
    const rescaled = await client.setMaxLogFile(16) as AuditViewReport;
    assert.equal(rescaled.maxLogFileMb, 16);
    assert.ok(Math.abs(rescaled.rotationMinutes! - 2 * expected.rotationMinutes!) < 1e-9);
  } finally {
    client.dispose();
  }
});

test('an mdatp statistics file opens as a process ranking with exclusion commands', {
  skip: missingWorker ?? (existsSync(mdatpFixture) ? undefined : 'no mdatp fixture'),
}, async () => {
  const client = new AnalysisClient(workerScript);
  try {
    const outcome = await client.analyse({ files: [mdatpFixture], maxLogFileMb: 8 }, quiet, never);
    assert.equal(outcome.kind, 'report');
    const report = outcome.kind === 'report' ? outcome.report : undefined;
    assert.equal(report?.kind, 'mdatp');
    if (report?.kind !== 'mdatp') return;
    const top = report.processes[0];
    assert.ok(top.filesScanned >= (report.processes[1]?.filesScanned ?? 0));
    const { rules } = await client.preview({
      exes: [], exeSyscalls: [], keys: [], types: [], paths: [top.path],
    }, 8);
    assert.equal(rules[0]?.text.startsWith('mdatp exclusion process add --path '), true);
  } finally {
    client.dispose();
  }
});

test('cancelling stops the analysis within the grace period', { skip: missingWorker },
  async () => {
    const client = new AnalysisClient(workerScript);
    try {
      let cancel: () => void = () => undefined;
      const cancellation = { onCancel: (listener: () => void) => { cancel = listener; } };
      let cancelledAt = 0;
      const outcome = await client.analyse({ files: [bigLog], maxLogFileMb: 8 }, {
        onProgress: () => {
          if (cancelledAt === 0) {
            cancelledAt = performance.now();
            cancel();
          }
        },
      }, cancellation);
      assert.equal(outcome.kind, 'cancelled');
      const stoppedIn = performance.now() - cancelledAt;
      assert.ok(stoppedIn < 2500, `stopped ${stoppedIn.toFixed(0)} ms after the cancel`);
    } finally {
      client.dispose();
    }
  });

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];
}

test('a hover to the language server is answered while a 64 MiB log is parsed', {
  skip: missingWorker ?? (existsSync(serverScript) ? undefined : 'dist/server.js is not built'),
}, async () => {
  const child = spawn(process.execPath, [serverScript, '--stdio'], { stdio: 'pipe' });
  const connection = rpc.createMessageConnection(
    new rpc.StreamMessageReader(child.stdout), new rpc.StreamMessageWriter(child.stdin));
  connection.onRequest('workspace/configuration', () => [{}]);
  connection.listen();
  const client = new AnalysisClient(workerScript);
  const delay = monitorEventLoopDelay({ resolution: 10 });
  try {
    await connection.sendRequest('initialize', { processId: process.pid, rootUri: null,
      capabilities: {} });
    await connection.sendNotification('initialized', {});
    const uri = 'untitled:noise-hover.rules';
    const text = '-a always,exit -F arch=b64 -S 263 -k delete\n';
    await connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'audit-rules', version: 1, text },
    });
    const hover = async () => {
      const started = performance.now();
      const result = await connection.sendRequest('textDocument/hover', {
        textDocument: { uri }, position: { line: 0, character: 32 },
      }) as { contents: unknown } | null;
      return { ms: performance.now() - started, answered: result !== null };
    };
    await hover();

    let done = false;
    delay.enable();
    const started = performance.now();
    let firstProgress = 0;
    const analysis = client.analyse({ files: [bigLog], maxLogFileMb: 8 }, {
      onProgress: () => { firstProgress ||= performance.now() - started; },
    }, never).finally(() => { done = true; });

    const during: number[] = [];
    while (!done) {
      const { ms, answered } = await hover();
      assert.ok(answered, 'the hover has content');
      if (!done) during.push(ms);
    }
    const outcome = await analysis;
    const total = performance.now() - started;
    delay.disable();
    assert.equal(outcome.kind, 'report');
    assert.ok(during.length > 0, 'at least one hover was answered during the parse');

    const size = statSync(bigLog).size / (1 << 20);
    const lag = delay.max / 1e6;
    process.stdout.write(`# ${basename(bigLog)} ${size.toFixed(0)} MiB: first progress after `
      + `${firstProgress.toFixed(0)} ms, report after ${total.toFixed(0)} ms; `
      + `${during.length} hovers during the parse: median ${percentile(during, 50).toFixed(2)} `
      + `ms, p95 ${percentile(during, 95).toFixed(2)} ms, max ${Math.max(...during).toFixed(2)} `
      + `ms; host event-loop delay max ${lag.toFixed(1)} ms\n`);
    // The host thread only relays messages. A parse on it would stall it for about the
    // whole parse; on a machine busy with other work a pause of a tenth of a second can
    // still happen, so the bound is half the parse.
    assert.ok(lag < total / 2, `the host's event loop stalled ${lag.toFixed(0)} ms of a `
      + `${total.toFixed(0)} ms parse`);
  } finally {
    client.dispose();
    await connection.sendRequest('shutdown').catch(() => undefined);
    await connection.sendNotification('exit').catch(() => undefined);
    await new Promise((resolve) => child.once('exit', resolve));
    connection.dispose();
  }
});
