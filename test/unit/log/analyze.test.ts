import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Readable } from 'node:stream';
import {
  PartScanner, analyzeLogs, lineAlignedCuts, orderLogInputs,
} from '../../../server/src/log/analyze';
import { mergeSnapshots, type TallySnapshot } from '../../../server/src/log/rank';
import type { NoiseReport } from '../../../server/src/log/report';
import { corpusLogs, hasCorpus, record, syscallRecord } from './log-helpers';

function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'auditd-tools-log-'));
}

/** Everything but the input names, for comparing runs over the same events. */
function comparable(report: NoiseReport) {
  const { files: _files, skippedSamples, inputBytes: _inputBytes, ...rest } = report;
  return { ...rest, skippedSamples: skippedSamples.map(({ file: _file, ...sample }) => sample) };
}

test('a rotated set is read oldest first, whatever order it is given in', () => {
  assert.deepEqual(
    orderLogInputs(['/var/log/audit/audit.log', '/var/log/audit/audit.log.2.gz',
      'other.log', '/var/log/audit/audit.log.10', '/var/log/audit/audit.log.1']),
    ['/var/log/audit/audit.log.10', '/var/log/audit/audit.log.2.gz',
      '/var/log/audit/audit.log.1', '/var/log/audit/audit.log', 'other.log'],
  );
});

test('a set rotated by logrotate with dateext is read oldest date first', () => {
  assert.deepEqual(
    orderLogInputs(['/var/log/audit/audit.log', '/var/log/audit/audit.log-20261202',
      '/var/log/audit/audit.log-20261130.gz', 'other.log', '/var/log/audit/audit.log-20261201']),
    ['/var/log/audit/audit.log-20261130.gz', '/var/log/audit/audit.log-20261201',
      '/var/log/audit/audit.log-20261202', '/var/log/audit/audit.log', 'other.log'],
  );
  assert.deepEqual(
    orderLogInputs(['audit.log-2026-12-02', 'audit.log', 'audit.log-2026-11-30']),
    ['audit.log-2026-11-30', 'audit.log-2026-12-02', 'audit.log'],
  );
  // dateformat -%Y%m%d-%s: two rotations of one day, ordered by their seconds.
  assert.deepEqual(
    orderLogInputs(['audit.log', 'audit.log-20261201-1764590400', 'audit.log-20261201-1764547200']),
    ['audit.log-20261201-1764547200', 'audit.log-20261201-1764590400', 'audit.log'],
  );
  // Seconds since the epoch (dateformat -%s), across a change in the number's first digit.
  assert.deepEqual(
    orderLogInputs(['audit.log', 'audit.log-2000000000', 'audit.log-1999999999']),
    ['audit.log-1999999999', 'audit.log-2000000000', 'audit.log'],
  );
});

test('rotated files, a .gz among them, and stdin give the counts of the whole log', async () => {
  const dir = scratch();
  try {
    const lines: string[] = [];
    for (let serial = 1; serial <= 9; serial++) {
      lines.push(syscallRecord(`1700000000.${serial}:${serial}`,
        { exe: serial % 3 === 0 ? '"/usr/sbin/sshd"' : '"/usr/sbin/named"' }));
      lines.push(record('EOE', `1700000000.${serial}:${serial}`, ''));
    }
    const whole = lines.join('\n') + '\n';
    // auditd's rotation: audit.log.2 is the oldest, audit.log the newest.
    writeFileSync(join(dir, 'audit.log.2'), gzipSync(lines.slice(0, 6).join('\n') + '\n'));
    writeFileSync(join(dir, 'audit.log.1'), lines.slice(6, 12).join('\n') + '\n');
    writeFileSync(join(dir, 'audit.log'), lines.slice(12).join('\n') + '\n');
    writeFileSync(join(dir, 'whole.log'), whole);

    const rotated = await analyzeLogs(
      ['audit.log', 'audit.log.1', 'audit.log.2'].map((name) => join(dir, name)),
      { workers: 0 });
    const single = await analyzeLogs([join(dir, 'whole.log')], { workers: 0 });
    const piped = await analyzeLogs(['-'], { workers: 0, stdin: Readable.from([whole]) });

    assert.equal(rotated.events, 9);
    assert.equal(rotated.records, 18);
    assert.deepEqual(rotated.files, ['audit.log.2', 'audit.log.1', 'audit.log']
      .map((name) => join(dir, name)));
    // The rotated set continues one serial run: no serial is missing across the files.
    assert.equal(rotated.lostRecords, 0);
    assert.deepEqual(comparable(rotated), comparable(single));
    assert.deepEqual(comparable(piped), comparable(single));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('byte ranges are cut at line starts', () => {
  const dir = scratch();
  try {
    const path = join(dir, 'cut.log');
    const text = 'aaaa\nbbbbbbbb\ncc\n' + 'd'.repeat(100) + '\n';
    writeFileSync(path, text);
    const cuts = lineAlignedCuts(path, text.length, 4);
    assert.equal(cuts[0], 0);
    assert.equal(cuts[cuts.length - 1], text.length);
    for (const cut of cuts.slice(1, -1)) assert.equal(text[cut - 1], '\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('worker threads over byte ranges count exactly what one thread counts', async (t) => {
  if (!hasCorpus) {
    t.skip('../shared/corpus is not beside the repository');
    return;
  }
  const dir = scratch();
  try {
    // Real corpus records, repeated with fresh serials, interleaved in pairs so that events
    // straddle the cuts between ranges.
    const events: string[][] = [];
    for (const folder of readdirSync(corpusLogs)) {
      for (const name of readdirSync(join(corpusLogs, folder))) {
        const byStamp = new Map<string, string[]>();
        for (const line of readFileSync(join(corpusLogs, folder, name), 'latin1').split('\n')) {
          const match = /^(type=\S+) msg=audit\(\d+\.\d+:\d+\)(.*)$/.exec(line);
          if (!match) continue;
          const stamp = /msg=audit\(([^)]*)\)/.exec(line)![1];
          if (!byStamp.has(stamp)) byStamp.set(stamp, []);
          byStamp.get(stamp)!.push(`${match[1]} msg=audit(%s)${match[2]}`);
        }
        events.push(...byStamp.values());
      }
    }
    const out: string[] = [];
    let serial = 1;
    while (out.length < 30000) {
      const a = events[serial % events.length];
      const b = events[(serial * 7) % events.length];
      const sa = `${1700000000 + Math.floor(serial / 50)}.${serial % 1000}:${serial}`;
      const sb = `${1700000000 + Math.floor(serial / 50)}.${serial % 1000}:${serial + 1}`;
      for (let i = 0; i < Math.max(a.length, b.length); i++) {
        if (i < a.length) out.push(a[i].replace('%s', sa));
        if (i < b.length) out.push(b[i].replace('%s', sb));
      }
      out.push('# a line that is no record');
      serial += 2;
    }
    const path = join(dir, 'audit.log');
    writeFileSync(path, out.join('\n') + '\n', 'latin1');

    const single = await analyzeLogs([path], { workers: 0 });
    let progressCalls = 0;
    let lastBytes = 0;
    const parallel = await analyzeLogs([path], {
      workers: 3,
      parallelThreshold: 1,
      onProgress: (progress) => {
        progressCalls++;
        lastBytes = progress.bytesRead;
      },
    });
    assert.ok(single.events > 10000);
    assert.deepEqual(comparable(parallel), comparable(single));
    assert.ok(progressCalls >= 1);
    assert.equal(lastBytes, single.inputBytes);
    // Two ranges: the first is scanned on this thread, which joins its open last events
    // to the second range's held first ones itself.
    const halves = await analyzeLogs([path], { workers: 2, parallelThreshold: 1 });
    assert.deepEqual(comparable(halves), comparable(single));

    // A window far smaller than a range: the open events a range hands on are few, and
    // the first window of events of the next range is what it holds for the join.
    const smallWindow = await analyzeLogs([path], { workers: 0, window: 64 });
    const shortEnds = await analyzeLogs([path], { workers: 3, parallelThreshold: 1, window: 64 });
    assert.deepEqual(comparable(shortEnds), comparable(smallWindow));
    assert.deepEqual(comparable(smallWindow), comparable(single));
    // The second range's first 64 events are complete long before it is: they come ahead.
    const shortHalves = await analyzeLogs([path], { workers: 2, parallelThreshold: 1,
      window: 64 });
    assert.deepEqual(comparable(shortHalves), comparable(smallWindow));

    // A second range with fewer events than the window: its first events come with its
    // result, and every event of it is joined at the cut.
    const shortPath = join(dir, 'short.log');
    writeFileSync(shortPath, out.slice(0, 600).join('\n') + '\n', 'latin1');
    const shortSingle = await analyzeLogs([shortPath], { workers: 0 });
    const shortSplit = await analyzeLogs([shortPath], { workers: 2, parallelThreshold: 1 });
    assert.ok(shortSingle.events > 100);
    assert.deepEqual(comparable(shortSplit), comparable(shortSingle));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('cancelling rejects with an AbortError', async () => {
  const controller = new AbortController();
  controller.abort();
  const stream = Readable.from([syscallRecord('1700000000.1:1') + '\n']);
  await assert.rejects(
    analyzeLogs([{ name: 'x', stream }], { signal: controller.signal }),
    { name: 'AbortError' },
  );
});

test('progress reports bytes read against the total size', async () => {
  const dir = scratch();
  try {
    const path = join(dir, 'audit.log');
    const text = (syscallRecord('1700000000.1:1') + '\n').repeat(5000);
    writeFileSync(path, text);
    const seen: number[] = [];
    await analyzeLogs([path], {
      workers: 0,
      onProgress: (progress) => {
        assert.equal(progress.totalBytes, text.length);
        seen.push(progress.bytesRead);
      },
    });
    assert.equal(seen[seen.length - 1], text.length);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('unrelated files neither join events nor continue serial runs', async () => {
  const dir = scratch();
  try {
    const text = [syscallRecord('1700000000.1:10'), syscallRecord('1700000000.2:12')]
      .join('\n') + '\n';
    writeFileSync(join(dir, 'web.log'), text);
    writeFileSync(join(dir, 'db.log'), text.replace(/:1([02])\)/g, ':10$1)'));
    const report = await analyzeLogs([join(dir, 'web.log'), join(dir, 'db.log')],
      { workers: 0 });
    assert.equal(report.events, 4);
    // 11 is missing in the first file and 101 in the second; 13..99 is no gap.
    assert.equal(report.lostRecords, 2);
    assert.deepEqual(report.files, [join(dir, 'web.log'), join(dir, 'db.log')]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('auditd\'s start as the last event of a part: the next part begins a new serial run',
  async () => {
    const before = [100, 101, 102, 103].map((serial) =>
      syscallRecord(`1700000000.${serial}:${serial}`));
    before.push(record('DAEMON_START', '1700000001.000:5000',
      'op=start ver=3.0.9 format=raw kernel=6.1.0 auid=4294967295 pid=1 uid=0 res=success'));
    // After a boot the kernel counts serials from 1 again.
    const after = [1, 2, 3].map((serial) => syscallRecord(`1700000002.${serial}:${serial}`));

    const scan = (lines: string[]) => {
      const part = new PartScanner('audit.log');
      part.push(Buffer.from(lines.join('\n') + '\n'));
      return part.finish(false).snapshot;
    };
    const whole = scan([...before, ...after]);
    const parts = mergeSnapshots([scan(before), scan(after)]);
    const runs = (snapshot: TallySnapshot) => snapshot.segments.map(({ segment }) =>
      [segment.min, segment.max, segment.events]);
    assert.deepEqual(runs(whole), [[100, 103, 4], [1, 3, 3]]);
    assert.deepEqual(runs(parts), runs(whole));
    assert.equal(parts.restarts, 1);
  });
