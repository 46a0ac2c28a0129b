// Exclusion suggestions and their impact preview on a large log: after the log engine has
// read the log once, how long it takes to turn its top offenders into rules and simulate
// them (through the rule-matching model) over the event profile, and to simulate rules for
// the 50 busiest programs at once, as the noise view does for a wide selection.
// Reference in the same run: `aureport -x --summary` on the same file, the ranking an admin
// starts from today (it gives no rules and no impact).
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureNoiseLog } from './support/corpus.mjs';
import { median } from './support/figures.mjs';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const compiled = join(repoRoot, 'out', 'server', 'src', 'log');
if (!existsSync(join(compiled, 'suggestions.js'))) {
  console.log(`${compiled} is missing: run npm run compile-tests`);
  process.exit(1);
}
const { analyzeLogs } = require(join(compiled, 'analyze.js'));
const { suggestExclusions } = require(join(compiled, 'suggestions.js'));
const { proposeExclusion } = require(join(compiled, 'exclusions.js'));
const { simulateImpact } = require(join(compiled, 'impact.js'));

const logPath = process.env.EXCLUSIONS_BENCH_LOG ?? '/tmp/match-counts-bench.log';
ensureNoiseLog(logPath, 200 * 1000 * 1000);
const mib = statSync(logPath).size / (1 << 20);

function timed(run) {
  const start = process.hrtime.bigint();
  const value = run();
  return { value, ms: Number(process.hrtime.bigint() - start) / 1e6 };
}

const readStart = process.hrtime.bigint();
const report = await analyzeLogs([logPath]);
const readMs = Number(process.hrtime.bigint() - readStart) / 1e6;
console.log(`log: ${mib.toFixed(0)} MiB, ${report.events} events, ` +
  `${report.profile.buckets.length} profile buckets; read in ${(readMs / 1000).toFixed(2)} s`);

const suggestRuns = [];
let suggested;
for (let i = 0; i < 5; i++) {
  const run = timed(() => suggestExclusions(report));
  suggested = run.value;
  suggestRuns.push(run.ms);
}
const suggestMs = median(suggestRuns);
console.log(`suggestions for the top ${suggested.suggestions.length} programs with their ` +
  `impact: ${suggestMs.toFixed(1)} ms (median of 5); together they remove ` +
  `${suggested.combined.events} events`);

const wideRuns = [];
let wideRules = 0;
for (let i = 0; i < 5; i++) {
  const run = timed(() => {
    const rules = report.byExe.slice(0, 50).flatMap((row) =>
      proposeExclusion({ kind: 'exe', exe: row.exe }, report.profile).rules);
    wideRules = rules.length;
    return simulateImpact(rules, report.profile, report);
  });
  wideRuns.push(run.ms);
}
const wideMs = median(wideRuns);
console.log(`rules for the 50 busiest programs (${wideRules} rules) proposed and simulated: ` +
  `${wideMs.toFixed(1)} ms (median of 5)`);

const aureport = spawnSync('sh', ['-c', 'command -v aureport']).status === 0
  ? timed(() => spawnSync('aureport', ['-if', logPath, '-x', '--summary'], {
    stdio: 'ignore' }))
  : undefined;
if (aureport) {
  console.log(`reference: aureport -x --summary on the same file: ` +
    `${(aureport.ms / 1000).toFixed(2)} s`);
  console.log(`ratio: suggestions with impact take ${(suggestMs / aureport.ms * 100).toFixed(2)}%` +
    ` of aureport's ranking time; read + suggest together are ` +
    `${(aureport.ms / (readMs + suggestMs)).toFixed(1)}x faster than aureport's ranking alone`);
} else {
  console.log('reference: aureport is not installed (Debian package auditd); no ratio');
}
