import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { join } from 'node:path';
import {
  analyzeMdatpStatistics, looksLikeMdatpStatistics, shellWord,
} from '../../../server/src/log/mdatp';

const fixtures = join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'mdatp');
const fixture = (name: string) => readFileSync(join(fixtures, name), 'utf8');

test('build-server: processes ranked by files scanned, grouped by path', () => {
  const report = analyzeMdatpStatistics(fixture('build-server.json'));
  assert.equal(report.error, undefined);
  assert.deepEqual(report.problems, []);
  assert.equal(report.processes, 9);
  assert.equal(report.totalFilesScanned, 71610);
  assert.deepEqual(report.byPath.map((r) => [r.path, r.filesScanned, r.ids.length]), [
    ['/usr/lib/gcc/x86_64-linux-gnu/12/cc1', 35190, 2],
    ['/usr/bin/git', 22310, 1],
    ['/usr/bin/python3.11', 13000, 2],
    ['/usr/sbin/sshd', 640, 1],
    ['/usr/lib/systemd/systemd', 410, 1],
    [undefined, 35, 1],
    ['/usr/bin/sudo', 25, 1],
  ]);
});

test('build-server: scan times combine as sums, maxima and weighted means', () => {
  const cc1 = analyzeMdatpStatistics(fixture('build-server.json')).byPath[0];
  assert.equal(cc1.scanTimes.max_scan_time, 75.5);
  assert.ok(Math.abs(cc1.scanTimes.total_scan_time - 14102.2) < 1e-9);
  assert.ok(Math.abs(cc1.scanTimes.average_scan_time - 14102.2 / 35190) < 1e-9);
  assert.ok(Math.abs(cc1.share - 35190 / 71610) < 1e-12);
});

test('build-server: exclusion commands and safety warnings', () => {
  const byPath = new Map(analyzeMdatpStatistics(fixture('build-server.json')).byPath
    .map((r) => [r.path ?? r.names[0], r]));
  assert.equal(byPath.get('/usr/lib/gcc/x86_64-linux-gnu/12/cc1')!.command,
    'mdatp exclusion process add --path /usr/lib/gcc/x86_64-linux-gnu/12/cc1');
  assert.deepEqual(byPath.get('/usr/lib/gcc/x86_64-linux-gnu/12/cc1')!.warnings, []);
  assert.deepEqual(byPath.get('/usr/bin/git')!.warnings, []);
  assert.deepEqual(byPath.get('/usr/bin/python3.11')!.warnings.map((w) => w.code),
    ['interpreter']);
  assert.deepEqual(byPath.get('/usr/sbin/sshd')!.warnings.map((w) => w.code),
    ['login-program']);
  assert.deepEqual(byPath.get('/usr/bin/sudo')!.warnings.map((w) => w.code),
    ['login-program', 'setuid']);

  const kworker = byPath.get('kworker/u4:2')!;
  assert.equal(kworker.command, undefined);
  assert.equal(kworker.refused, 'the statistics give no path for these processes');
});

test('string counts: quoted numbers, camelCase names, shell quoting, bad entries skipped', () => {
  const report = analyzeMdatpStatistics(fixture('string-counts.json'));
  assert.equal(report.error, undefined);
  assert.equal(report.processes, 5);
  assert.equal(report.totalFilesScanned, 94031);
  assert.deepEqual(report.byPath.map((r) => [r.path, r.filesScanned, r.command]), [
    ['/opt/build agent/jdk/bin/java', 48211,
      "mdatp exclusion process add --path '/opt/build agent/jdk/bin/java'"],
    ['/usr/bin/node', 40000, 'mdatp exclusion process add --path /usr/bin/node'],
    ['/usr/bin/tar', 5120, 'mdatp exclusion process add --path /usr/bin/tar'],
    ["/opt/sync/o'brien-sync", 700,
      "mdatp exclusion process add --path '/opt/sync/o'\\''brien-sync'"],
  ]);
  assert.deepEqual(report.byPath[1].names, ['node', 'npm run build']);
  assert.equal(report.byPath[1].scanTimes.maxFileScanTime, 48);
  assert.deepEqual(report.byPath[0].warnings.map((w) => w.code), ['interpreter']);
  assert.deepEqual(report.problems, [
    { message: 'counters[5].totalFilesScanned is not a count: "many"', counter: 5 },
    { message: 'counters[6] is not an object', counter: 6 },
  ]);
});

test('input that is not the statistics: a message with a position, never a throw', () => {
  const broken = analyzeMdatpStatistics('{\n  "counters": [\n    { "id": 1, }\n  ]\n}\n');
  assert.ok(broken.error);
  assert.match(broken.error.message, /^not valid JSON: /);
  assert.equal(broken.error.line, 3);
  assert.equal(broken.error.column, 16);
  assert.deepEqual(broken.byPath, []);

  const other = analyzeMdatpStatistics('{"threats": []}');
  assert.match(other.error!.message, /no "counters" array/);
  assert.equal(analyzeMdatpStatistics('').error!.message.startsWith('not valid JSON'), true);
  assert.ok(analyzeMdatpStatistics('[1,2]').error);
  assert.ok(analyzeMdatpStatistics('null').error);
});

test('shell words and format detection', () => {
  assert.equal(shellWord('/usr/bin/git'), '/usr/bin/git');
  assert.equal(shellWord('/a b'), "'/a b'");
  assert.equal(shellWord("/a'b"), "'/a'\\''b'");
  assert.equal(shellWord('/x;rm -rf /'), "'/x;rm -rf /'");
  assert.equal(shellWord('/$(id)'), "'/$(id)'");
  assert.equal(looksLikeMdatpStatistics(fixture('build-server.json')), true);
  assert.equal(looksLikeMdatpStatistics('type=SYSCALL msg=audit(1.2:3): '), false);
});

test('a path with a control character gets no command', () => {
  const text = JSON.stringify({ counters: [{ id: 1, name: 'x', path: '/x\n-y',
    total_files_scanned: 3 }] });
  const [ranked] = analyzeMdatpStatistics(text).byPath;
  assert.equal(ranked.command, undefined);
  assert.equal(ranked.refused, '"/x\\n-y" contains a control character');
});

test('arbitrary input never throws (fast-check, 2,000 texts and 2,000 JSON values)', () => {
  fc.assert(fc.property(fc.string({ maxLength: 200 }), (text) => {
    const report = analyzeMdatpStatistics(text);
    assert.ok(report.error !== undefined || Array.isArray(report.byPath));
  }), { numRuns: 2000, seed: 7 });

  const counter = fc.record({
    id: fc.oneof(fc.integer(), fc.string(), fc.constant(null)),
    name: fc.oneof(fc.string(), fc.integer()),
    path: fc.oneof(fc.string(), fc.constant(''), fc.constant(undefined)),
    total_files_scanned: fc.oneof(fc.nat(), fc.string(), fc.double(), fc.constant(null)),
    average_scan_time: fc.oneof(fc.double(), fc.string()),
  }, { requiredKeys: [] });
  fc.assert(fc.property(fc.array(fc.oneof(counter, fc.jsonValue()), { maxLength: 8 }),
    (counters) => {
      const report = analyzeMdatpStatistics(JSON.stringify({ counters }));
      assert.equal(report.error, undefined);
      // Each entry is either a process or skipped with a reason naming it.
      const skipped = new Set(report.problems.filter((p) =>
        /is not an object|has no total_files_scanned|is not a count/.test(p.message))
        .map((p) => p.counter));
      assert.equal(report.processes + skipped.size, counters.length);
      const total = report.byPath.reduce((sum, ranked) => sum + ranked.filesScanned, 0);
      assert.equal(total, report.totalFilesScanned);
    }), { numRuns: 2000, seed: 7 });
});
