// Match counts in the editor: the language server (dist/server.js) told of an analysed log
// (auditd/analysedLogs) reads it through the log engine, then counts each rule of a large
// rules file (neo23x0/audit.rules, about 400 rules) against the log's event profile.
// Prints when the code lenses first carry counts, the lens request after an edit (counts
// kept per rule), and the hover latency while the server reads the log against idle.
// Reference in the same run: `aureport -x --summary` on the same file.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { aureportSummarySeconds } from './support/aureport.mjs';
import { ensureNoiseLog } from './support/corpus.mjs';
import { percentile } from './support/figures.mjs';
import { startServer } from './support/server.mjs';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

const serverScript = join(repoRoot, 'dist', 'server.js');
if (!existsSync(serverScript)) {
  console.log(`${serverScript} is missing: run npm run build`);
  process.exit(1);
}
const corpus = join(repoRoot, '..', 'shared', 'corpus');
const rulesPath = join(corpus, 'rules', 'neo23x0', 'audit.rules');
const rulesText = readFileSync(rulesPath, 'utf8');

const logPath = process.env.MATCH_COUNTS_BENCH_LOG ?? '/tmp/match-counts-bench.log';
ensureNoiseLog(logPath, 200 * 1000 * 1000);
const mib = statSync(logPath).size / (1 << 20);

const { connection, stop } = await startServer(serverScript);

const uri = 'file:///bench/audit.rules';
await connection.sendNotification('textDocument/didOpen', { textDocument: {
  uri, languageId: 'audit-rules', version: 1, text: rulesText,
} });
const hoverLine = rulesText.split('\n').findIndex((line) => line.startsWith('-a always,exit'));
const hover = async () => {
  const started = performance.now();
  const result = await connection.sendRequest('textDocument/hover', {
    textDocument: { uri }, position: { line: hoverLine, character: 5 },
  });
  if (!result) throw new Error('the hover returned nothing');
  return performance.now() - started;
};
const lenses = () => connection.sendRequest('textDocument/codeLens', { textDocument: { uri } });

const idle = [];
for (let i = 0; i < 200; i++) idle.push(await hover());

// --- the server reads the log; hovers all along, lenses until they carry counts ------------
const started = performance.now();
await connection.sendNotification('auditd/analysedLogs', { files: [logPath] });
const pause = () => new Promise((resolve) => setTimeout(resolve, 20));
const during = [];
let shown = [];
let lensMillis = 0;
while (shown.length === 0) {
  during.push(await hover());
  const asked = performance.now();
  shown = await lenses();
  lensMillis = performance.now() - asked;
  await pause();
}
const countsAfter = (performance.now() - started) / 1000;

// An edit: one rule changes, the others keep their counts.
await connection.sendNotification('textDocument/didChange', {
  textDocument: { uri, version: 2 },
  contentChanges: [{ text: `${rulesText}\n-a always,exit -F arch=b64 -S openat -k bench\n` }],
});
const editStarted = performance.now();
const afterEdit = await lenses();
const editMillis = performance.now() - editStarted;

await stop();

const aureportSeconds = aureportSummarySeconds(logPath);

const matched = shown.filter((lens) => !/^0 events? matched/.test(lens.command.title)).length;
console.log(`match counts: ${shown.length} rules of neo23x0/audit.rules against `
  + `${mib.toFixed(0)} MiB of log (${matched} rules match some event)`);
console.log(`  lenses carry counts ${countsAfter.toFixed(2)} s after the notice`
  + (aureportSeconds === undefined ? '; aureport not installed'
    : `; aureport -x --summary took ${aureportSeconds.toFixed(2)} s: `
      + `${(aureportSeconds / countsAfter).toFixed(1)}x longer`));
console.log(`  first lens request with counts (every rule counted): ${lensMillis.toFixed(0)} ms; `
  + `after an edit (${afterEdit.length} lenses, one rule recounted): ${editMillis.toFixed(0)} ms`);
console.log(`  hover idle: median ${percentile(idle, 50).toFixed(2)} ms, `
  + `p95 ${percentile(idle, 95).toFixed(2)} ms; while the server reads the log: median `
  + `${percentile(during, 50).toFixed(2)} ms, p95 ${percentile(during, 95).toFixed(2)} ms, `
  + `max ${Math.max(...during).toFixed(2)} ms (${during.length} requests)`);
