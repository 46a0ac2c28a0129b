// The WebAssembly line scanner against the plain line parser (parseRecordLine): both must
// read every real log line, and every mangled one, the same way. The facts expected here
// are worked out from the parsed fields, independently of the scanner's field reader.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import {
  ABSENT, FactStrings, NO_STRING, RecordScanner, emptyFacts, parseRecordLine,
  type ParsedRecord, type RecordFacts, type RecordView, type SkipReason,
} from '../../../server/src/log/scan';
import { corpusLogs, hasCorpus } from './log-helpers';

const repoRoot = join(__dirname, '..', '..', '..', '..');

interface SeenLine {
  line: number;
  record?: { type: string; node: string | undefined; seconds: number; millis: number;
    serial: number; text: string; facts: RecordFacts; enriched: boolean };
  skipped?: SkipReason;
  blank?: boolean;
}

/** Everything the scanner says about `data`, pushed in chunks of `chunkSize`. */
function scan(data: Buffer, chunkSize: number): SeenLine[] {
  const seen: SeenLine[] = [];
  const strings = new FactStrings();
  const scanner: RecordScanner = new RecordScanner({
    record(view: RecordView) {
      const facts = emptyFacts();
      const enriched = view.readFacts(facts, strings);
      seen.push({
        line: view.lineNumber,
        record: {
          type: scanner.names.types.names[view.typeId],
          node: view.nodeId === 0 ? undefined : scanner.names.nodes.names[view.nodeId],
          seconds: view.seconds, millis: view.millis, serial: view.serial,
          text: view.buf.toString('latin1', view.lineStart, view.lineEnd),
          facts, enriched,
        },
      });
    },
    skipped(line, reason) {
      seen.push({ line, skipped: reason });
    },
    blank(line) {
      seen.push({ line, blank: true });
    },
  });
  for (let at = 0; at < data.length; at += chunkSize) {
    scanner.push(data.subarray(at, Math.min(at + chunkSize, data.length)));
  }
  scanner.end();
  return seen;
}

const decimalNames = ['uid', 'auid', 'euid', 'suid', 'fsuid', 'gid', 'egid', 'sgid', 'fsgid'];

/** The facts of a parsed record, field by field, in the order the fields were written. */
function expectedFacts(parsed: ParsedRecord): RecordFacts {
  const facts = emptyFacts();
  // Digit by digit in doubles, as audit values of any length are read.
  const digits = (text: string) => [...text].reduce((value, digit) => value * 10 + +digit, 0);
  const decimal = (raw: string, signed: boolean) =>
    (signed ? /^-?\d+$/ : /^\d+$/).test(raw) ?
      (raw.startsWith('-') ? -digits(raw.slice(1)) : digits(raw)) : ABSENT;
  const absent = (field: { raw: string; quoted: boolean }) =>
    !field.quoted && (field.raw === '' || field.raw.startsWith('(') || field.raw === '?');
  for (const field of parsed.fields) {
    const { name, raw } = field;
    if (name === 'syscall') facts.syscall = decimal(raw, false);
    else if (decimalNames.includes(name)) {
      (facts as unknown as Record<string, number>)[name] = decimal(raw, false);
    } else if (name === 'exit') {
      if (/^-?\d+$/.test(raw)) {
        facts.exit = decimal(raw, true);
        facts.hasExit = true;
      }
    } else if (name === 'arch') {
      facts.arch = /^[0-9a-fA-F]{1,8}$/.test(raw) ? parseInt(raw, 16) : ABSENT;
    } else if (name === 'success') {
      facts.success = raw.startsWith('y') ? 1 : raw.startsWith('n') ? 0 : ABSENT;
    } else if (name === 'res') {
      if (facts.success === ABSENT) {
        facts.success = /^[s1]/.test(raw) ? 1 : /^[f0]/.test(raw) ? 0 : ABSENT;
      }
    } else if (name === 'a1' || name === 'a2') {
      const low = raw.slice(-8);
      facts[name] = /^[0-9a-fA-F]*$/.test(low) && low !== '' ? parseInt(low, 16) : 0;
    } else if (name === 'exe') {
      if (facts.exe === undefined && !absent(field)) facts.exe = field.value;
    } else if (name === 'key') {
      facts.key = absent(field) ? undefined : field.value;
    } else if (name === 'subj') {
      if (facts.subj === undefined && raw !== '') facts.subj = raw;
    }
  }
  return facts;
}

/** The facts as strings and numbers only (ids differ between readers). */
function comparable(facts: RecordFacts) {
  return {
    arch: facts.arch, syscall: facts.syscall, success: facts.success,
    exit: facts.hasExit ? facts.exit : null, uid: facts.uid, auid: facts.auid,
    euid: facts.euid, suid: facts.suid, fsuid: facts.fsuid, gid: facts.gid,
    egid: facts.egid, sgid: facts.sgid, fsgid: facts.fsgid, a1: facts.a1, a2: facts.a2,
    exe: facts.exe, key: facts.key, subj: facts.subj,
  };
}

/** Checks the scanner's reading of `data` against parseRecordLine, line by line. */
function assertAgrees(data: Buffer, chunkSize: number, where: string, real = false): number {
  const seen = scan(data, chunkSize);
  const text = data.toString('latin1');
  const lines = text === '' ? [] : text.split('\n');
  if (text.endsWith('\n')) lines.pop();
  assert.equal(seen.length, lines.length, `${where}: one verdict per line`);

  let records = 0;
  for (let i = 0; i < lines.length; i++) {
    const verdict = seen[i];
    assert.equal(verdict.line, i + 1, `${where}: line numbers`);
    const line = Buffer.from(lines[i], 'latin1');
    const parsed = parseRecordLine(line);
    const at = `${where}:${i + 1}`;
    if (parsed === undefined) {
      assert.equal(verdict.record, undefined, `${at}: the scanner read a record`);
      continue;
    }
    assert.ok(verdict.record, `${at}: the scanner did not read the record`);
    records++;
    const record = verdict.record;
    assert.deepEqual(
      [record.type, record.node, record.seconds, record.millis, record.serial],
      [parsed.type, parsed.node, parsed.seconds, parsed.millis, parsed.serial], at);
    assert.equal(record.text, lines[i].replace(/\r$/, ''), at);
    // The line parser splits fields at spaces and cuts the line at its first 0x1D; the
    // field reader also steps over other control bytes and sees 0x1D only between fields.
    // Where those differ the expected facts are not the parser's, so lines with control
    // bytes are compared by head only.
    const separator = line.indexOf(0x1d);
    const body = line.subarray(0, separator < 0 ? line.length : separator).toString('latin1');
    if (/[\x00-\x1f]/.test(body)) continue;
    assert.deepEqual(comparable(record.facts), comparable(expectedFacts(parsed)), at);
    if (real) assert.equal(record.enriched, separator >= 0, `${at}: ENRICHED`);
  }
  return records;
}

function logFiles(dir: string): string[] {
  const files: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) files.push(...logFiles(path));
    else if (!name.endsWith('.gz') && !name.endsWith('.json')) files.push(path);
  }
  return files;
}

test('the committed scanner module is the build of server/wasm/recordScan.ts', () => {
  const result = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'build-wasm.mjs'),
    '--check'], { encoding: 'utf8', cwd: repoRoot });
  assert.equal(result.status, 0, result.stderr);
});

test('every corpus log line reads the same as with the line parser, in any chunking',
  { skip: hasCorpus ? false : `the corpus (${corpusLogs}) is not beside the repository` },
  () => {
    const files = [...logFiles(corpusLogs), join(repoRoot, 'samples', 'audit.log')]
      .filter((file) => existsSync(file));
    let records = 0;
    for (const file of files) {
      const data = readFileSync(file);
      records += assertAgrees(data, 1 << 20, file, true);
      records += assertAgrees(data, 7, `${file} (7-byte chunks)`, true);
    }
    assert.ok(records > 10000, `only ${records} records compared`);
  });

const fragments = [
  'type=', 'SYSCALL', 'USER_LOGIN', ' msg=audit(', '1700000000', '.', '123', ':', '42', '): ',
  'node=', 'a b ', 'arch=', 'c000003e', 'C000003E1', 'syscall=', '-5', 'exe=', '"/bin/x"',
  '2F62696E2F79', 'key=', '(null)', '?', '\x1d', '\x01', '\t', 'AUID="root"', "msg='", "'",
  ' ', '=', '"', '\n', '\r\n', '\r', 'success=yes', 'success=', 'res=failed', 'res=1',
  'exit=-13', 'exit=', 'exit=-', 'uid=4294967295', 'gid=12x', 'a1=', 'a2=ffffffff80000',
  'subj=', 'subj=unconfined', 'fsuid=', 'sgid=7', 'x=y', '99999999999999999999', 'a1=80241',
];

test('mangled lines read the same as with the line parser', () => {
  fc.assert(
    fc.property(
      fc.array(fc.constantFrom(...fragments), { maxLength: 40 }),
      fc.integer({ min: 1, max: 64 }),
      (parts, chunkSize) => {
        assertAgrees(Buffer.from(parts.join(''), 'latin1'), chunkSize, 'generated');
      },
    ),
    { numRuns: 2000 },
  );
});

test('a key= of (null) after a real key leaves the record without a key', () => {
  const data = Buffer.from('type=SYSCALL msg=audit(1.2:3): key="a" key=(null)\n');
  const [line] = scan(data, 64);
  assert.equal(line.record?.facts.key, undefined);
  assert.equal(line.record?.facts.keyId, NO_STRING);
});
