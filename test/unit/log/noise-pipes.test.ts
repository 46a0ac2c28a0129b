import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { runNoise } from '../../../server/src/cli/noise';
import { syscallRecord } from './log-helpers';

async function run(args: string[]) {
  let stdout = '';
  let stderr = '';
  const status = await runNoise(args, {
    stdout: (text) => { stdout += text; },
    stderr: (text) => { stderr += text; },
  });
  return { status, stdout, stderr };
}

const log = Array.from({ length: 5 }, (_, i) => syscallRecord(`1700000000.${i}:${i + 1}`,
  { exe: '"/usr/sbin/named"', syscall: '44' })).join('\n') + '\n';

function hasCommand(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`]).status === 0;
}

test('a named pipe (process substitution, mkfifo) is read as a stream, plain or gzip',
  async (t) => {
    if (!hasCommand('mkfifo')) return t.skip('mkfifo is not installed');
    const dir = mkdtempSync(join(tmpdir(), 'noise-pipes-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const plainFile = join(dir, 'audit.log');
    const gzipFile = join(dir, 'audit.log.gz');
    writeFileSync(plainFile, log);
    writeFileSync(gzipFile, gzipSync(log));

    for (const source of [plainFile, gzipFile]) {
      const fifo = join(dir, `fifo-${source.endsWith('.gz') ? 'gz' : 'plain'}`);
      assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
      const writer = spawn('sh', ['-c', 'cat "$1" > "$2"', 'sh', source, fifo]);
      const written = new Promise((resolve) => writer.on('close', resolve));
      const { status, stdout, stderr } = await run(['--format', 'json', fifo]);
      await written;
      assert.equal(status, 0, stderr);
      assert.equal(JSON.parse(stdout).records, 5);
    }
  });

test('a log the user may not read: a clear message and status 2, no stack trace', (t) => {
  if (process.getuid?.() !== 0 || !hasCommand('runuser')) {
    return t.skip('needs root and runuser to run as another user');
  }
  const dir = mkdtempSync(join(tmpdir(), 'noise-pipes-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  chmodSync(dir, 0o755);
  const path = join(dir, 'audit.log');
  writeFileSync(path, log);
  chmodSync(path, 0o600);

  const noise = join(__dirname, '..', '..', '..', 'server', 'src', 'cli', 'noise.js');
  const script = `require(${JSON.stringify(noise)}).runNoise(process.argv.slice(1), {
    stdout: (s) => process.stdout.write(s), stderr: (s) => process.stderr.write(s),
  }).then((status) => { process.exitCode = status; });`;
  for (const args of [[path], [path, path + '.other']]) {
    const result = spawnSync('runuser', ['-u', 'nobody', '--', process.execPath, '-e', script,
      '--', ...args], { encoding: 'utf8' });
    assert.equal(result.status, 2, result.stderr);
    assert.equal(result.stderr.split('\n')[0], `auditd-tools noise: cannot read ${path}: ` +
      'permission denied (audit logs are usually readable by root only; try sudo)');
    assert.doesNotMatch(result.stderr, /\n\s+at /);
  }
});
