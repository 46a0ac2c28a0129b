// Language server latency over the protocol, against the bundled dist/server.js:
//  - hover latency on a real ruleset (target < 5 ms per request, round trip);
//  - full diagnostics for a 10,000-line document after an edit (target < 50 ms).
// There is no reference tool that answers LSP requests for audit rules, so the figures
// are printed as ratios to their targets, and the diagnostics time beside the engine's
// own check time measured inside the server (from its debug log) to show the protocol's
// share.
import { existsSync, readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { corpusRuleLines, numberedRuleDocument } from './support/corpus.mjs';
import { median, percentile } from './support/figures.mjs';
import { startServer } from './support/server.mjs';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

const serverPath = join(repoRoot, 'dist', 'server.js');
const corpus = join(repoRoot, '..', 'shared', 'corpus', 'rules');
if (!existsSync(serverPath)) {
  console.log('dist/server.js is missing: run npm run build');
  process.exit(1);
}

const checkTimes = [];
const { connection, stop } = await startServer(serverPath, {
  settings: { logLevel: 'debug' },
  capabilities: {
    textDocument: { diagnostic: {} },
    workspace: { configuration: true, diagnostics: { refreshSupport: true } },
  },
  handle: (connection) => {
    connection.onRequest('workspace/diagnostic/refresh', () => null);
    connection.onRequest('workspace/semanticTokens/refresh', () => null);
    connection.onNotification('window/logMessage', ({ message }) => {
      const match = / diagnostics in ([0-9.]+) ms$/.exec(message);
      if (match) checkTimes.push(Number(match[1]));
    });
  },
});
await connection.sendNotification('workspace/didChangeConfiguration', { settings: {} });

// --- hover ------------------------------------------------------------------------------
const neoPath = join(corpus, 'neo23x0', 'audit.rules');
const neoText = readFileSync(neoPath, 'utf8');
const neoUri = pathToFileURL(neoPath).href;
await connection.sendNotification('textDocument/didOpen', {
  textDocument: { uri: neoUri, languageId: 'audit-rules', version: 1, text: neoText },
});

// Hover targets: every -S word and every -k key of the file.
const targets = [];
neoText.split('\n').forEach((line, lineNumber) => {
  for (const match of line.matchAll(/(?:-S |-k )(\S)/g)) {
    targets.push({ line: lineNumber, character: match.index + 3 });
  }
});

const hover = (position) =>
  connection.sendRequest('textDocument/hover', { textDocument: { uri: neoUri }, position });

for (const position of targets.slice(0, 50)) await hover(position);
const hoverTimes = [];
let answered = 0;
for (let round = 0; round < 3; round++) {
  for (const position of targets) {
    const started = performance.now();
    const result = await hover(position);
    hoverTimes.push(performance.now() - started);
    if (result) answered++;
  }
}

// --- diagnostics on 10,000 lines -----------------------------------------------------
// The same document bench/rules.bench.mjs checks in-process.
const bigLines = numberedRuleDocument(corpusRuleLines(), 10000);
const bigUri = 'untitled:bench-10000.rules';
let version = 1;
await connection.sendNotification('textDocument/didOpen', {
  textDocument: { uri: bigUri, languageId: 'audit-rules', version, text: bigLines.join('\n') },
});
await connection.sendRequest('textDocument/diagnostic', { textDocument: { uri: bigUri } });

const diagnosticTimes = [];
let diagnosticCount = 0;
checkTimes.length = 0;
for (let round = 0; round < 15; round++) {
  // Each round edits one line, so the server checks the whole document again.
  bigLines[round * 7] = `# edit ${round}`;
  version++;
  const started = performance.now();
  await connection.sendNotification('textDocument/didChange', {
    textDocument: { uri: bigUri, version },
    contentChanges: [{ text: bigLines.join('\n') }],
  });
  const report = await connection.sendRequest('textDocument/diagnostic', {
    textDocument: { uri: bigUri },
  });
  diagnosticTimes.push(performance.now() - started);
  diagnosticCount = report.items.length;
}

await stop();

const hoverMedian = median(hoverTimes);
const hoverP95 = percentile(hoverTimes, 95);
const diagnosticsMedian = median(diagnosticTimes);
const checkMedian = checkTimes.length > 0 ? median(checkTimes) : NaN;

console.log(`hover: ${hoverTimes.length} requests over ${targets.length} syscall/key positions ` +
  `of neo23x0/audit.rules (${answered} answered)`);
console.log(`  median ${hoverMedian.toFixed(3)} ms, p95 ${hoverP95.toFixed(3)} ms ` +
  `(target < 5 ms: median at ${(hoverMedian / 5).toFixed(3)}x the target)`);
console.log('diagnostics: 10,000 corpus rule lines with numbered keys, ' +
  `${diagnosticCount} diagnostics`);
console.log(`  edit + pull round trip: median ${diagnosticsMedian.toFixed(1)} ms, ` +
  `max ${Math.max(...diagnosticTimes).toFixed(1)} ms ` +
  `(target < 50 ms: ${(diagnosticsMedian / 50).toFixed(2)}x the target)`);
if (!Number.isNaN(checkMedian)) {
  console.log(`  of which the engine's check: median ${checkMedian.toFixed(1)} ms ` +
    `(${((100 * checkMedian) / diagnosticsMedian).toFixed(0)}% of the round trip)`);
}
