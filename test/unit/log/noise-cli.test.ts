import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { noiseUsage, parseNoiseArguments, runNoise } from '../../../server/src/cli/noise';
import { corpusLogs, hasCorpus, repoRoot, syscallRecord } from './log-helpers';

async function run(args: string[], stdin?: string) {
  let stdout = '';
  let stderr = '';
  const status = await runNoise(args, {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    stdin: stdin === undefined ? undefined : Readable.from([stdin]),
  });
  return { status, stdout, stderr };
}

const busyLog = [
  ...Array.from({ length: 6 }, (_, i) =>
    syscallRecord(`1700000000.${i}:${i + 1}`, { exe: '"/usr/sbin/named"', syscall: '44' })),
  syscallRecord('1700000060.0:7', { exe: '"/usr/bin/cat"', syscall: '0', key: '"reads"' }),
].join('\n') + '\n';

test('JSON output has the fields of the issue, with their shapes', async () => {
  const { status, stdout, stderr } = await run(['--format', 'json', '-'], busyLog);
  assert.equal(status, 0, stderr);
  const report = JSON.parse(stdout);
  for (const field of ['records', 'events', 'skippedLines', 'lostRecords', 'firstTime',
    'lastTime', 'byExe', 'bySyscall', 'byKey', 'byType', 'byExeSyscall', 'suggestions']) {
    assert.ok(field in report, field);
  }
  assert.equal(report.profile, undefined);
  assert.equal(report.records, 7);
  assert.equal(report.events, 7);
  assert.deepEqual(Object.keys(report.byExe[0]).slice(0, 3), ['exe', 'events', 'bytes']);
  assert.deepEqual(report.bySyscall[0], { arch: 'x86_64', number: 44, name: 'sendto', events: 6 });
  assert.deepEqual(report.byKey, [{ key: 'reads', events: 1 }]);
  assert.deepEqual(report.byType, [{ type: 'SYSCALL', records: 7 }]);
  assert.deepEqual(report.byExeSyscall[0],
    { exe: '/usr/sbin/named', arch: 'x86_64', number: 44, name: 'sendto', events: 6 });
  for (const suggestion of report.suggestions) {
    assert.equal(typeof suggestion.rule, 'string');
    assert.equal(typeof suggestion.events, 'number');
    assert.equal(typeof suggestion.bytes, 'number');
    assert.ok(Array.isArray(suggestion.warnings));
  }
});

test('--top cuts the lists; --max-log-file changes the forecast', async () => {
  const { stdout } = await run(['--format=json', '--top', '1', '--max-log-file', '2', '-'],
    busyLog);
  const report = JSON.parse(stdout);
  assert.equal(report.byExe.length, 1);
  assert.equal(report.bySyscall.length, 1);
  assert.equal(report.rotation.maxLogFileMB, 2);
});

test('text output prints the ranking asked for with --by', async () => {
  const { status, stdout } = await run(['--by', 'exe-syscall', '-'], busyLog);
  assert.equal(status, 0);
  assert.match(stdout, /7 records, 7 events/);
  assert.match(stdout, /Executable x syscall/);
  assert.match(stdout, /sendto \(x86_64 44\)\s+\/usr\/sbin\/named/);
  assert.doesNotMatch(stdout, /Record types/);
});

test('--by chooses the text ranking only: the JSON keeps every ranking, as the usage says',
  async () => {
    const { status, stdout, stderr } = await run(['--by', 'key', '--format', 'json', '-'],
      busyLog);
    assert.equal(status, 0, stderr);
    const report = JSON.parse(stdout);
    assert.equal(report.byExe[0].exe, '/usr/sbin/named');
    assert.equal(report.bySyscall[0].name, 'sendto');
    assert.deepEqual(report.byKey, [{ key: 'reads', events: 1 }]);
    assert.equal(report.byType[0].type, 'SYSCALL');
    assert.equal(report.byExeSyscall[0].exe, '/usr/sbin/named');
    assert.ok(Array.isArray(report.suggestions));

    const by = noiseUsage.slice(noiseUsage.indexOf('--by RANKING'),
      noiseUsage.indexOf('\n  --max-log-file'));
    assert.match(by.replace(/\s+/g, ' '),
      /in the text output, print only that ranking .*; the JSON output keeps every ranking/);
  });

test('bad arguments and missing files: a clear message and status 2', async () => {
  assert.match(String(parseNoiseArguments(['--by', 'pid', 'x'])), /--by takes one of/);
  assert.match(String(parseNoiseArguments(['--top', '0', 'x'])), /--top takes a positive/);
  assert.match(String(parseNoiseArguments([])), /no log given/);
  assert.match(String(parseNoiseArguments(['--max-log-file', '99999999999999999999', 'x'])),
    /--max-log-file takes a whole number of MB .*not 99999999999999999999/);
  assert.equal(typeof parseNoiseArguments(['--max-log-file', '9007199254740991', 'x']),
    'object');

  const missing = await run(['/nonexistent/audit.log']);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /cannot read \/nonexistent\/audit.log: no such file/);

  const unknown = await run(['--colour', 'x']);
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /unknown option --colour/);

  const dir = mkdtempSync(join(tmpdir(), 'auditd-tools-noise-'));
  try {
    const damaged = join(dir, 'audit.log.1.gz');
    writeFileSync(damaged, Buffer.from([0x1f, 0x8b, 0x78, 0x78, 0x78, 0x78, 0x78, 0x78]));
    const result = await run([damaged]);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /cannot read .*audit\.log\.1\.gz: /);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('dist/cli.js noise runs on a corpus log', (t) => {
  const cli = join(repoRoot, 'dist', 'cli.js');
  if (!existsSync(cli)) return t.skip('dist/cli.js is not built (npm run build)');
  if (!hasCorpus) return t.skip('../shared/corpus is not beside the repository');
  const result = spawnSync(process.execPath, [cli, 'noise', '--format', 'json',
    join(corpusLogs, 'go-libaudit', 'testdata_normal.log')], { encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  const report = JSON.parse(result.stdout);
  assert.equal(report.events, 5);
  assert.equal(report.records, 17);
});

test('the rotation reads the same in the header and the summary, however rare', async () => {
  const sample = join(repoRoot, 'samples', 'audit.log');
  const rare = await run(['--max-log-file', '1000000000', sample]);
  assert.equal(rare.status, 0, rare.stderr);
  assert.match(rare.stdout, /the log rotates less than once a year/);
  assert.match(rare.stdout, /the log would still rotate less than once a year\n/);
  assert.doesNotMatch(rare.stdout, /\d days/);
  const usual = await run([sample]);
  assert.match(usual.stdout, /the log rotates every \d+\.\d minutes/);
  assert.match(usual.stdout, /the log would rotate every \d+\.\d minutes instead of every /);
});

test('an empty log prints no empty table', async () => {
  for (const by of ['type', 'exe-syscall']) {
    const { status, stdout } = await run(['--by', by, '-'], '');
    assert.equal(status, 0);
    assert.doesNotMatch(stdout, /^ +records +share +type$|^ +events +share +syscall/m, by);
  }
  const { stdout } = await run(['-'], '');
  assert.match(stdout, /Record types \(records\)\n {2}no record was read\n/);
});

test('counts in the notes on rules in force are grouped like every other count', async (t) => {
  const rules = join(repoRoot, '..', 'shared', 'corpus', 'rules', 'neo23x0', 'audit.rules');
  if (!existsSync(rules)) return t.skip('the corpus is not beside the repository');
  const sample = join(repoRoot, 'samples', 'audit.log');
  const { status, stdout } = await run(['--rules', rules, '--place', 'after', sample]);
  assert.equal(status, 0);
  assert.match(stdout, /comes first and may log 2,950 of these events/);
  assert.doesNotMatch(stdout, /\b\d{4,} of these events/);
});

test('the count of each kind of skipped line is grouped too', async () => {
  const junk = 'not an audit record\n'.repeat(1200);
  const { stdout } = await run(['-'], busyLog + junk);
  assert.match(stdout, /Skipped 1,200 lines that are not audit records \([a-z-]+ 1,200\)/);
});

test('a refused executable is named once: "no rule for", not "no rule: no rule for"', async () => {
  const log = [
    ...Array.from({ length: 5 }, (_, i) =>
      syscallRecord(`1700000000.${i}:${i + 1}`, { exe: '"/tmp/dir/"', syscall: '44' })),
  ].join('\n') + '\n';
  const { stdout } = await run(['-'], log);
  assert.match(stdout, /^ {2}no rule for "\/tmp\/dir\/": it ends with \//m);
  assert.doesNotMatch(stdout, /no rule: no rule for/);
});
