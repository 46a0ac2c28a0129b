// Language server latency over the protocol, against the bundled dist/server.js:
//  - hover latency on a real ruleset (target < 5 ms per request, round trip);
//  - full diagnostics for a 10,000-line document as the client receives them (target
//    < 50 ms): from the edit (or the open) to the decoded list of every diagnostic, for an
//    edit inside one line, a line inserted at the top (every line below moves), and the
//    document opened. Edits travel as the incremental changes the server asks for
//    (TextDocumentSyncKind.Incremental), as an editor sends them.
// There is no reference tool that answers LSP requests for audit rules, so the figures
// are printed as ratios to their targets, and the diagnostics time beside the engine's
// own check time measured inside the server (from its debug log) to show the protocol's
// share, with the CPU time the server and the client spent per round trip.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { availableParallelism, loadavg } from 'node:os';
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

/**
 * CPU time the server process has used so far, in ms (user + system, from /proc; the
 * kernel counts it in clock ticks, 10 ms each, so only sums over many requests are exact
 * enough to print). NaN where /proc is not there.
 */
function processCpuMillis(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicks;
  } catch {
    return NaN;
  }
}
const clockTicks = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' })) || 100;
  } catch {
    return 100;
  }
})();

const checkTimes = [];
const { connection, stop, pid } = await startServer(serverPath, {
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
const lineSpan = (startLine, startCharacter, endLine, endCharacter) => ({
  start: { line: startLine, character: startCharacter },
  end: { line: endLine, character: endCharacter },
});
let version = 1;
await connection.sendNotification('textDocument/didOpen', {
  textDocument: { uri: bigUri, languageId: 'audit-rules', version, text: bigLines.join('\n') },
});
await connection.sendRequest('textDocument/diagnostic', { textDocument: { uri: bigUri } });

/**
 * One edit and the pull of the document's diagnostics after it, timed from the client:
 * wall time of the round trip, and the CPU time the server and this client spent on it.
 * `edit(round)` changes bigLines and returns the incremental change that says so.
 */
async function editRounds(edit, rounds) {
  const times = [];
  let count = 0;
  let clientCpu = 0;
  const serverCpuBefore = processCpuMillis(pid);
  for (let round = 0; round < rounds; round++) {
    const change = edit(round);
    version++;
    const cpuStart = process.cpuUsage();
    const started = performance.now();
    await connection.sendNotification('textDocument/didChange', {
      textDocument: { uri: bigUri, version },
      contentChanges: [change],
    });
    const report = await connection.sendRequest('textDocument/diagnostic', {
      textDocument: { uri: bigUri },
    });
    times.push(performance.now() - started);
    const cpu = process.cpuUsage(cpuStart);
    clientCpu += (cpu.user + cpu.system) / 1000;
    count = report.items.length;
  }
  const serverCpu = (processCpuMillis(pid) - serverCpuBefore) / rounds;
  return { times, count, clientCpu: clientCpu / rounds, serverCpu };
}

// An edit inside one line: the server re-checks that line, reuses the verdicts of the
// other 9,999, and redoes the whole-file checks (duplicates, -e 2, twins, load order).
checkTimes.length = 0;
const inPlace = await editRounds((round) => {
  const line = round * 7;
  const old = bigLines[line];
  bigLines[line] = `# edit ${round}`;
  return { range: lineSpan(line, 0, line, old.length), text: bigLines[line] };
}, 15);
const inPlaceChecks = [...checkTimes];

// A line inserted at the top, then taken out again: every later line moves each time.
checkTimes.length = 0;
const inserted = await editRounds((round) => {
  if (round % 2 === 0) {
    bigLines.unshift(`# inserted ${round}`);
    return { range: lineSpan(0, 0, 0, 0), text: `${bigLines[0]}\n` };
  }
  bigLines.shift();
  return { range: lineSpan(0, 0, 1, 0), text: '' };
}, 10);
const insertedChecks = [...checkTimes];

// The document opened: the whole text, checked from nothing, and its diagnostics pulled.
checkTimes.length = 0;
const opened = { times: [], count: 0, clientCpu: 0, serverCpu: 0 };
{
  const serverCpuBefore = processCpuMillis(pid);
  const rounds = 9;
  for (let round = 0; round < rounds; round++) {
    const uri = `untitled:bench-10000-open-${round}.rules`;
    const cpuStart = process.cpuUsage();
    const started = performance.now();
    await connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'audit-rules', version: 1, text: bigLines.join('\n') },
    });
    const report = await connection.sendRequest('textDocument/diagnostic', {
      textDocument: { uri },
    });
    opened.times.push(performance.now() - started);
    const cpu = process.cpuUsage(cpuStart);
    opened.clientCpu += (cpu.user + cpu.system) / 1000 / rounds;
    opened.count = report.items.length;
    await connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }
  opened.serverCpu = (processCpuMillis(pid) - serverCpuBefore) / rounds;
}
const openedChecks = [...checkTimes];

await stop();

const hoverMedian = median(hoverTimes);
const hoverP95 = percentile(hoverTimes, 95);

console.log(`hover: ${hoverTimes.length} requests over ${targets.length} syscall/key positions ` +
  `of neo23x0/audit.rules (${answered} answered)`);
console.log(`  median ${hoverMedian.toFixed(3)} ms, p95 ${hoverP95.toFixed(3)} ms ` +
  `(target < 5 ms: median at ${(hoverMedian / 5).toFixed(3)}x the target)`);
console.log('diagnostics: 10,000 corpus rule lines with numbered keys, ' +
  `${inPlace.count} diagnostics`);

function printRounds(title, result, checks) {
  const wall = median(result.times);
  console.log(`  ${title}: full diagnostics received in a median of ${wall.toFixed(1)} ms ` +
    `(${wall < 50 ? 'within' : 'over'} the 50 ms target, ${(wall / 50).toFixed(2)}x), ` +
    `max ${Math.max(...result.times).toFixed(1)} ms over ${result.times.length} rounds`);
  console.log(`    CPU per round trip (mean): server ${result.serverCpu.toFixed(1)} ms, ` +
    `client ${result.clientCpu.toFixed(1)} ms`);
  if (checks.length > 0) {
    const check = median(checks);
    console.log(`    of which the engine's check: median ${check.toFixed(1)} ms ` +
      `(${((100 * check) / wall).toFixed(0)}% of the round trip)`);
  }
}
printRounds('a line edited in place', inPlace, inPlaceChecks);
printRounds('a line inserted at the top or taken out (every line below moves)', inserted,
  insertedChecks);
printRounds('the document opened (checked from nothing)', opened, openedChecks);
console.log(`  load average ${loadavg()[0].toFixed(1)} on ${availableParallelism()} cores`);
