import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { runCli } from '../cliRun';
import { repoRoot } from './log-helpers';

const fixtures = join(repoRoot, 'test', 'fixtures', 'mdatp');

const run = (args: string[], stdin?: string) => runCli(args, stdin);

const suggestedPart = (stdout: string) => stdout.slice(stdout.indexOf('Suggested exclusions'));

test('mdatp: commands for the 3 busiest paths with at least 1%, like noise; --suggest N',
  async () => {
    const file = join(fixtures, 'build-server.json');
    const { status, stdout } = await run(['mdatp', file]);
    assert.equal(status, 0);
    const suggested = suggestedPart(stdout);
    assert.equal(suggested.match(/mdatp exclusion process add/g)?.length, 3);
    assert.doesNotMatch(suggested, /--path \/usr\/bin\/sudo|systemd/);
    assert.match(suggested, /not suggested: 4 paths below 1% of the files scanned or beyond/);

    const all = suggestedPart((await run(['mdatp', '--suggest', '10', file])).stdout);
    assert.equal(all.match(/mdatp exclusion process add/g)?.length, 3);
    const one = suggestedPart((await run(['mdatp', '--suggest', '1', file])).stdout);
    assert.equal(one.match(/mdatp exclusion process add/g)?.length, 1);
    assert.match(one, /not suggested: 6 paths/);

    const json = JSON.parse((await run(['mdatp', '--format', 'json', file])).stdout);
    assert.deepEqual(json.byPath.map((row: { suggested: boolean }) => row.suggested),
      [true, true, true, false, false, false, false]);
  });

test('mdatp: the init system gets a warning', async () => {
  const stats = JSON.stringify({ counters: [
    { id: '1', name: 'systemd', path: '/usr/lib/systemd/systemd', totalFilesScanned: 900 },
    { id: '2', name: 'init', path: '/sbin/init', totalFilesScanned: 100 },
  ] });
  const { stdout } = await run(['mdatp', '-'], stats);
  const warnings = stdout.split('\n').filter((line) => line.startsWith('    warning: '));
  assert.equal(warnings.length, 2);
  for (const warning of warnings) assert.match(warning, /init system \(PID 1\)/);
});

test('mdatp text: control characters of paths and names are escaped', async () => {
  const stats = JSON.stringify({ counters: [
    { id: '1', name: 'ev\u001b[2Jil', path: '/tmp/\u001b]0;PWNED\u0007x', totalFilesScanned: 9 },
  ] });
  const { stdout } = await run(['mdatp', '-'], stats);
  assert.doesNotMatch(stdout, /[\x00-\x09\x0b-\x1f\x7f]/);
  assert.match(stdout, /\/tmp\/\\x1b\]0;PWNED\\x07x {2}\[ev\\x1b\[2Jil\]/);
});
