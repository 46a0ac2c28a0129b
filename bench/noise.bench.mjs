// Throughput of `auditd-tools noise` against the tools an admin uses today, measured in
// the same run on a >= 512 MiB log built from the corpus's real events (bench/noise-log.mjs):
//   aureport -if LOG -x --summary, cut -d ' ' -f26 LOG | sort | uniq -c, cat LOG > /dev/null.
// Prints MB/s, ratios, and noise's peak RSS. The log is written under the system temp dir.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildNoiseLog } from './noise-log.mjs';

const repoRoot = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..');
const cli = join(repoRoot, 'dist', 'cli.js');
const corpus = join(repoRoot, '..', 'shared', 'corpus', 'logs');
const targetBytes = Number(process.env.NOISE_BENCH_MB ?? 512) * 1024 * 1024;
const runs = Number(process.env.NOISE_BENCH_RUNS ?? 3);

if (!existsSync(cli)) {
  console.log('dist/cli.js is missing: run npm run build first');
  process.exit(1);
}
if (!existsSync(corpus)) {
  console.log(`skipped: the corpus (${corpus}) is not beside the repository`);
  process.exit(0);
}

const dir = join(tmpdir(), 'auditd-tools-bench');
mkdirSync(dir, { recursive: true });
const log = join(dir, 'noise.log');

let started = process.hrtime.bigint();
const built = buildNoiseLog(log, targetBytes, corpus);
const buildSeconds = Number(process.hrtime.bigint() - started) / 1e9;
const size = statSync(log).size;
const mib = size / 1048576;
console.log(`log: ${log}, ${mib.toFixed(0)} MiB, ${built.records} records, ${built.events} ` +
  `events (built in ${buildSeconds.toFixed(1)} s)`);

function has(tool) {
  return spawnSync('bash', ['-c', `command -v ${tool}`]).status === 0;
}

/** Best wall time of `runs` runs of a shell command (the machine may be shared). */
function timeShell(command, times = runs) {
  let best = Infinity;
  for (let i = 0; i < times; i++) {
    const start = process.hrtime.bigint();
    const result = spawnSync('bash', ['-c', command], { stdio: ['ignore', 'ignore', 'pipe'] });
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (result.status !== 0) throw new Error(`${command} failed: ${result.stderr}`);
    best = Math.min(best, seconds);
  }
  return best;
}

/** Runs noise in a child process that reports its own peak RSS (worker threads included). */
function timeNoise() {
  const script = `
    const { main } = require(${JSON.stringify(cli)});
    let bytes = 0;
    const io = { stdout: (t) => { bytes += t.length; }, stderr: (t) => process.stderr.write(t) };
    main(['noise', '--format', 'json', ${JSON.stringify(log)}], io).then((status) => {
      const usage = process.resourceUsage();
      process.stdout.write(JSON.stringify({ status, maxRSS: usage.maxRSS,
        cpu: (usage.userCPUTime + usage.systemCPUTime) / 1e6 }));
    });`;
  const walls = [];
  const cpus = [];
  let peak = 0;
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    const result = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (result.status !== 0 || !result.stdout) throw new Error(`noise failed: ${result.stderr}`);
    const outcome = JSON.parse(result.stdout);
    if (outcome.status !== 0) throw new Error(`noise failed: ${result.stderr}`);
    walls.push(seconds);
    cpus.push(outcome.cpu);
    peak = Math.max(peak, outcome.maxRSS * 1024);
  }
  return { seconds: Math.min(...walls), walls, cpus, peakRss: peak };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function peakRssOf(command) {
  if (!existsSync('/usr/bin/time')) return undefined;
  const result = spawnSync('/usr/bin/time', ['-f', '%M', 'bash', '-c', command],
    { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
  const kb = Number(result.stderr.trim().split('\n').pop());
  return Number.isFinite(kb) ? kb * 1024 : undefined;
}

// Read once so that every tool starts from the page cache.
timeShell(`cat '${log}' > /dev/null`, 1);

const figures = [];
const cat = timeShell(`cat '${log}' > /dev/null`);
figures.push({ tool: 'cat > /dev/null', seconds: cat });
const pipeline = timeShell(`cut -d ' ' -f26 '${log}' | sort | uniq -c > /dev/null`);
figures.push({ tool: "cut -d ' ' -f26 | sort | uniq -c", seconds: pipeline });
const noise = timeNoise();
figures.push({ tool: 'auditd-tools noise', seconds: noise.seconds, rss: noise.peakRss });

let aureport;
if (has('aureport')) {
  const command = `aureport -if '${log}' -x --summary > /dev/null`;
  aureport = timeShell(command, Math.min(runs, 2));
  figures.push({ tool: 'aureport -x --summary', seconds: aureport, rss: peakRssOf(command) });
} else {
  console.log('aureport is not installed (Debian package auditd): its ratio is not measured');
}

console.log('\n  tool                               MiB/s    seconds   peak RSS');
for (const figure of figures) {
  const rss = figure.rss === undefined ? '' : `${(figure.rss / 1048576).toFixed(0)} MiB`;
  console.log(`  ${figure.tool.padEnd(33)} ${(mib / figure.seconds).toFixed(0).padStart(6)}` +
    `  ${figure.seconds.toFixed(2).padStart(8)}   ${rss}`);
}

const noiseRate = mib / noise.seconds;
console.log('\nratios (noise throughput / other):');
if (aureport !== undefined) {
  const ratio = aureport / noise.seconds;
  console.log(`  vs aureport -x --summary: ${ratio.toFixed(1)}x (target >= 10x: ` +
    `${ratio >= 10 ? 'met' : 'missed'})`);
}
const pipelineRatio = pipeline / noise.seconds;
console.log(`  vs the cut pipeline:      ${pipelineRatio.toFixed(2)}x (target >= 1x: ` +
  `${pipelineRatio >= 1 ? 'met' : 'missed'})`);
console.log(`  vs cat:                   ${(cat / noise.seconds).toFixed(3)}x`);
console.log(`peak RSS of noise: ${(noise.peakRss / 1048576).toFixed(0)} MiB (target < 200 MB: ` +
  `${noise.peakRss < 200e6 ? 'met' : 'missed'}); noise read ${noiseRate.toFixed(0)} MiB/s`);
// The best wall time is what the ratios use; on a shared machine the median and the CPU time
// (both threads together) tell whether a change made the work smaller or the run luckier.
console.log(`noise runs: wall ${noise.walls.map((s) => s.toFixed(2)).join(' ')} s (median ` +
  `${median(noise.walls).toFixed(2)}), CPU ${noise.cpus.map((s) => s.toFixed(2)).join(' ')} s ` +
  `(median ${median(noise.cpus).toFixed(2)})`);

if (!process.env.NOISE_BENCH_KEEP) rmSync(dir, { recursive: true, force: true });
