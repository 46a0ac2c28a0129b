import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { linkSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { noiseUsage, runNoise } from '../../../server/src/cli/noise';
import { syscallRecord } from './log-helpers';

async function run(args: string[], stdin?: Buffer | string) {
  let stdout = '';
  let stderr = '';
  const status = await runNoise(args, {
    stdout: (text) => { stdout += text; },
    stderr: (text) => { stderr += text; },
    stdin: stdin === undefined ? undefined : Readable.from([stdin]),
  });
  return { status, stdout, stderr };
}

const log = Array.from({ length: 4 }, (_, i) => syscallRecord(`1700000000.${i}:${i + 1}`,
  { exe: '"/usr/sbin/named"', syscall: '44' })).join('\n') + '\n';

test('not an audit log: one line, the skipped count, and status 1', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'noise-inputs-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const junk = join(dir, 'junk.bin');
  const bytes = Buffer.alloc(20000);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919 + (i >> 3)) & 0xff;
  writeFileSync(junk, bytes);
  const rules = join(dir, 'audit.rules');
  writeFileSync(rules, '-D\n-w /etc/shadow -p wa -k shadow\n');

  for (const format of ['text', 'json']) {
    const { status, stdout, stderr } = await run(['--format', format, junk]);
    assert.equal(status, 1);
    assert.equal(stdout, '');
    assert.match(stderr, new RegExp(`^auditd-tools noise: no audit records found in ` +
      `${junk.replace(/[.]/g, '\\.')} \\(\\d+ lines skipped\\)\\n$`));
  }
  const rulesRun = await run([rules]);
  assert.equal(rulesRun.status, 1);
  assert.match(rulesRun.stderr, /no audit records found in .*audit\.rules \(2 lines skipped\)/);
  assert.match(noiseUsage, /1 +no audit record/);
});

test('an empty input is an empty log: format empty, status 0', async () => {
  const { status, stdout } = await run(['-'], '');
  assert.equal(status, 0);
  assert.match(stdout, /format: empty/);
});

test('a gzip stream on standard input is read like a .gz file', async () => {
  const { status, stdout, stderr } = await run(['--format', 'json', '-'], gzipSync(log));
  assert.equal(status, 0, stderr);
  const report = JSON.parse(stdout);
  assert.equal(report.records, 4);
  assert.equal(report.skippedLines, 0);
});

test('the same file given twice is read once, with a note', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'noise-inputs-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'audit.log');
  writeFileSync(path, log);
  linkSync(path, join(dir, 'hard.log'));
  symlinkSync(path, join(dir, 'soft.log'));
  const once = JSON.parse((await run(['--format', 'json', path])).stdout);

  for (const twice of [[path, path], [path, join(dir, '.', 'audit.log')],
    [path, join(dir, 'hard.log')], [join(dir, 'soft.log'), path]]) {
    const { status, stdout, stderr } = await run(['--format', 'json', ...twice]);
    assert.equal(status, 0, stderr);
    const report = JSON.parse(stdout);
    assert.equal(report.records, once.records, twice.join(' '));
    assert.equal(report.bytes, once.bytes);
    assert.equal(report.files.length, 1);
    assert.match(stderr, /note: .* is the same file as .*; read once/);
  }
});

test('a rotation given both as written and compressed is named in a note', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'noise-inputs-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'audit.log'), log);
  writeFileSync(join(dir, 'audit.log.1'), log);
  writeFileSync(join(dir, 'audit.log.1.gz'), gzipSync(log));
  const both = await run(['--format', 'json', ...['audit.log', 'audit.log.1', 'audit.log.1.gz']
    .map((name) => join(dir, name))]);
  assert.equal(both.status, 0, both.stderr);
  assert.match(both.stderr, /note: .*audit\.log\.1 and .*audit\.log\.1\.gz are both read;\n  if /);
  const one = await run(['--format', 'json', join(dir, 'audit.log'), join(dir, 'audit.log.1')]);
  assert.equal(one.stderr, '');
  // The pair however its paths are spelled: ./, a linked folder, a link, .GZ.
  symlinkSync(dir, `${dir}-link`);
  t.after(() => rmSync(`${dir}-link`, { force: true }));
  symlinkSync(join(dir, 'audit.log.1'), join(dir, 'alias.1'));
  writeFileSync(join(dir, 'upper.1'), log);
  writeFileSync(join(dir, 'upper.1.GZ'), gzipSync(log));
  for (const pair of [[join(dir, 'audit.log.1'), join(dir, '.', 'audit.log.1.gz')],
    [join(`${dir}-link`, 'audit.log.1'), join(dir, 'audit.log.1.gz')],
    [join(dir, 'alias.1'), join(dir, 'audit.log.1.gz')],
    [join(dir, 'upper.1'), join(dir, 'upper.1.GZ')]]) {
    const spelled = await run(['--format', 'json', ...pair]);
    assert.match(spelled.stderr, /note: .* and .* are both read;/, pair.join(' '));
  }
});

test('a damaged .gz among the logs is named alone in the message', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'noise-inputs-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const good = join(dir, 'other.log');
  const cut = join(dir, 'audit.log.1.gz');
  writeFileSync(good, log);
  const packed = gzipSync(log.repeat(50));
  writeFileSync(cut, packed.subarray(0, packed.length >> 1));
  const { status, stderr } = await run([good, cut]);
  assert.equal(status, 2);
  assert.equal(stderr, `auditd-tools noise: cannot read ${cut}: unexpected end of file\n`);
});

test('a sparse log gets its rate per day and no projection of centuries', async () => {
  const sparse = [syscallRecord('1700000000.000:1'), syscallRecord('1702000000.000:2')]
    .join('\n') + '\n';
  const { status, stdout } = await run(['-'], sparse);
  assert.equal(status, 0);
  assert.match(stdout, /^At \d+ B per day the log rotates less than once a year \(max_log_file/m);
});

function hasCommand(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`]).status === 0;
}

// The start of each stream as its tool writes it, for a host without the tool.
const compressions = [
  { format: 'xz', tool: ['xz', '-c'], header: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0x00, 0x04] },
  { format: 'zstd', tool: ['zstd', '-c'], header: [0x28, 0xb5, 0x2f, 0xfd, 0x04, 0x58] },
  // pzstd starts with a skippable frame that holds the size of the frame after it.
  { format: 'zstd', tool: ['pzstd', '-c', '-q'],
    header: [0x50, 0x2a, 0x4d, 0x18, 0x04, 0x00, 0x00, 0x00] },
  { format: 'bzip2', tool: ['bzip2', '-c'], header: [...Buffer.from('BZh91AY&SY')] },
  { format: 'lz4', tool: ['lz4', '-c'], header: [0x04, 0x22, 0x4d, 0x18, 0x64, 0x40] },
  { format: 'lz4', tool: ['lz4', '-l', '-c'], header: [0x02, 0x21, 0x4c, 0x18] },
];

for (const { format, tool, header } of compressions) {
  const made = hasCommand(tool[0]);
  const how = made ? `made by ${tool.join(' ')}`
    : `its header written by hand (${tool[0]} is not installed)`;
  test(`a log compressed with ${format} (${how}) is refused by name, file and stdin, status 2`,
    async (t) => {
      const dir = mkdtempSync(join(tmpdir(), 'noise-inputs-'));
      t.after(() => rmSync(dir, { recursive: true, force: true }));
      const packed = made ? spawnSync(tool[0], tool.slice(1), { input: log }).stdout
        : Buffer.concat([Buffer.from(header), Buffer.from(log)]);
      const path = join(dir, `audit.log.1.${format}`);
      writeFileSync(path, packed);

      const file = await run([path]);
      assert.equal(file.status, 2);
      assert.equal(file.stdout, '');
      assert.equal(file.stderr, `auditd-tools noise: cannot read ${path}: compressed with ` +
        `${format} (of the compressions only gzip is read); decompress it first: ` +
        `${format} -dc ${path} | auditd-tools noise -\n`);

      const stdin = await run(['--format', 'json', '-'], packed);
      assert.equal(stdin.status, 2);
      assert.equal(stdin.stdout, '');
      assert.match(stdin.stderr, new RegExp(`^auditd-tools noise: cannot read <stdin>: ` +
        `compressed with ${format} .*: ${format} -dc FILE \\| auditd-tools noise -\\n$`));
    });
}

test('a log that starts with "BZh" and no block size is a log, not bzip2', async () => {
  const { status, stderr } = await run(['-'], `BZh\n${log}`);
  assert.equal(status, 0, stderr);
});
