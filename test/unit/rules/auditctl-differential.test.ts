// Differential test: the engine's accept/reject verdict against Debian's auditctl 3.0.9
// (with the kernel behind it), line by line, on the verdicts recorded by
// scripts/record-auditctl-verdicts.mjs. Where auditctl can be run here, a random sample is
// also re-checked live through scripts/auditctl-shim.c.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { machine, tmpdir } from 'node:os';
import path from 'node:path';
import { checkRulesText, type Machine } from '../../../server/src/rules';

const repoRoot = path.resolve(__dirname, '..', '..', '..', '..');
const fixturePath = path.join(
  repoRoot, 'test', 'fixtures', 'auditctl-verdicts', 'auditctl-3.0.9.json',
);
const recorderPath = path.join(repoRoot, 'scripts', 'record-auditctl-verdicts.mjs');
const shimSource = path.join(repoRoot, 'scripts', 'auditctl-shim.c');
const auditLock = '/tmp/auditd-tools-audit.lock';
const liveSampleSize = 50;
const liveFileSampleSize = 8;

type Verdict = 'accept' | 'reject';

interface RecordedEntry {
  line: string;
  origin: string;
  verdict: Verdict;
  exitCode: number;
  output: string;
  syslog?: string;
  hostDependent: boolean;
  hostReasons?: string[];
  hostFacts?: string[];
}

/**
 * A multi-line file that starts with -c (a small case, or a whole corpus file). Line numbers
 * are 1-based; hostLines are the lines whose verdict turned on the recording machine.
 */
interface RecordedFile {
  lines: string[];
  origin: string;
  failedLines: number[];
  exitCode: number;
  output: string;
  syslog?: string;
  hostLines: number[];
  hostReasons?: string[];
}

interface VerdictFixture {
  auditctlVersion: string;
  kernel: string;
  machine: string;
  recordedAt: string;
  generatorSeed: number;
  entries: RecordedEntry[];
  files: RecordedFile[];
}

interface EngineVerdict {
  /** 'threw' never matches a recorded verdict: a crash is a disagreement on any line. */
  verdict: Verdict | 'threw';
  findings: string[];
}

const fixture: VerdictFixture = JSON.parse(readFileSync(fixturePath, 'utf8'));

/** b64/b32 and -S without an arch resolve against the machine the verdicts come from. */
const recordingMachine = fixture.machine as Machine;

/** The engine's verdict on a one-line rules file: any error means auditctl refuses it. */
function engineVerdict(line: string): EngineVerdict {
  try {
    const { diagnostics } = checkRulesText(`${line}\n`, {
      auditVersion: '3.0.9',
      hostMachine: recordingMachine,
    });
    const findings = diagnostics.map((diagnostic) =>
      `${diagnostic.severity} ${diagnostic.code}${diagnostic.hostDependent ? ' (host)' : ''}: ` +
      diagnostic.message);
    const rejected = diagnostics.some((diagnostic) => diagnostic.severity === 'error');
    return { verdict: rejected ? 'reject' : 'accept', findings };
  } catch (error) {
    return { verdict: 'threw', findings: [`engine threw: ${(error as Error).stack}`] };
  }
}

/** The auditctl text an engine message quotes (`… auditctl: "text"`), if any. */
function quotedAuditctlText(message: string): string | undefined {
  const start = message.indexOf('auditctl: "');
  const end = message.lastIndexOf('"');
  if (start < 0 || end <= start + 11) return undefined;
  return message.slice(start + 11, end);
}

/** Whether one of the engine's errors quotes text that auditctl really printed. */
function quotesAuditctl(entry: RecordedEntry, engine: EngineVerdict): boolean {
  const said = `${entry.output}${entry.syslog ?? ''}`;
  return engine.findings.some((finding) => {
    const quoted = finding.startsWith('error') ? quotedAuditctlText(finding) : undefined;
    return quoted !== undefined && quoted.trim() !== '' && said.includes(quoted.trim());
  });
}

/** What auditctl said, shortened to the messages that explain the verdict. */
function auditctlSaid(entry: RecordedEntry): string {
  const text = `${entry.output}${entry.syslog ?? ''}`.split('\n')
    .filter((message) => message !== '' && !/There was an error in line/.test(message))
    .filter((message) => !/^(info: )?(enabled|failure|pid|rate_limit|backlog|lost)/.test(message));
  return text.slice(0, 2).join(' | ') || (entry.verdict === 'reject'
    ? `exit ${entry.exitCode}, no message` : 'accepted');
}

const shown = (line: string) => JSON.stringify(line).slice(1, -1);

function disagreementTable(rows: { entry: RecordedEntry; engine: EngineVerdict }[]): string {
  const clip = (text: string, width: number) =>
    text.length > width ? `${text.slice(0, width - 1)}…` : text.padEnd(width);
  return rows.map(({ entry, engine }) =>
    `${clip(shown(entry.line), 60)}  auditctl ${entry.verdict}: ${clip(auditctlSaid(entry), 48)}` +
    `  engine ${engine.verdict}: ${engine.findings.join('; ') || 'no findings'}`).join('\n');
}

/** The full disagreement report, for whoever fixes the engine. */
function detailedReport(
  rows: { entry: RecordedEntry; engine: EngineVerdict }[], summary: string,
  messageRows: { entry: RecordedEntry; engine: EngineVerdict }[],
  hostRows: { entry: RecordedEntry; engine: EngineVerdict }[],
): string {
  const describe = ({ entry, engine }: { entry: RecordedEntry; engine: EngineVerdict }) => [
    `line:     ${shown(entry.line)}`,
    `origin:   ${entry.origin}${entry.hostDependent ? ` (host: ${entry.hostReasons})` : ''}`,
    `auditctl: ${entry.verdict} (exit ${entry.exitCode})`,
    ...`${entry.output}${entry.syslog ?? ''}`.trimEnd().split('\n')
      .filter((message) => message !== '').map((message) => `          ${message}`),
    `engine:   ${engine.verdict}`,
    ...engine.findings.map((finding) => `          ${finding}`),
  ].join('\n');
  const messages = messageRows.length === 0 ? '' : '\n\nRejected by both, but no engine ' +
    `error quotes what auditctl printed (${messageRows.length}):\n\n` +
    messageRows.map(describe).join('\n\n');
  const host = hostRows.length === 0 ? '' : '\n\nRefused here for a fact of this machine, ' +
    `accepted by the engine with no host-dependent finding (${hostRows.length}):\n\n` +
    hostRows.map(describe).join('\n\n');
  return `${summary}\n\n${rows.map(describe).join('\n\n')}${messages}${host}\n`;
}

test('the recorded verdicts cover the corpus and at least 2,000 lines', () => {
  assert.match(fixture.auditctlVersion, /^3\.0\.9$/);
  assert.equal(typeof fixture.generatorSeed, 'number');
  assert.ok(fixture.kernel && fixture.recordedAt, 'fixture is stamped with kernel and date');
  assert.ok(fixture.entries.length >= 2000, `only ${fixture.entries.length} lines recorded`);

  const corpusEntries = fixture.entries.filter((entry) => entry.origin.startsWith('corpus '));
  assert.ok(corpusEntries.length > 1000, `only ${corpusEntries.length} corpus lines`);
  const verdicts = new Set(fixture.entries.map((entry) => entry.verdict));
  assert.deepEqual([...verdicts].sort(), ['accept', 'reject']);
});

test('the engine agrees with auditctl 3.0.9 on every line that does not depend on the host',
  (t) => {
    const compared = fixture.entries.map((entry) => ({ entry, engine: engineVerdict(entry.line) }));
    const independent = compared.filter(({ entry }) => !entry.hostDependent);
    const disagreements = independent.filter(({ entry, engine }) =>
      entry.verdict !== engine.verdict);
    const agreeing = independent.length - disagreements.length;
    const percent = ((100 * agreeing) / independent.length).toFixed(2);
    const summary = `auditctl agreement: ${agreeing}/${independent.length} lines (${percent}%)`;

    const hostLines = compared.filter(({ entry }) => entry.hostDependent);
    const hostAgreeing = hostLines.filter(({ entry, engine }) => entry.verdict === engine.verdict);
    // A line refused here for a host fact the engine cannot know should at least carry a
    // finding that says it depends on the host.
    const refusedHere = hostLines.filter(({ entry, engine }) =>
      entry.verdict === 'reject' && engine.verdict === 'accept');
    const explained = refusedHere.filter(({ engine }) =>
      engine.findings.some((finding) => finding.includes(' (host): ')));
    const hostSummary = `host-dependent lines (not asserted): ${hostAgreeing.length}/` +
      `${hostLines.length} agree with this machine's verdict; of the ${refusedHere.length} ` +
      `refused here but accepted by the engine, ${explained.length} carry a host-dependent ` +
      'finding';

    // Informational: on lines both reject, does an engine error quote auditctl's own text?
    const bothReject = independent.filter(({ entry, engine }) =>
      entry.verdict === 'reject' && engine.verdict === 'reject');
    const unquoted = bothReject.filter((row) => !quotesAuditctl(row.entry, row.engine));
    const quotedCount = bothReject.length - unquoted.length;
    const messageSummary = `auditctl message agreement (not asserted): ${quotedCount}/` +
      `${bothReject.length} rejected lines have an engine error quoting auditctl's text`;

    t.diagnostic(summary);
    t.diagnostic(hostSummary);
    t.diagnostic(messageSummary);
    if (disagreements.length > 0) {
      t.diagnostic(`disagreements (${disagreements.length}):`);
      for (const row of disagreementTable(disagreements).split('\n')) t.diagnostic(row);
    }
    const reportPath = process.env.AUDITCTL_DIFFERENTIAL_REPORT;
    if (reportPath) {
      writeFileSync(reportPath, detailedReport(disagreements,
        `${summary}\n${hostSummary}\n${messageSummary}`, unquoted,
        refusedHere.filter((row) => !explained.includes(row))));
    }

    assert.equal(disagreements.length, 0,
      `${summary}; first disagreements:\n${disagreementTable(disagreements.slice(0, 20))}`);
  });

/** The 1-based lines of a file on which the engine reports an error (or 'threw'). */
function engineFailedLines(lines: string[]): number[] | 'threw' {
  try {
    const { diagnostics } = checkRulesText(`${lines.join('\n')}\n`, {
      auditVersion: '3.0.9',
      hostMachine: recordingMachine,
    });
    const failed = diagnostics.filter((diagnostic) => diagnostic.severity === 'error')
      .map((diagnostic) => diagnostic.range.start.line + 1);
    return [...new Set(failed)].sort((a, b) => a - b);
  } catch {
    return 'threw';
  }
}

test('the engine fails the same lines as auditctl 3.0.9 in multi-line files (duplicates, ' +
  'deletes, -D, whole corpus files)', (t) => {
  assert.ok(fixture.files.length >= 200, `only ${fixture.files.length} multi-line files`);
  let comparedLines = 0;

  const disagreements = fixture.files.flatMap((file) => {
    // Lines whose verdict turned on the recording machine are left out on both sides.
    const portable = (line: number) => !file.hostLines.includes(line);
    const expected = file.failedLines.filter(portable);
    const engine = engineFailedLines(file.lines);
    const found = engine === 'threw' ? engine : engine.filter(portable);
    comparedLines += file.lines.length - file.hostLines.length;
    if (JSON.stringify(found) === JSON.stringify(expected)) return [];

    const said = `${file.output}${file.syslog ?? ''}`.split('\n')
      .filter((message) => message !== '' && !/^(No rules|There was an error)/.test(message));
    const shownLines = file.lines.length <= 6 ? file.lines.map(shown).join(' ⏎ ') : file.origin;
    return [`${shownLines}\n    auditctl fails lines ${JSON.stringify(expected)} ` +
      `(${said.slice(0, 3).join(' | ') || 'no message'}), engine ${JSON.stringify(found)}`];
  });
  const agreeing = fixture.files.length - disagreements.length;
  const summary = `auditctl agreement on multi-line files: ${agreeing}/${fixture.files.length} ` +
    `files (${((100 * agreeing) / fixture.files.length).toFixed(2)}%), ${comparedLines} ` +
    'lines compared';
  t.diagnostic(summary);
  for (const row of disagreements) t.diagnostic(row);

  const reportPath = process.env.AUDITCTL_DIFFERENTIAL_REPORT;
  if (reportPath) {
    writeFileSync(`${reportPath}.files`, `${summary}\n\n${disagreements.join('\n\n')}\n`);
  }
  assert.equal(disagreements.length, 0,
    `${summary}; first disagreements:\n${disagreements.slice(0, 10).join('\n')}`);
});

// ---------------------------------------------------------------------------------------
// Live re-check through the shim

function whyLiveCheckCannotRun(): string | undefined {
  if (!existsSync('/usr/sbin/auditctl') && !existsSync('/sbin/auditctl')) {
    return 'auditctl is not installed (Debian package auditd)';
  }
  if (process.getuid?.() !== 0) return 'the audit netlink socket needs root';
  if (machine() !== fixture.machine) {
    return `the verdicts were recorded on ${fixture.machine}, this machine is ${machine()}`;
  }
  if (spawnSync('gcc', ['--version']).status !== 0) return 'gcc is needed to build the shim';

  const version = spawnSync('auditctl', ['-v'], { encoding: 'utf8' }).stdout?.trim() ?? '';
  if (!version.endsWith(' 3.0.9')) return `the verdicts are from auditctl 3.0.9, found ${version}`;

  const status = spawnSync('flock', [auditLock, 'auditctl', '-s'], { encoding: 'utf8' });
  const enabled = /^enabled (\d+)/m.exec(status.stdout ?? '')?.[1];
  if (status.status !== 0) return `auditctl -s failed: ${status.stderr?.trim()}`;
  if (enabled !== '0') return `auditing is enabled here (enabled ${enabled}); rules are only ` +
    'loaded with auditing disabled';
  return undefined;
}

function compileShim(directory: string): string {
  const shim = path.join(directory, 'auditctl-shim.so');
  const build = spawnSync('gcc', ['-shared', '-fPIC', '-O2', '-Wall', '-Wextra', '-Werror',
    '-o', shim, shimSource, '-ldl'], { encoding: 'utf8' });
  assert.equal(build.status, 0, `gcc failed:\n${build.stderr}`);
  return shim;
}

function runRecorder(args: string[]): { status: number | null; stderr: string } {
  const run = spawnSync(process.execPath, [recorderPath, ...args], {
    encoding: 'utf8',
    timeout: 300000,
  });
  return { status: run.status, stderr: run.stderr };
}

/** A small seeded generator, so a failing sample can be drawn again from its seed. */
function sampleOf<T>(items: T[], count: number, seed: number): T[] {
  let state = seed >>> 0;
  const next = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
  const pool = [...items];
  const sample: T[] = [];
  while (sample.length < count && pool.length > 0) {
    sample.push(pool.splice(Math.floor(next() * pool.length), 1)[0]);
  }
  return sample;
}

function withShim(t: TestContext, body: (shim: string, directory: string) => void): void {
  const reason = whyLiveCheckCannotRun();
  if (reason) {
    t.skip(reason);
    return;
  }
  const directory = mkdtempSync(path.join(tmpdir(), 'auditctl-differential-'));
  try {
    body(compileShim(directory), directory);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

test('the shim keeps -e 1, -b 9999 and --loginuid-immutable away from the kernel', (t) => {
  withShim(t, (shim, directory) => {
    const report = path.join(directory, 'check.json');
    const run = runRecorder(['--self-check', '--shim', shim, '--out', report]);
    const check = JSON.parse(readFileSync(report, 'utf8'));
    assert.equal(run.status, 0, `self-check failed: ${run.stderr}\n${JSON.stringify(check)}`);
    assert.equal(check.after.enabled, '0');
    assert.equal(check.after.backlog_limit, check.before.backlog_limit);
    assert.equal(check.after.loginuid_immutable, check.before.loginuid_immutable);
    if (check.loginuidLockedBefore) {
      t.diagnostic('loginuid_immutable was already locked before the check (only a reboot ' +
        'unlocks it); that --loginuid-immutable was blocked is shown by the shim log only');
    } else {
      assert.match(check.after.loginuid_immutable, /^0 unlocked/);
    }
    for (const attempt of check.attempts) {
      assert.ok(attempt.answeredByShim,
        `${attempt.args.join(' ')} reached the kernel: ${attempt.shimLog.join(' | ')}`);
    }
  });
});

test('a live sample through the shim matches the recorded verdicts and the engine', (t) => {
  withShim(t, (shim, directory) => {
    // Lines whose verdict turned on the recording machine's users, paths or daemons are
    // left out, and so are lines that depend on this machine (checked by the recorder here).
    const portable = fixture.entries.filter((entry) => !entry.hostDependent);
    const seed = Number(process.env.AUDITCTL_SAMPLE_SEED ?? Date.now() % 2147483647);
    const sample = sampleOf(portable, liveSampleSize, seed);
    const smallFiles = fixture.files.filter((file) =>
      file.origin.startsWith('file: ') && file.hostLines.length === 0);
    const fileSample = sampleOf(smallFiles, liveFileSampleSize, seed);
    t.diagnostic(`live sample: ${sample.length} lines and ${fileSample.length} multi-line ` +
      `files, seed ${seed} (AUDITCTL_SAMPLE_SEED repeats it)`);

    const input = path.join(directory, 'sample.json');
    const output = path.join(directory, 'live.json');
    writeFileSync(input, JSON.stringify([...sample.map((entry) => entry.line),
      ...fileSample.map((file) => file.lines)]));
    const run = runRecorder(['--run-lines', input, '--out', output, '--shim', shim]);
    assert.equal(run.status, 0, `recorder failed: ${run.stderr}`);

    const live: { exitCode: number; output: string; syslog: string; hostReasons: string[] }[] =
      JSON.parse(readFileSync(output, 'utf8'));
    const hereDependent = live.filter((outcome) => outcome.hostReasons.length > 0).length;
    t.diagnostic(`${hereDependent} of them depend on this machine and are not compared`);

    const mismatches = sample.flatMap((entry, index) => {
      const outcome = live[index];
      if (outcome.hostReasons.length > 0) return [];
      const failedLine = /There was an error in line/.test(outcome.output + outcome.syslog);
      const liveVerdict: Verdict = outcome.exitCode === 0 && !failedLine ? 'accept' : 'reject';
      const engine = engineVerdict(entry.line).verdict;
      if (liveVerdict === entry.verdict && engine === entry.verdict) return [];
      return [`${shown(entry.line)}: live ${liveVerdict}, recorded ${entry.verdict}, ` +
        `engine ${engine}; auditctl said ${JSON.stringify(outcome.output + outcome.syslog)}`];
    });
    const fileMismatches = fileSample.flatMap((file, index) => {
      const outcome = live[sample.length + index];
      const said = outcome.output + outcome.syslog;
      const failed = [...new Set([...said.matchAll(/There was an error in line (\d+) of/g)]
        .map((match) => Number(match[1])))].sort((a, b) => a - b);
      const engine = engineFailedLines(file.lines);
      const recorded = JSON.stringify(file.failedLines);
      if (JSON.stringify(failed) === recorded && JSON.stringify(engine) === recorded) return [];
      return [`${file.lines.map(shown).join(' ⏎ ')}: live ${JSON.stringify(failed)}, ` +
        `recorded ${recorded}, engine ${JSON.stringify(engine)}`];
    });
    assert.deepEqual([...mismatches, ...fileMismatches], [], `seed ${seed}`);
  });
});
