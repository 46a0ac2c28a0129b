import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { NoiseReport } from '../../../server/src/log/report';
import { analyzeText, hex, record, syscallRecord } from './log-helpers';

const fragments = [
  'type=', 'SYSCALL', 'PATH', 'EOE', ' msg=audit(', '1700000000', '.', '123', ':', '42', '): ',
  'node=', 'a b ', 'arch=', 'c000003e', 'syscall=', 'exe=', '"/bin/x"', hex('/bin/y'),
  'key=', '(null)', '\x1d', '\x01', '\x07', '\t', 'AUID="root"', "msg='", "'", ' ', '=', '"',
  '\n', '\r\n', '\x00',
  '\xff', 'success=yes', 'exit=-13', 'uid=4294967295', 'a1_len=5', 'a1[0]=', '----',
  'time->', '#', 'Dec  3 13:30:21 host x: ',
];

test('arbitrary bytes never throw, and every line is a record, blank or skipped', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.uint8Array({ maxLength: 2000 }),
      fc.integer({ min: 1, max: 64 }),
      async (bytes, chunkSize) => {
        const data = Buffer.from(bytes);
        const report = await analyzeText(data, { chunkSize });
        const lines = data.length === 0 ? 0 :
          data.toString('latin1').split('\n').length - (data[data.length - 1] === 0x0a ? 1 : 0);
        assert.equal(report.records + report.skippedLines + report.blankLines, lines);
        assert.equal(report.inputBytes, data.length);
      },
    ),
    { numRuns: 300 },
  );
});

test('a control byte among a record\'s fields is stepped over, not looped on', async () => {
  // Each control byte below 0x20 but GS once made the field scan stop without moving.
  for (let byte = 0; byte < 0x20; byte++) {
    if (byte === 0x0a || byte === 0x1d) continue;
    const control = String.fromCharCode(byte);
    const text = `type=SYSCALL msg=audit(1700000000.005:105): a=${control} ` +
      `arch=c000003e sys${control}call=59 syscall=2 exe="/bin/x"\n`;
    const report = await analyzeText(text, { chunkSize: 64 });
    assert.equal(report.records, 1, `byte 0x${byte.toString(16)}`);
    assert.equal(report.bySyscall[0]?.number, 2, `byte 0x${byte.toString(16)}`);
  }
});

test('record-like fragments in any order never throw', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.constantFrom(...fragments), { maxLength: 120 }),
      fc.integer({ min: 1, max: 40 }),
      async (parts, chunkSize) => {
        const report = await analyzeText(parts.join(''), { chunkSize });
        assert.ok(report.events <= report.records);
        assert.ok(report.byExe.every((row) => row.events > 0 && row.bytes > 0));
      },
    ),
    { numRuns: 400 },
  );
});

interface GeneratedEvent {
  exe: number;
  syscall: number;
  key: number;
  extra: number;
}

function eventLines(event: GeneratedEvent, serial: number): string[] {
  const stamp = `${1700000000 + Math.floor(serial / 10)}.${(serial * 37) % 1000}:${serial}`;
  const lines = [syscallRecord(stamp, {
    exe: event.exe === 3 ? hex('/opt/app 3/run') : `"/usr/bin/p${event.exe}"`,
    syscall: String(event.syscall),
    key: event.key === 0 ? '(null)' : `"k${event.key}"`,
  })];
  for (let i = 0; i < event.extra; i++) {
    lines.push(record('PATH', stamp, `item=${i} name="/etc/f${i}" inode=${i}`));
  }
  lines.push(record('PROCTITLE', stamp, `proctitle=${hex('p\0-x')}`));
  lines.push(record('EOE', stamp, ''));
  return lines;
}

function stampOf(line: string): string {
  return /msg=audit\(([^)]*)\)/.exec(line)![1];
}

function essentials(report: NoiseReport) {
  return {
    records: report.records, events: report.events, lost: report.lostRecords,
    bytes: report.bytes, byExe: report.byExe, bySyscall: report.bySyscall,
    byKey: report.byKey, byType: report.byType, byExeSyscall: report.byExeSyscall,
    byUid: report.byUid, perMinute: report.perMinute,
    buckets: report.profile.buckets.length,
  };
}

test('shuffling records within the grouping window changes no count', async () => {
  const generatedEvent = fc.record({
    exe: fc.integer({ min: 0, max: 3 }),
    syscall: fc.constantFrom(0, 2, 59, 257),
    key: fc.integer({ min: 0, max: 2 }),
    extra: fc.integer({ min: 0, max: 3 }),
  });
  await fc.assert(
    fc.asyncProperty(
      fc.array(generatedEvent, { minLength: 1, maxLength: 60 }),
      fc.array(fc.integer(), { minLength: 400, maxLength: 400 }),
      fc.integer({ min: 2, max: 8 }),
      async (events, sortKeys, group) => {
        // Serial gaps on purpose: every third serial is skipped.
        const perEvent = events.map((event, i) => eventLines(event, 100 + i + Math.floor(i / 3)));
        const inOrder = perEvent.flat();

        // Shuffle the records of each run of `group` consecutive events: far less than the
        // window (4096 open events), so grouping must see through it. Each event's EOE stays
        // its last record, as the kernel writes it (an EOE ends its event).
        const shuffled: string[] = [];
        for (let start = 0; start < perEvent.length; start += group) {
          const lines = perEvent.slice(start, start + group).flat();
          const keyed = lines.map((line, i) => ({ line, key: sortKeys[(start + i) % 400] }));
          keyed.sort((a, b) => a.key - b.key);
          const ends = new Map<string, string>();
          const body = keyed.map((entry) => entry.line).filter((line) => {
            if (!line.startsWith('type=EOE ')) return true;
            ends.set(stampOf(line), line);
            return false;
          });
          const remaining = new Map<string, number>();
          for (const line of body) {
            remaining.set(stampOf(line), (remaining.get(stampOf(line)) ?? 0) + 1);
          }
          for (const line of body) {
            shuffled.push(line);
            const stamp = stampOf(line);
            const left = remaining.get(stamp)! - 1;
            remaining.set(stamp, left);
            if (left === 0) shuffled.push(ends.get(stamp)!);
          }
        }

        const a = await analyzeText(inOrder.join('\n') + '\n');
        const b = await analyzeText(shuffled.join('\n') + '\n');
        assert.equal(a.events, events.length);
        // perMinute and the profile follow from the same events: compare all but order.
        assert.deepEqual(essentials(b), essentials(a));
      },
    ),
    { numRuns: 200 },
  );
});
