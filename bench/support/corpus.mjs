// Inputs built from ../shared/corpus: the numbered 10,000-rule document and the large log the
// log benchmarks read.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const corpus = join(repoRoot, '..', 'shared', 'corpus');

/** Every rule line of the rules corpus, trimmed, except rules whose key is `-`. */
export function corpusRuleLines() {
  const rulesDir = join(corpus, 'rules');
  const ruleLines = [];
  for (const folder of readdirSync(rulesDir).filter((name) => !name.includes('.'))) {
    for (const name of readdirSync(join(rulesDir, folder)).sort()) {
      for (const line of readFileSync(join(rulesDir, folder, name), 'utf8').split('\n')) {
        const trimmed = line.trim();
        if (/^-[aAwd] /.test(trimmed) && !trimmed.includes(' -k -')) ruleLines.push(trimmed);
      }
    }
  }
  return ruleLines;
}

/**
 * `target` lines: the rule lines repeated with a numbered key per repetition, so no two rules
 * are the same while b64/b32 twins still pair up as in the files.
 */
export function numberedRuleDocument(ruleLines, target) {
  const lines = [];
  for (let i = 0; lines.length < target; i++) {
    const round = Math.floor(i / ruleLines.length);
    const line = ruleLines[i % ruleLines.length];
    const keyed = line.replace(/( -k | -F key=)(\S+)/g, `$1$2_${round}`);
    lines.push(keyed === line ? `${line} -k bench_${round}` : keyed);
  }
  return lines;
}

/**
 * Builds the log at `logPath` from the corpus's logs (bench/noise-log.mjs) unless a log of at
 * least `targetBytes` is already there. Built in a child process: the builder's garbage would
 * otherwise cost the measuring process GC pauses in the middle of its measurement.
 */
export function ensureNoiseLog(logPath, targetBytes) {
  if (existsSync(logPath) && statSync(logPath).size >= targetBytes) return;

  const builder = new URL('../noise-log.mjs', import.meta.url).href;
  const script = `import { buildNoiseLog } from ${JSON.stringify(builder)};
    const built = buildNoiseLog(${JSON.stringify(logPath)}, ${targetBytes},
      ${JSON.stringify(join(corpus, 'logs'))});
    console.log('built', ${JSON.stringify(logPath)}, built.events, 'events');`;
  spawnSync(process.execPath, ['--input-type=module', '-e', script], { stdio: 'inherit' });
}
