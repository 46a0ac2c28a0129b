// The noise view on a log of at least 500 MB, as the extension host runs it: the analysis in
// the view's worker thread (dist/noise-worker.js, driven by the same AnalysisClient class),
// hovers sent to the language server (dist/server.js) all the while. Prints when progress
// starts and when the results arrive, the hover latency during the parse against the idle
// latency, and the host thread's worst event-loop delay. Reference in the same run:
// `aureport -x --summary` on the same file, the tool an admin would otherwise wait for.
import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { aureportSummarySeconds } from './support/aureport.mjs';
import { ensureNoiseLog } from './support/corpus.mjs';
import { percentile } from './support/figures.mjs';
import { startServer } from './support/server.mjs';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

const workerScript = join(repoRoot, 'dist', 'noise-worker.js');
const serverScript = join(repoRoot, 'dist', 'server.js');
const clientModule = join(repoRoot, 'out', 'client', 'src', 'noiseView', 'analysisClient.js');
for (const needed of [workerScript, serverScript, clientModule]) {
  if (!existsSync(needed)) {
    console.log(`${needed} is missing: run npm run build && npm run compile-tests`);
    process.exit(1);
  }
}
const { AnalysisClient } = require(clientModule);

const logPath = process.env.NOISE_VIEW_BENCH_LOG ?? '/tmp/noise-view-bench.log';
ensureNoiseLog(logPath, 500 * 1000 * 1000);
const size = statSync(logPath).size;
const mib = size / (1 << 20);

// --- the language server, with a rules document to hover ---------------------------------
const { connection, stop } = await startServer(serverScript);
const uri = 'untitled:noise-view-bench.rules';
await connection.sendNotification('textDocument/didOpen', { textDocument: {
  uri, languageId: 'audit-rules', version: 1,
  text: '-a always,exit -F arch=b64 -S 263 -k delete\n',
} });
const hover = async () => {
  const started = performance.now();
  const result = await connection.sendRequest('textDocument/hover', {
    textDocument: { uri }, position: { line: 0, character: 32 },
  });
  if (!result) throw new Error('the hover returned nothing');
  return performance.now() - started;
};

const idle = [];
for (let i = 0; i < 300; i++) idle.push(await hover());

// --- the parse, with hovers all along ---------------------------------------------------
const client = new AnalysisClient(workerScript);
const delay = monitorEventLoopDelay({ resolution: 10 });
delay.enable();
const started = performance.now();
let firstProgress = 0;
let lastPercent = 0;
let done = false;
const analysis = client.analyse({ files: [logPath], maxLogFileMb: 8 }, {
  onProgress: (bytesRead, totalBytes) => {
    firstProgress ||= performance.now() - started;
    lastPercent = totalBytes > 0 ? (100 * bytesRead) / totalBytes : 0;
  },
}, { onCancel: () => undefined }).finally(() => { done = true; });

// A hover every 20 ms: far more often than a person hovers, without the request loop itself
// taking a core from the parse.
const pause = () => new Promise((resolve) => setTimeout(resolve, 20));
const during = [];
while (!done) {
  const ms = await hover();
  if (!done) during.push(ms);
  await pause();
}
const outcome = await analysis;
const resultsAfter = performance.now() - started;
delay.disable();
client.dispose();
if (outcome.kind !== 'report') throw new Error(`the analysis ended with ${outcome.kind}`);

await stop();

// --- reference: aureport on the same file --------------------------------------------------
const aureportSeconds = aureportSummarySeconds(logPath);

const report = outcome.report;
const seconds = resultsAfter / 1000;
console.log(`noise view on ${mib.toFixed(0)} MiB (${report.events} events, top exe `
  + `${report.byExe[0]?.exe} with ${report.byExe[0]?.events}):`);
console.log(`  progress: the panel shows 0% at once; the worker's first figure after `
  + `${firstProgress.toFixed(0)} ms (last seen ${lastPercent.toFixed(0)}%)`);
console.log(`  results after ${seconds.toFixed(2)} s (${(mib / seconds).toFixed(0)} MiB/s)`
  + (aureportSeconds === undefined ? '; aureport not installed'
    : `; aureport -x --summary took ${aureportSeconds.toFixed(2)} s: `
      + `${(aureportSeconds / seconds).toFixed(1)}x longer`));
console.log(`  hover idle: median ${percentile(idle, 50).toFixed(2)} ms, `
  + `p95 ${percentile(idle, 95).toFixed(2)} ms (${idle.length} requests)`);
console.log(`  hover during the parse: median ${percentile(during, 50).toFixed(2)} ms, `
  + `p95 ${percentile(during, 95).toFixed(2)} ms, max ${Math.max(...during).toFixed(2)} ms `
  + `(${during.length} requests, one per 20 ms; p95 `
  + `${(percentile(during, 95) / percentile(idle, 95)).toFixed(1)}x idle)`);
console.log(`  extension-host thread: worst event-loop delay ${(delay.max / 1e6).toFixed(1)} ms, `
  + `mean ${(delay.mean / 1e6).toFixed(1)} ms`);
