// Sample records for the drill-down: events of one executable (optionally of one syscall
// or key), each as its SYSCALL record's line to open and the text of the event's records.
// Read through the log engine's scanner and field parser; the search stops at the first
// `limit` matches.
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import {
  RecordScanner, parseRecordLine, splitKeys, type RecordSink, type RecordView,
} from '../../../server/src/log/scan';
import { normaliseExe } from '../../../server/src/log/rank';
import { machineForElf, syscallTable } from '../../../server/src/tables';
import type { SampleRecord } from './viewReport';

export interface SampleQuery {
  exe: string;
  syscall?: string;
  key?: string;
}

const maxSampleText = 4000;

function syscallName(arch: string | undefined, number: string | undefined): string | undefined {
  if (arch === undefined || number === undefined) return undefined;
  const machine = machineForElf(Number.parseInt(arch, 16));
  if (machine === undefined) return undefined;
  return syscallTable(machine, '4.2')?.byNumber.get(Number(number))
    ?? syscallTable(machine, '3.0.9')?.byNumber.get(Number(number));
}

/** Records of one event follow its SYSCALL record closely; look no further than this. */
const eventTailRecords = 64;

class SampleSink implements RecordSink {
  readonly found: SampleRecord[] = [];
  /** The sample whose event's later records (PATH, PROCTITLE ...) are still being added. */
  private open: { sample: SampleRecord; node: number; seconds: number; millis: number;
    serial: number; seen: number } | undefined;

  constructor(
    private readonly query: SampleQuery,
    private readonly source: number,
    private readonly limit: number,
    private readonly scanner: () => RecordScanner,
  ) {}

  get full(): boolean {
    return this.found.length >= this.limit;
  }

  /** Whether the scan can stop: enough samples, and the last one's event complete. */
  get done(): boolean {
    return this.full && this.open === undefined;
  }

  private extend(view: RecordView): boolean {
    const open = this.open;
    if (!open) return false;
    open.seen++;
    const same = view.serial === open.serial && view.seconds === open.seconds
      && view.millis === open.millis && view.nodeId === open.node;
    if (same) {
      const type = this.scanner().names.types.names[view.typeId];
      if (type !== 'EOE') {
        const text = view.buf.toString('utf8', view.lineStart, view.lineEnd);
        open.sample.text = `${open.sample.text}\n${text}`.slice(0, maxSampleText);
      }
      if (type === 'EOE') this.open = undefined;
    }
    if (this.open && open.seen >= eventTailRecords) this.open = undefined;
    return same;
  }

  record(view: RecordView): void {
    if (this.extend(view)) return;
    if (this.full || this.scanner().names.types.names[view.typeId] !== 'SYSCALL') return;
    const line = view.buf.subarray(view.lineStart, view.lineEnd);
    const record = parseRecordLine(line);
    if (!record) return;
    const field = (name: string) => record.fields.find((f) => f.name === name);

    const exe = field('exe')?.value;
    if (exe === undefined || normaliseExe(exe).exe !== this.query.exe) return;
    if (this.query.syscall !== undefined
      && syscallName(field('arch')?.value, field('syscall')?.value) !== this.query.syscall) {
      return;
    }
    if (this.query.key !== undefined && !splitKeys(field('key')?.value).includes(this.query.key)) {
      return;
    }
    const sample = {
      source: this.source, line: view.lineNumber,
      text: line.toString('utf8').slice(0, maxSampleText),
    };
    this.found.push(sample);
    this.open = { sample, node: view.nodeId, seconds: view.seconds, millis: view.millis,
      serial: view.serial, seen: 0 };
  }

  skipped(): void {}
}

export async function findSampleRecords(
  files: readonly string[], query: SampleQuery, limit = 20,
): Promise<SampleRecord[]> {
  const found: SampleRecord[] = [];
  for (let source = 0; source < files.length && found.length < limit; source++) {
    const file = files[source];
    let scanner: RecordScanner | undefined;
    const sink = new SampleSink(query, source, limit - found.length, () => scanner!);
    scanner = new RecordScanner(sink, { fileIndex: source });
    const stream = file.endsWith('.gz')
      ? createReadStream(file).pipe(createGunzip()) : createReadStream(file);
    for await (const chunk of stream) {
      scanner.push(chunk as Buffer);
      if (sink.done) break;
    }
    stream.destroy();
    if (!sink.done) scanner.end();
    found.push(...sink.found);
  }
  return found;
}
