/**
 * The log engine's public entry: reads audit logs (files, rotated sets, .gz, stdin),
 * groups and ranks them, and returns the noise report. Large plain files are split into
 * byte ranges scanned by worker threads (one per core); the parts merge in file order.
 */
import { closeSync, openSync, readSync, statSync, existsSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { createGunzip } from 'node:zlib';
import { createReadStream } from 'node:fs';
import {
  ByteInterner, FOREIGN_STRING, FactStrings, RecordNames, RecordScanner, printableLine,
  type RecordSink, type RecordView, type SkipReason,
} from './scan';
import { AuditEvent, EventGrouper, defaultEventWindow, mergeFacts } from './events';
import {
  NoiseTally, buildNoiseReport, mergeSnapshots, type ReportOptions, type TallySnapshot,
} from './rank';
import type { EventProfileBucket, NoiseReport } from './report';
import {
  forEachStraddling, packStraddling, unpackPartResult, type PackedPartResult,
  type StraddlingEvent, type StraddlingEvents,
} from './partTransfer';

/** A path ('-' for standard input), or a named stream of bytes. */
export type LogInput = string | { name: string; stream: AsyncIterable<Buffer | string> };

export interface AnalyzeProgress {
  file: string;
  /** Bytes read so far over every input (compressed inputs count their output bytes). */
  bytesRead: number;
  /** Sum of the sizes of the inputs, when known. */
  totalBytes: number | null;
}

export interface AnalyzeOptions extends ReportOptions {
  /** Open events kept while grouping (default 4096). */
  window?: number;
  /** Worker threads for large files; 0 or 1 scans in this thread. Default: the cores. */
  workers?: number;
  /** Plain files at least this large are split over workers (default 32 MiB). */
  parallelThreshold?: number;
  onProgress?: (progress: AnalyzeProgress) => void;
  signal?: AbortSignal;
  /** The stream read for '-' (default process.stdin). */
  stdin?: AsyncIterable<Buffer | string>;
}

const chunkSize = 1 << 20;
/** Bytes read at a time from a plain file: they stay in a core's cache until scanned. */
const readSize = 128 << 10;
const defaultParallelThreshold = 32 << 20;

class AbortError extends Error {
  constructor() {
    super('The log analysis was cancelled.');
    this.name = 'AbortError';
  }
}

// --- one part: a file, or a byte range of one --------------------------------------

export interface PartResult {
  snapshot: TallySnapshot;
  /** Held first events (that may have begun in the part before) and open last ones. */
  head: StraddlingEvents;
  tail: StraddlingEvents;
  lines: number;
}

export interface PartScannerOptions {
  window?: number;
  /** Hold the first events: they may have begun in the range before. */
  holdHead?: boolean;
  fileIndex?: number;
  /**
   * Receives the held first events as soon as every one of them is complete (all
   * `window` of them closed), long before the range is: the range before can then join
   * its open last events to them while this range is still being scanned.
   */
  headComplete?: (head: StraddlingEvents) => void;
}

/** Scanner, grouper and tally of one part, fed chunk by chunk. */
export class PartScanner implements RecordSink {
  readonly names = new RecordNames();
  readonly strings = new FactStrings();
  readonly tally = new NoiseTally(this.names);
  readonly grouper: EventGrouper;
  private scanner: RecordScanner;
  private readonly head: AuditEvent[] = [];
  private lineOffset = 0;

  /** The held first events went out early (see PartScannerOptions.headComplete). */
  private headSent = false;

  constructor(
    private fileName: string,
    options: PartScannerOptions = {},
  ) {
    const holdFirstEvents = options.holdHead ? options.window ?? defaultEventWindow : 0;
    const headComplete = options.headComplete;
    this.grouper = new EventGrouper(
      this.names,
      this.strings,
      (event) => this.tally.addEvent(event),
      {
        window: options.window ?? defaultEventWindow,
        holdFirstEvents,
        held: (event) => {
          this.head.push(event);
          if (headComplete !== undefined && this.head.length === holdFirstEvents) {
            this.headSent = true;
            headComplete(packStraddling(this.head, this.names));
            this.head.length = 0;
          }
        },
      },
    );
    this.scanner = new RecordScanner(this, { names: this.names, fileIndex: options.fileIndex });
    this.tally.data.files.push(fileName);
  }

  /**
   * Continues with the next file of a sequence (same grouping window, new line count).
   * Serial runs continue only into the next file of a rotated set.
   */
  nextFile(fileName: string, serialsContinue: boolean): void {
    this.scanner.end();
    if (!serialsContinue) {
      // An unrelated file: its events are not continuations of this one's.
      this.grouper.flush();
      this.grouper.breakSerials();
    }
    this.lineOffset += this.scanner.lines;
    this.fileName = fileName;
    this.scanner = new RecordScanner(this, { names: this.names });
    this.tally.data.files.push(fileName);
  }

  push(chunk: Buffer): void {
    this.tally.data.inputBytes += chunk.length;
    this.scanner.push(chunk);
  }

  /** Reads and scans up to `length` bytes of a file at `position`; returns the bytes read. */
  pushFromFile(fd: number, position: number, length: number): number {
    const read = this.scanner.pushFromFile(fd, position, length);
    this.tally.data.inputBytes += read;
    return read;
  }

  record(view: RecordView): void {
    this.tally.countRecord(view.typeId, view.nodeId, view.bytes);
    this.grouper.addRecord(view);
  }

  skipped(lineNumber: number, reason: SkipReason, buf: Buffer, start: number, end: number): void {
    const sample = this.tally.wantsSkippedSample
      ? { file: this.fileName, line: lineNumber, reason, text: printableLine(buf, start, end) }
      : undefined;
    this.tally.skipped(sample, reason);
  }

  blank(): void {
    this.tally.data.blankLines++;
  }

  /** Ends the input; `keepTail` leaves the open events out of the counts. */
  finish(keepTail: boolean): PartResult {
    this.scanner.end();
    const lines = this.lineOffset + this.scanner.lines;
    const tail = keepTail ? this.grouper.drainOpen() : [];
    if (!keepTail) this.grouper.flush();
    const snapshot = this.tally.snapshot(this.grouper);
    return {
      snapshot,
      head: packStraddling(this.headSent ? [] : this.head, this.names),
      tail: packStraddling(tail, this.names),
      lines,
    };
  }

  /**
   * Ends the input of a range whose next range is the last one, joining the held first
   * events of that range (`next`) to this range's open last events; the events of `next`
   * that continue none are counted after them. This is what boundarySnapshots does for
   * the cut, on the live events and into this tally: nothing is packed, and no second
   * tally is built. The next range's result is then used without its head.
   */
  finishJoined(next: StraddlingEvents): PartResult {
    this.scanner.end();
    const lines = this.lineOffset + this.scanner.lines;
    const grouper = this.grouper;
    const names = this.names;
    const typeIdOf = (type: string) => names.types.idOfString(type);
    // The other thread's strings take this scan's ids where it has them, so that its
    // events fall into the profile slots of this range instead of slots of their own.
    const strings = this.strings;
    const exeCodes = textCodes(strings.exe, strings.hexExe);
    const keyCodes = textCodes(strings.key, strings.hexKey);
    const subjIds = new Map(strings.subj.names.map((subj, id) => [subj, id]));
    const nodeIdOf = (node: string | null) => (node === null ? 0 : names.nodes.idOfString(node));
    const translate = (part: StraddlingEvent) => {
      const facts = part.facts;
      if (facts.exe !== undefined) facts.exeId = exeCodes.get(facts.exe) ?? FOREIGN_STRING;
      if (facts.key !== undefined) facts.keyId = keyCodes.get(facts.key) ?? FOREIGN_STRING;
      if (facts.subj !== undefined) facts.subjId = subjIds.get(facts.subj) ?? FOREIGN_STRING;
    };

    // First the parts that continue an open event here; then, once the open events are
    // counted (and their objects free for reuse), the events of the next range that
    // continue none, in the order met.
    const joined: boolean[] = [];
    forEachStraddling(next, (part) => {
      const event = grouper.openEvent(nodeIdOf(part.node), part.timeMs, part.serial);
      joined.push(event !== undefined);
      if (event === undefined) return;
      if (part.daemonStart) grouper.markDaemonStart(event);
      translate(part);
      addStraddlingPart(event, part, next.typeCounts, typeIdOf);
    });
    grouper.flush();
    const later: AuditEvent[] = [];
    const laterBySerial = new Map<number, AuditEvent[]>();
    let index = 0;
    forEachStraddling(next, (part) => {
      if (joined[index++]) return;
      const nodeId = nodeIdOf(part.node);
      let sameSerial = laterBySerial.get(part.serial);
      if (sameSerial === undefined) {
        sameSerial = [];
        laterBySerial.set(part.serial, sameSerial);
      }
      let event = sameSerial.find((e) => e.nodeId === nodeId && e.timeMs === part.timeMs);
      if (event === undefined) {
        event = grouper.spareEvent(nodeId, part.timeMs, part.serial);
        sameSerial.push(event);
        later.push(event);
      }
      translate(part);
      addStraddlingPart(event, part, next.typeCounts, typeIdOf);
    });
    for (const event of later) grouper.finish(event);
    const snapshot = this.tally.snapshot(grouper);
    return {
      snapshot,
      head: packStraddling(this.headSent ? [] : this.head, names),
      tail: packStraddling([], names),
      lines,
    };
  }
}

/**
 * A scan's codes of decoded exe or key strings (see textId in scan.ts): the plain one
 * where the same text was also logged hex-encoded.
 */
function textCodes(plain: ByteInterner, hex: ByteInterner): Map<string, number> {
  const codes = new Map<string, number>();
  hex.names.forEach((text, id) => codes.set(text, id * 2 + 1));
  plain.names.forEach((text, id) => codes.set(text, id * 2));
  return codes;
}

/** Adds one piece of a straddling event (read by another scan) into an event. */
function addStraddlingPart(
  event: AuditEvent,
  part: StraddlingEvent,
  typeCounts: Float64Array,
  typeIdOf: (type: string) => number,
): void {
  event.records += part.records;
  event.bytes += part.bytes;
  for (let i = 0; i < part.types.length; i++) {
    const at = part.countsAt + 2 * i;
    event.addType(typeIdOf(part.types[i]), typeCounts[at], typeCounts[at + 1]);
  }
  if (part.hasSyscall) {
    mergeFacts(event.facts, part.facts, true);
    event.hasSyscall = true;
  } else if (!event.hasSyscall) {
    mergeFacts(event.facts, part.facts, false);
  }
  event.daemonStart ||= part.daemonStart;
  event.daemonRecord ||= part.daemonRecord;
  event.etcPath ||= part.etcPath;
  event.etcChange ||= part.etcChange;
}

/** Held first events or open last events of a range, and the cut they lie at. */
interface CutPiece {
  piece: StraddlingEvents;
  /** 0 for the cut between the first and the second range, and so on. */
  cut: number;
}

/**
 * Counts the events that straddle part boundaries: the open events at the end of one
 * part and the first events of the next one join when their (node, time, serial) match.
 * Pieces come in file order. Each joined event is counted at the cut of its first piece,
 * one snapshot per cut, so that serial runs merge in file order: range, cut, range ...
 */
function boundarySnapshots(
  pieces: readonly CutPiece[],
  cuts: number,
  window: number,
): TallySnapshot[] {
  const names = new RecordNames();
  const strings = new FactStrings();

  // Events by serial, then node and time: no key string per event.
  const bySerial = new Map<number, AuditEvent[]>();
  const joined: AuditEvent[] = [];
  const cutOf: number[] = [];
  const typeIdOf = (type: string) => names.types.idOfString(type);
  for (const { piece, cut } of pieces) {
    const typeCounts = piece.typeCounts;
    forEachStraddling(piece, (part) => {
      const nodeId = part.node === null ? 0 : names.nodes.idOfString(part.node);
      let sameSerial = bySerial.get(part.serial);
      if (sameSerial === undefined) {
        sameSerial = [];
        bySerial.set(part.serial, sameSerial);
      }
      let event = sameSerial.find((e) => e.nodeId === nodeId && e.timeMs === part.timeMs);
      if (event === undefined) {
        event = new AuditEvent();
        event.nodeId = nodeId;
        event.timeMs = part.timeMs;
        event.serial = part.serial;
        sameSerial.push(event);
        joined.push(event);
        cutOf.push(cut);
      }
      addStraddlingPart(event, part, typeCounts, typeIdOf);
    });
  }

  const snapshots: TallySnapshot[] = [];
  for (let cut = 0; cut < cuts; cut++) {
    const tally = new NoiseTally(names);
    const grouper = new EventGrouper(names, strings, (event) => tally.addEvent(event), {
      window,
    });
    for (let i = 0; i < joined.length; i++) if (cutOf[i] === cut) grouper.finish(joined[i]);
    snapshots.push(tally.snapshot(grouper));
  }
  return snapshots;
}

// --- inputs ---------------------------------------------------------------------------

/**
 * The set a log belongs to (its base name) and its age in the set, larger for older files:
 * audit.log.N[.gz] as auditd rotates (N), audit.log-DATE[.gz] as logrotate's dateext
 * names them (-20261201, -2026120113, -2026-12-01, seconds, or -20261201-SECONDS: older
 * dates are older), and 0 for the log being written.
 */
function rotation(path: string): { base: string; index: number } {
  const name = path.replace(/\.gz$/, '');
  const numbered = /^(.*)\.(\d+)$/.exec(name);
  if (numbered) return { base: numbered[1], index: Number(numbered[2]) };
  // The shortest base: audit.log-20261201-1764547200 is audit.log's, not audit.log-20261201's.
  const dated = /^(.*?)-(\d{8}|\d{10}|\d{4}-\d{2}-\d{2}|\d{8}-(\d{9,10}))$/.exec(name);
  if (dated) {
    // Dates of one set share a format; any of them is older than the log being written.
    // In -YYYYMMDD-SECONDS the seconds order the files of one day too.
    const date = dated[3] ?? dated[2].replaceAll('-', '');
    return { base: dated[1], index: 1e12 - Number(date) };
  }
  return { base: name, index: 0 };
}

/**
 * Orders inputs so that a rotated set is read oldest first: audit.log.3, audit.log.2,
 * audit.log.1, audit.log (auditd renames audit.log to .1 and shifts the rest up), or
 * audit.log-20261201.gz, audit.log-20261202, audit.log (logrotate with dateext).
 */
export function orderLogInputs(inputs: readonly LogInput[]): LogInput[] {
  const indexed = inputs.map((input, position) => ({ input, position }));
  const firstOfBase = new Map<string, number>();
  for (const { input, position } of indexed) {
    if (typeof input !== 'string' || input === '-') continue;
    const { base } = rotation(input);
    if (!firstOfBase.has(base)) firstOfBase.set(base, position);
  }
  return indexed
    .sort((a, b) => {
      const keyOf = (entry: { input: LogInput; position: number }) => {
        if (typeof entry.input !== 'string' || entry.input === '-') {
          return { group: entry.position, index: 0 };
        }
        const { base, index } = rotation(entry.input);
        return { group: firstOfBase.get(base) ?? entry.position, index };
      };
      const ka = keyOf(a);
      const kb = keyOf(b);
      return ka.group - kb.group || kb.index - ka.index || a.position - b.position;
    })
    .map(({ input }) => input);
}

function isGzip(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const magic = Buffer.alloc(2);
    return readSync(fd, magic, 0, 2, 0) === 2 && magic[0] === 0x1f && magic[1] === 0x8b;
  } finally {
    closeSync(fd);
  }
}

function inputName(input: LogInput): string {
  if (typeof input !== 'string') return input.name;
  return input === '-' ? '<stdin>' : input;
}

// --- the entry ------------------------------------------------------------------------

/** Reads, groups and ranks the logs. Rejects with an AbortError when cancelled. */
export async function analyzeLogs(
  inputs: readonly LogInput[],
  options: AnalyzeOptions = {},
): Promise<NoiseReport> {
  const ordered = orderLogInputs(inputs);
  const window = options.window ?? defaultEventWindow;
  const workers = options.workers ?? availableParallelism();
  const threshold = options.parallelThreshold ?? defaultParallelThreshold;
  const signal = options.signal;

  let totalBytes: number | null = 0;
  for (const input of ordered) {
    if (typeof input === 'string' && input !== '-') {
      totalBytes = totalBytes === null ? null : totalBytes + statSync(input).size;
    } else totalBytes = null;
  }

  let bytesRead = 0;
  const progress = (file: string, bytes: number) => {
    bytesRead += bytes;
    options.onProgress?.({ file, bytesRead, totalBytes });
  };
  const checkAbort = () => {
    if (signal?.aborted) throw new AbortError();
  };

  const snapshots: TallySnapshot[] = [];
  let sequential: PartScanner | undefined;
  let sequentialContinues = false;
  const endSequential = () => {
    if (sequential === undefined) return;
    const snapshot = sequential.finish(false).snapshot;
    snapshot.serialsContinue = sequentialContinues;
    snapshots.push(snapshot);
    sequential = undefined;
  };
  const sequentialFor = (name: string, continues: boolean) => {
    if (sequential === undefined) {
      sequential = new PartScanner(name, { window });
      sequentialContinues = continues;
    } else sequential.nextFile(name, continues);
    return sequential;
  };

  let previousBase: string | undefined;
  for (const input of ordered) {
    checkAbort();
    const name = inputName(input);
    const base = typeof input === 'string' && input !== '-' ? rotation(input).base : undefined;
    const continues = base !== undefined && base === previousBase;
    previousBase = base;

    if (typeof input === 'string' && input !== '-') {
      const size = statSync(input).size;
      if (!isGzip(input) && workers > 1 && size >= threshold) {
        endSequential();
        const parts = await scanInWorkers(input, size, workers, window, progress, signal);
        parts[0].serialsContinue = continues;
        snapshots.push(...parts);
        continue;
      }
      const part = sequentialFor(name, continues);
      if (isGzip(input)) {
        const gunzip = createReadStream(input).pipe(createGunzip());
        await pushStream(gunzip, part, name, progress, signal).catch(naming(name));
      } else {
        await pushFile(input, part, name, progress, signal).catch(naming(name));
      }
      continue;
    }

    const stream = typeof input === 'string' ? options.stdin ?? process.stdin : input.stream;
    await pushStream(stream, sequentialFor(name, false), name, progress, signal)
      .catch(naming(name));
  }
  endSequential();

  return buildNoiseReport(mergeSnapshots(snapshots), options);
}

/** Names the input an error came from, when the error does not (a gzip stream's do not). */
function naming(name: string): (error: unknown) => never {
  return (error) => {
    const failure = error as NodeJS.ErrnoException | null;
    if (failure !== null && typeof failure === 'object' && failure.path === undefined) {
      failure.path = name;
    }
    throw error;
  };
}

async function pushFile(
  path: string,
  part: PartScanner,
  name: string,
  progress: (file: string, bytes: number) => void,
  signal: AbortSignal | undefined,
): Promise<void> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(chunkSize);
    for (;;) {
      if (signal?.aborted) throw new AbortError();
      const { bytesRead } = await handle.read(buffer, 0, chunkSize, null);
      if (bytesRead === 0) break;
      part.push(buffer.subarray(0, bytesRead));
      progress(name, bytesRead);
    }
  } finally {
    await handle.close();
  }
}

async function pushStream(
  stream: AsyncIterable<Buffer | string>,
  part: PartScanner,
  name: string,
  progress: (file: string, bytes: number) => void,
  signal: AbortSignal | undefined,
): Promise<void> {
  for await (const chunk of stream) {
    if (signal?.aborted) throw new AbortError();
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    part.push(buffer);
    progress(name, buffer.length);
  }
}

// --- byte ranges in worker threads -------------------------------------------------------

export interface RangeJob {
  path: string;
  start: number;
  end: number;
  window: number;
  /** Not the first range: its first events may have begun in the range before. */
  holdHead: boolean;
  /** Not the last range: its open events at the end may continue in the next. */
  keepTail: boolean;
}

/** Scans one byte range of a file synchronously (the body of a worker thread). */
export function scanRange(
  job: RangeJob,
  progress?: (bytes: number) => void,
  headComplete?: (head: StraddlingEvents) => void,
): PartResult {
  const part = new PartScanner(job.path, {
    window: job.window, holdHead: job.holdHead, headComplete,
  });
  const fd = openSync(job.path, 'r');
  try {
    let position = job.start;
    while (position < job.end) {
      const read = part.pushFromFile(fd, position, Math.min(readSize, job.end - position));
      if (read === 0) break;
      position += read;
      progress?.(read);
    }
  } finally {
    closeSync(fd);
  }
  return part.finish(job.keepTail);
}

/** How much longer the range this thread scans is than a worker's (see scanInWorkers). */
const firstRangeWeight = 1.1;

/** Bytes the calling thread scans between two turns of its event loop. */
const turnBytes = 4 << 20;

/**
 * Scans one byte range on the calling thread, giving the event loop a turn every few
 * MiB: the workers' messages, a cancellation and (in the language server) requests are
 * still served while it runs, as they are while a small file is read.
 */
async function scanRangeHere(
  job: RangeJob,
  progress: (bytes: number) => void,
  signal: AbortSignal | undefined,
): Promise<PartScanner> {
  const part = new PartScanner(job.path, { window: job.window, holdHead: job.holdHead });
  const fd = openSync(job.path, 'r');
  try {
    let position = job.start;
    let sinceTurn = 0;
    while (position < job.end) {
      const read = part.pushFromFile(fd, position, Math.min(readSize, job.end - position));
      if (read === 0) break;
      position += read;
      progress(read);
      sinceTurn += read;
      if (sinceTurn >= turnBytes) {
        sinceTurn = 0;
        await new Promise((resolve) => setImmediate(resolve));
        if (signal?.aborted) throw new AbortError();
      }
    }
  } finally {
    closeSync(fd);
  }
  return part;
}

/** What a worker thread posts: progress, its held first events early, its result. */
interface WorkerMessage {
  progress?: number;
  head?: StraddlingEvents;
  result?: PackedPartResult;
}

/**
 * Byte offsets that split a file into `count` ranges, each starting at a line start. The
 * first range is `firstWeight` times as long as each of the others.
 */
export function lineAlignedCuts(
  path: string,
  size: number,
  count: number,
  firstWeight = 1,
): number[] {
  const cuts = [0];
  const fd = openSync(path, 'r');
  try {
    const probe = Buffer.allocUnsafe(64 * 1024);
    const weights = firstWeight + count - 1;
    for (let i = 1; i < count; i++) {
      const share = (firstWeight + i - 1) / weights;
      let position = Math.max(cuts[cuts.length - 1], Math.floor(size * share));
      let cut = -1;
      while (position < size && cut < 0) {
        const read = readSync(fd, probe, 0, probe.length, position);
        if (read === 0) break;
        const newline = probe.subarray(0, read).indexOf(0x0a);
        if (newline >= 0) cut = position + newline + 1;
        position += read;
      }
      if (cut < 0 || cut >= size) break;
      if (cut > cuts[cuts.length - 1]) cuts.push(cut);
    }
  } finally {
    closeSync(fd);
  }
  cuts.push(size);
  return cuts;
}

function workerScript(): string | undefined {
  // Bundled: dist/log-worker.js beside dist/cli.js; compiled by tsc: worker.js beside this.
  for (const candidate of [join(__dirname, 'log-worker.js'), join(__dirname, 'worker.js')]) {
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

async function scanInWorkers(
  path: string,
  size: number,
  workers: number,
  window: number,
  progress: (file: string, bytes: number) => void,
  signal: AbortSignal | undefined,
): Promise<TallySnapshot[]> {
  const script = workerScript();
  // This thread scans the first range (see below): it starts at once, while a worker
  // first starts a thread and loads its code, and its result needs neither packing nor
  // unpacking. The range is longer by about what those cost.
  const cuts = lineAlignedCuts(path, size, workers, script === undefined ? 1 : firstRangeWeight);
  const jobs: RangeJob[] = [];
  for (let i = 0; i + 1 < cuts.length; i++) {
    jobs.push({
      path, start: cuts[i], end: cuts[i + 1], window,
      holdHead: i > 0, keepTail: i + 2 < cuts.length,
    });
  }

  const name = path;
  // The held first events of each range, when a worker sends them ahead of its result;
  // and for each range, its held first events once known (undefined: the worker failed).
  const earlyHeads: (StraddlingEvents | undefined)[] = jobs.map(() => undefined);
  const headSettlers: ((head: StraddlingEvents | undefined) => void)[] = [];
  const heads = jobs.map((_, index) => new Promise<StraddlingEvents | undefined>((resolve) => {
    headSettlers[index] = resolve;
  }));
  const headReady = (index: number, head: StraddlingEvents | undefined) =>
    headSettlers[index](head);
  const run = (job: RangeJob, index: number): Promise<PartResult | PackedPartResult> => {
    if (script === undefined) return Promise.resolve(scanRange(job, (b) => progress(name, b)));
    return new Promise((resolve, reject) => {
      // A small young generation keeps each thread's resident memory low: almost every
      // object of a scan dies young, so the extra scavenges are cheap.
      const worker = new Worker(script, {
        workerData: job,
        resourceLimits: { maxYoungGenerationSizeMb: 6 },
      });
      const onAbort = () => {
        void worker.terminate();
        reject(new AbortError());
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      let packed: PackedPartResult | undefined;
      worker.on('message', (message: WorkerMessage) => {
        if (message.progress !== undefined) progress(name, message.progress);
        if (message.head !== undefined) {
          earlyHeads[index] = message.head;
          headReady(index, message.head);
        }
        if (message.result !== undefined) packed = message.result;
      });
      worker.on('error', (error) => {
        signal?.removeEventListener('abort', onAbort);
        headReady(index, undefined);
        reject(error);
      });
      worker.on('exit', (code) => {
        signal?.removeEventListener('abort', onAbort);
        // The result is unpacked once the thread's heap is gone: the two do not add up
        // in the peak memory of the run.
        if (code === 0 && packed !== undefined) {
          headReady(index, earlyHeads[index] ?? packed.head);
          resolve(packed);
        } else {
          headReady(index, undefined);
          reject(new Error(`log worker exited with code ${code}`));
        }
      });
    });
  };

  if (signal?.aborted) throw new AbortError();
  // The first range is scanned here, while the workers scan the others: this thread
  // would otherwise wait idle for them, and its result needs no packing. A thread started
  // for it would also begin later, and cold.
  const here = script !== undefined;
  // With two ranges, this thread joins its open last events to the second range's held
  // first ones itself, as soon as it is done and they have come (early, see headComplete).
  const joinHere = here && jobs.length === 2;
  const running: Promise<PartResult | PackedPartResult>[] = jobs.map((job, i) =>
    (here && i === 0 ? Promise.resolve(undefined as unknown as PartResult) : run(job, i)));
  // After the workers are started: this scan runs until its first turn of the event loop.
  if (here) {
    running[0] = scanRangeHere(jobs[0], (b) => progress(name, b), signal)
      .then(async (part) => {
        // undefined when the worker failed: its rejection is reported below.
        const head = joinHere ? await heads[1] : undefined;
        return head === undefined ? part.finish(jobs[0].keepTail) : part.finishJoined(head);
      });
  }
  // Awaited in file order below; a later range's failure is seen when its turn comes.
  for (const result of running) result.catch(() => undefined);

  // Ranges are unpacked in file order, each as soon as it and those before it are done:
  // the first range to finish is unpacked while the others still scan. A bucket already
  // met is counted into the first one met instead of being built again: the merge would
  // add them up just so.
  const known = new Map<string, EventProfileBucket>();
  const received: (PartResult | PackedPartResult)[] = [];
  const results: PartResult[] = [];
  for (const pending of running) {
    const result = await pending;
    received.push(result);
    if ('profileKeys' in result) results.push(unpackPartResult(result, known));
    else {
      for (const [key, bucket] of result.snapshot.profile) {
        if (!known.has(key)) known.set(key, bucket);
      }
      results.push(result);
    }
  }

  // Events that may straddle cuts are joined across all ranges at once: a short range can
  // be wholly inside the grouping window, so its events meet both neighbours. In file
  // order: a range's held first events, then its open last ones.
  const noEvents = packStraddling([], new RecordNames());
  const straddling = received.flatMap((result, i) => [
    { piece: joinHere && i === 1 ? noEvents : earlyHeads[i] ?? result.head,
      cut: Math.max(0, i - 1) },
    { piece: result.tail, cut: i },
  ]);
  const boundaries = boundarySnapshots(straddling, received.length - 1, window);

  // Line numbers of skipped lines are counted per range; make them file-relative.
  let linesBefore = 0;
  const snapshots: TallySnapshot[] = [];
  for (let i = 0; i < results.length; i++) {
    const result = results[i];
    for (const sample of result.snapshot.skippedSamples) sample.line += linesBefore;
    linesBefore += result.lines;
    result.snapshot.files = i === 0 ? [path] : [];
    snapshots.push(result.snapshot);
    const boundary = boundaries[i];
    if (boundary !== undefined) snapshots.push(boundary);
  }
  return snapshots;
}
