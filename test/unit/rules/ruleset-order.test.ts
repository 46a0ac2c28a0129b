import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import {
  augenrulesFileOrder,
  compareFileVersions,
  movedControlOf,
} from '../../../server/src/rules/rulesetOrder';

const corpus = join(__dirname, '..', '..', '..', '..', '..', 'shared', 'corpus', 'rules');

function gnuSortV(names: string[]): string[] | undefined {
  const run = spawnSync('sort', ['-V'], {
    input: `${names.join('\n')}\n`, encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' },
  });
  if (run.status !== 0) return undefined;
  return run.stdout.split('\n').filter((line) => line.length > 0);
}

test('the upstream rules.d names sort as augenrules sorts them', () => {
  const names = readdirSync(join(corpus, 'audit-userspace-4.2'));
  const ordered = augenrulesFileOrder(names);
  assert.equal(ordered[0], '10-base-config.rules');
  assert.equal(ordered[1], '10-no-audit.rules');
  const whole = ordered.indexOf('30-ospp-v42.rules');
  assert.ok(whole < ordered.indexOf('30-ospp-v42-1-create-failed.rules'),
    'filevercmp compares the names without their suffix first');
  assert.equal(ordered[ordered.length - 1], '99-finalize.rules');
});

test('only *.rules files are read', () => {
  assert.deepEqual(augenrulesFileOrder(['b.rules', 'a.conf', 'README', 'a.rules~', 'a.rules']),
    ['a.rules', 'b.rules']);
});

test('version order: 9 before 10, leading zeros ignored, suffix-less comparison first', () => {
  assert.deepEqual(
    augenrulesFileOrder(['10-x.rules', '9-x.rules', '010-y.rules', '10-x-extra.rules']),
    ['9-x.rules', '10-x.rules', '10-x-extra.rules', '010-y.rules'],
  );
});

test('compareFileVersions agrees with GNU sort -V on generated names', (t) => {
  if (!gnuSortV(['a'])) {
    t.skip('GNU sort is not available');
    return;
  }
  const piece = fc.constantFrom('0', '1', '2', '9', '10', '010', '99', '-', '.', '_', 'a', 'b',
    'Z', '~', 'rules', 'v4', '.rules');
  const name = fc.array(piece, { minLength: 1, maxLength: 6 }).map((parts) => parts.join(''));
  fc.assert(fc.property(fc.uniqueArray(name, { minLength: 2, maxLength: 12 }), (names) => {
    const expected = gnuSortV(names)!;
    const actual = [...names].sort(compareFileVersions);
    assert.deepEqual(actual, expected);
  }), { numRuns: 150 });
});

test('control lines augenrules moves, with and without the indent (gawk / mawk)', () => {
  assert.equal(movedControlOf('-D', true), 'delete-all');
  assert.equal(movedControlOf('-D -k x', true), undefined);
  assert.equal(movedControlOf('-b 8192', false), 'backlog');
  assert.equal(movedControlOf('-e 1 -f 1', false), 'enable');
  assert.equal(movedControlOf('--backlog_wait_time 60000', true), undefined);
  assert.equal(movedControlOf('  -e 2', true), 'enable');
  assert.equal(movedControlOf('  -e 2', false), undefined);
});
