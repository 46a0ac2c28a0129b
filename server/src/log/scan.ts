/**
 * The one place where audit.log bytes become records. Every reader of logs (the CLI, the
 * language server, the worker threads, the tests) goes through this file, so a parsing fix
 * lands everywhere at once.
 *
 * The scanner copies each chunk into the memory of a small WebAssembly module
 * (server/wasm/recordScan.ts) that finds line ends, reads record heads
 * (`node=`, `type=`, `msg=audit(SEC.MILLIS:SERIAL)`) and, when asked, the fields that events
 * use, into fixed-size descriptors of numbers and offsets. This file turns descriptors into
 * views, names and strings; a string is decoded once per distinct byte string. Lines are
 * never split into strings.
 *
 * Record format mirrored (auditd 3.0.9 / 4.2): `[node=NAME ]type=NAME msg=audit(S.M:N): ...`
 * with an optional 0x1D separator before the ENRICHED interpretation (log_format=ENRICHED).
 */

import { readSync } from 'node:fs';
import { visibleText } from '../rules/visibleText';
import { recordScanWasm } from './recordScanWasm';

const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const TAB = 0x09;
const GS = 0x1d; // AUDIT_INTERP_SEPARATOR
const DQUOTE = 0x22;
const SQUOTE = 0x27;
const EQ = 0x3d;
const COLON = 0x3a;
const DOT = 0x2e;
const LPAREN = 0x28;
const RPAREN = 0x29;
const DIGIT0 = 0x30;
const DIGIT9 = 0x39;

/** The latest time a Date holds, and the largest kernel serial (32 bits). */
const maxTimeMs = 8.64e15;
const maxSerial = 4294967295;

const NODE_PREFIX = Buffer.from('node=');
const TYPE_PREFIX = Buffer.from('type=');
const SPACE_TYPE = Buffer.from(' type=');
const MSG_AUDIT = Buffer.from('msg=audit(');

/**
 * The longest line kept whole. The kernel caps a record at 8970 bytes (MAX_AUDIT_MESSAGE_
 * LENGTH); a longer line is junk, and keeping it would let memory grow with the input.
 */
const maxLineBytes = 64 << 20;

/** Why a line was not read as an audit record. */
export type SkipReason =
  | 'ausearch-interpreted'
  | 'ausearch-separator'
  | 'syslog'
  | 'binary'
  | 'comment'
  | 'malformed-record'
  | 'truncated'
  | 'too-long'
  | 'not-audit';

export const skipReasonText: Readonly<Record<SkipReason, string>> = {
  'ausearch-interpreted': 'interpreted `ausearch -i` output, not a raw audit.log record',
  'ausearch-separator': 'an `ausearch` event separator or time header',
  'syslog': 'a syslog line, not an audit.log record',
  'binary': 'binary data',
  'comment': 'a comment line',
  'malformed-record': 'starts like a record but has no valid msg=audit(SECONDS.MILLIS:SERIAL)',
  'truncated': 'the last line ends without a newline and is not a complete record',
  'too-long': `a line longer than ${maxLineBytes >> 20} MiB (no audit record is): skipped ` +
    'to its end',
  'not-audit': 'not an audit record',
};

/** One skipped line, as reported to the user (the first few of a run). */
export interface SkippedLine {
  file: string;
  line: number;
  reason: SkipReason;
  /** The start of the line, with control and non-ASCII bytes escaped. */
  text: string;
}

/**
 * A view of one record inside a Buffer. The scanner reuses one view for every record:
 * it is valid only during the sink callback. Offsets are absolute within `buf`.
 */
export class RecordView {
  buf: Buffer = Buffer.alloc(0);
  lineStart = 0;
  /** End of the line, without the newline (and without a trailing CR). */
  lineEnd = 0;
  /** Bytes the record takes in the file, newline included. */
  bytes = 0;
  /** First byte after `msg=audit(...):` and its space. */
  bodyStart = 0;
  nodeId = 0;
  typeId = 0;
  seconds = 0;
  millis = 0;
  serial = 0;
  lineNumber = 0;
  fileIndex = 0;
  /** The scanner's descriptor of this record (none for views built by parseRecordLine). */
  descriptor: DescriptorMemory | undefined = undefined;
  descriptorAt = 0;

  /** Milliseconds since the epoch. */
  get timeMs(): number {
    return this.seconds * 1000 + this.millis;
  }

  get text(): string {
    return this.buf.toString('latin1', this.lineStart, this.lineEnd);
  }

  /**
   * Reads the fields that events and rankings use into `facts`, emptied first. Returns true
   * when the record has an ENRICHED part.
   */
  readFacts(facts: RecordFacts, strings: FactStrings): boolean {
    resetFacts(facts);
    return this.mergeFacts(facts, strings, true);
  }

  /**
   * Reads the record's facts into an event's: a value the record has replaces the event's
   * when `override` is set (the SYSCALL record), and fills it in when the event lacks it
   * otherwise. Returns true when the record has an ENRICHED part.
   */
  mergeFacts(into: RecordFacts, strings: FactStrings, override: boolean): boolean {
    const memory = this.descriptor;
    if (memory === undefined) throw new Error('mergeFacts needs a record from RecordScanner');
    return memory.mergeFacts(this.descriptorAt, into, strings, override);
  }
}

export interface RecordSink {
  record(view: RecordView): void;
  skipped(lineNumber: number, reason: SkipReason, buf: Buffer, start: number, end: number): void;
  blank?(lineNumber: number): void;
}

// --- interning: names seen once per distinct byte string, not once per record ----------

/** Maps byte strings to small ids and strings without decoding the same bytes twice. */
export class ByteInterner {
  readonly names: string[] = [''];
  private readonly keys: Buffer[] = [Buffer.alloc(0)];
  private readonly byHash = new Map<number, number[]>();

  constructor(private readonly decode: (buf: Buffer, start: number, end: number) => string) {}

  /** Direct-mapped cache of recent ids: most names repeat within a few records. */
  private readonly recent = new Int32Array(1024);

  idOf(buf: Buffer, start: number, end: number): number {
    const length = end - start;
    // Sampled bytes: names of one length often share their start, end and middle (paths
    // such as /opt/app12/bin/worker), so a quarter and three quarters in are mixed too.
    const slot = length === 0 ? 0 :
      (Math.imul(length, 31) ^ buf[start] ^ (buf[end - 1] << 3) ^
        (buf[start + (length >> 1)] << 5) ^ (buf[start + (length >> 2)] << 2) ^
        (buf[end - 1 - (length >> 2)] << 4) ^ (buf[end - 2 + (length === 1 ? 1 : 0)] << 1)) & 1023;
    const cached = this.recent[slot];
    const key = this.keys[cached];
    if (key.length === length) {
      let i = 0;
      while (i < length && key[i] === buf[start + i]) i++;
      if (i === length) return cached;
    }
    const id = this.lookup(buf, start, end);
    this.recent[slot] = id;
    return id;
  }

  private lookup(buf: Buffer, start: number, end: number): number {
    let hash = end - start;
    for (let i = start; i < end; i++) hash = (Math.imul(hash, 31) + buf[i]) | 0;
    // Kept within 30 bits: a small-integer Map key costs no allocation.
    hash &= 0x3fffffff;

    const candidates = this.byHash.get(hash);
    if (candidates !== undefined) {
      const length = end - start;
      for (let c = 0; c < candidates.length; c++) {
        const id = candidates[c];
        const key = this.keys[id];
        if (key.length !== length) continue;
        // A byte loop: names are short, and a native compare costs more to call.
        let i = 0;
        while (i < length && key[i] === buf[start + i]) i++;
        if (i === length) return id;
      }
    }

    const id = this.names.length;
    this.keys.push(Buffer.from(buf.subarray(start, end)));
    this.names.push(this.decode(buf, start, end));
    if (candidates !== undefined) candidates.push(id);
    else this.byHash.set(hash, [id]);
    return id;
  }

  /** Ids of names given as strings (another scan's), kept: each would need a Buffer. */
  private readonly byString = new Map<string, number>();

  idOfString(name: string): number {
    let id = this.byString.get(name);
    if (id === undefined) {
      const buf = Buffer.from(name, 'latin1');
      id = this.idOf(buf, 0, buf.length);
      this.byString.set(name, id);
    }
    return id;
  }
}

const latin1 = (buf: Buffer, start: number, end: number) => buf.toString('latin1', start, end);

/** Record type and node names seen by one scanner; ids are per scanner. */
export class RecordNames {
  readonly types = new ByteInterner(latin1);
  readonly nodes = new ByteInterner(latin1);
}

// --- the line scanner -----------------------------------------------------------------

export interface ScannerOptions {
  fileIndex?: number;
  /** Line number of the first line pushed (1 unless scanning from a byte range). */
  firstLine?: number;
  names?: RecordNames;
}

// Descriptor layout of server/wasm/recordScan.ts, in 4-byte (i32) and 8-byte (f64) slots.
const DESCRIPTOR_BYTES = 232;
const D_KIND = 0;
const D_LINE_START = 1;
const D_LINE_END = 2;
const D_BYTES = 3;
const D_BODY_START = 4;
const D_NODE_START = 5;
const D_NODE_END = 6;
const D_TYPE_START = 7;
const D_TYPE_END = 8;
const D_FIELDS_READ = 9;
const D_FLAGS = 10;
const D_SUCCESS = 11;
const D_EXE_START = 12;
const D_EXE_END = 13;
const D_EXE_KIND = 14;
const D_KEY_START = 15;
const D_KEY_END = 16;
const D_KEY_KIND = 17;
const D_SUBJ_START = 18;
const D_SUBJ_END = 19;
const D_SECONDS = 12;
const D_MILLIS = 13;
const D_SERIAL = 14;
const D_ARCH = 15;
const D_SYSCALL = 16;
const D_EXIT = 17;
const D_UID = 18;
const D_A1 = 27;
const D_A2 = 28;
const KIND_RECORD = 0;
const KIND_BLANK = 2;
const FLAG_ENRICHED = 1;
const FLAG_HAS_EXIT = 2;
const FLAG_TERMINATED = 4;

/** The id of a text value: 2 x id, or 2 x id + 1 for hex-encoded text (kind 1). */
function textId(
  bytes: Buffer,
  kind: number,
  start: number,
  end: number,
  plain: ByteInterner,
  hex: ByteInterner,
): number {
  return kind === 1 ? hex.idOf(bytes, start, end) * 2 + 1 : plain.idOf(bytes, start, end) * 2;
}

/** Descriptors filled per call into the module. */
const BATCH = 512;
/** Bytes the line-end search may read past the data (it reads 16 at a time). */
const PADDING = 32;
const PAGE = 65536;

/** The parts of the WebAssembly API used here (the project's lib settings carry no DOM types). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

interface ScanExports {
  memory: WasmMemory;
  descriptorBytes(): number;
  heapBase(): number;
  consumed(): number;
  scanLines(
    from: number, end: number, final: number, out: number, max: number, searched: number,
  ): number;
  readFields(descriptor: number): void;
}

let scanModule: object | undefined;

function instantiateScanner(): ScanExports {
  scanModule ??= new wasm.Module(Buffer.from(recordScanWasm, 'base64'));
  const exports = new wasm.Instance(scanModule, {}).exports as ScanExports;
  if (exports.descriptorBytes() !== DESCRIPTOR_BYTES) {
    throw new Error('the log scanner module does not match scan.ts: run npm run build');
  }
  return exports;
}

/** One scanner's module memory: the descriptors, then the bytes being scanned. */
class DescriptorMemory {
  readonly exports = instantiateScanner();
  readonly out: number;
  readonly input: number;
  bytes!: Buffer;
  private i32!: Int32Array;
  private f64!: Float64Array;

  constructor() {
    this.out = (this.exports.heapBase() + 15) & ~15;
    this.input = this.out + BATCH * DESCRIPTOR_BYTES;
    this.ensure(this.input + (1 << 20) + PADDING);
  }

  /** Grows the memory to at least `size` bytes; views are renewed (growing detaches them). */
  ensure(size: number): void {
    const memory = this.exports.memory;
    if (this.bytes !== undefined && memory.buffer.byteLength >= size) return;
    const have = memory.buffer.byteLength;
    if (have < size) memory.grow(Math.ceil((size - have) / PAGE));
    this.bytes = Buffer.from(memory.buffer);
    this.i32 = new Int32Array(memory.buffer);
    this.f64 = new Float64Array(memory.buffer);
  }

  /** Slot index (i32) of descriptor `index` of the last scan. */
  slot(index: number): number {
    return (this.out + index * DESCRIPTOR_BYTES) >> 2;
  }

  fillView(at: number, view: RecordView, names: RecordNames): void {
    const i32 = this.i32;
    const f64 = this.f64;
    const wide = at >> 1;
    const nodeStart = i32[at + D_NODE_START];
    view.buf = this.bytes;
    view.lineStart = i32[at + D_LINE_START];
    view.lineEnd = i32[at + D_LINE_END];
    view.bytes = i32[at + D_BYTES];
    view.bodyStart = i32[at + D_BODY_START];
    view.nodeId = nodeStart < 0 ? 0 : names.nodes.idOf(this.bytes, nodeStart, i32[at + D_NODE_END]);
    view.typeId = names.types.idOf(this.bytes, i32[at + D_TYPE_START], i32[at + D_TYPE_END]);
    view.seconds = f64[wide + D_SECONDS];
    view.millis = f64[wide + D_MILLIS];
    view.serial = f64[wide + D_SERIAL];
    view.descriptor = this;
    view.descriptorAt = at;
  }

  /** See RecordView.mergeFacts. */
  mergeFacts(at: number, into: RecordFacts, strings: FactStrings, override: boolean): boolean {
    const i32 = this.i32;
    if (i32[at + D_FIELDS_READ] === 0) this.exports.readFields(at << 2);
    const f64 = this.f64;
    const wide = at >> 1;
    let value = 0;

    if ((value = f64[wide + D_ARCH]) !== ABSENT && (override || into.arch === ABSENT)) {
      into.arch = value;
    }
    if ((value = f64[wide + D_SYSCALL]) !== ABSENT && (override || into.syscall === ABSENT)) {
      into.syscall = value;
    }
    if ((value = i32[at + D_SUCCESS]) !== ABSENT && (override || into.success === ABSENT)) {
      into.success = value;
    }
    const flags = i32[at + D_FLAGS];
    if ((flags & FLAG_HAS_EXIT) !== 0 && (override || !into.hasExit)) {
      into.exit = f64[wide + D_EXIT];
      into.hasExit = true;
    }
    // Field by field, written out: a loop over names would make each store a lookup.
    const ids = wide + D_UID;
    if ((value = f64[ids]) !== ABSENT && (override || into.uid === ABSENT)) into.uid = value;
    if ((value = f64[ids + 1]) !== ABSENT && (override || into.auid === ABSENT)) {
      into.auid = value;
    }
    if ((value = f64[ids + 2]) !== ABSENT && (override || into.euid === ABSENT)) {
      into.euid = value;
    }
    if ((value = f64[ids + 3]) !== ABSENT && (override || into.suid === ABSENT)) {
      into.suid = value;
    }
    if ((value = f64[ids + 4]) !== ABSENT && (override || into.fsuid === ABSENT)) {
      into.fsuid = value;
    }
    if ((value = f64[ids + 5]) !== ABSENT && (override || into.gid === ABSENT)) into.gid = value;
    if ((value = f64[ids + 6]) !== ABSENT && (override || into.egid === ABSENT)) {
      into.egid = value;
    }
    if ((value = f64[ids + 7]) !== ABSENT && (override || into.sgid === ABSENT)) {
      into.sgid = value;
    }
    if ((value = f64[ids + 8]) !== ABSENT && (override || into.fsgid === ABSENT)) {
      into.fsgid = value;
    }
    if (override) {
      into.a1 = f64[wide + D_A1];
      into.a2 = f64[wide + D_A2];
    }

    // Strings are looked up only where they are taken.
    const bytes = this.bytes;
    const exeKind = i32[at + D_EXE_KIND];
    if (exeKind >= 0 && (override || into.exe === undefined)) {
      into.exeId = textId(bytes, exeKind, i32[at + D_EXE_START], i32[at + D_EXE_END],
        strings.exe, strings.hexExe);
      into.exe = codeString(into.exeId, strings.exe, strings.hexExe);
    }
    const keyKind = i32[at + D_KEY_KIND];
    if (keyKind >= 0 && (override || into.key === undefined)) {
      into.keyId = textId(bytes, keyKind, i32[at + D_KEY_START], i32[at + D_KEY_END],
        strings.key, strings.hexKey);
      into.key = codeString(into.keyId, strings.key, strings.hexKey);
    }
    const subjStart = i32[at + D_SUBJ_START];
    if (subjStart >= 0 && (override || into.subj === undefined)) {
      into.subjId = strings.subj.idOf(bytes, subjStart, i32[at + D_SUBJ_END]);
      into.subj = strings.subj.names[into.subjId];
    }
    return (flags & FLAG_ENRICHED) !== 0;
  }

  kind(at: number): number {
    return this.i32[at + D_KIND];
  }

  lineStart(at: number): number {
    return this.i32[at + D_LINE_START];
  }

  lineEnd(at: number): number {
    return this.i32[at + D_LINE_END];
  }

  terminated(at: number): boolean {
    return (this.i32[at + D_FLAGS] & FLAG_TERMINATED) !== 0;
  }
}

/**
 * Splits pushed chunks into lines and hands each record to the sink. A partial line is
 * kept in the module's memory until its newline arrives, however long it is.
 */
export class RecordScanner {
  readonly names: RecordNames;
  readonly view = new RecordView();
  private readonly memory = new DescriptorMemory();
  /** Bytes of an incomplete line kept at the start of the input area. */
  private carryBytes = 0;
  /** Inside a line longer than maxLineBytes: its bytes are dropped up to its newline. */
  private skippingLongLine = false;
  private lineNumber: number;

  constructor(private readonly sink: RecordSink, options: ScannerOptions = {}) {
    this.names = options.names ?? new RecordNames();
    this.view.fileIndex = options.fileIndex ?? 0;
    this.lineNumber = (options.firstLine ?? 1) - 1;
  }

  /** Lines seen so far. */
  get lines(): number {
    return this.lineNumber;
  }

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    const memory = this.memory;
    const dataEnd = memory.input + this.carryBytes + chunk.length;
    memory.ensure(dataEnd + PADDING);
    memory.bytes.set(chunk, memory.input + this.carryBytes);
    this.scanInput(dataEnd);
  }

  /**
   * Reads up to `length` bytes of a file at `position` straight into the scanner's memory
   * and scans them: no copy, and the bytes are still in the cache when they are read.
   * Returns the bytes read (0 at the end of the file).
   */
  pushFromFile(fd: number, position: number, length: number): number {
    const memory = this.memory;
    const at = memory.input + this.carryBytes;
    memory.ensure(at + length + PADDING);
    const read = readSync(fd, memory.bytes, at, length, position);
    if (read > 0) this.scanInput(at + read);
    return read;
  }

  private scanInput(dataEnd: number): void {
    const memory = this.memory;
    const input = memory.input;
    if (this.skippingLongLine) {
      const newline = memory.bytes.subarray(input, dataEnd).indexOf(LF);
      if (newline < 0) return;
      this.skippingLongLine = false;
      memory.bytes.copyWithin(input, input + newline + 1, dataEnd);
      dataEnd -= newline + 1;
    }

    const searched = input + this.carryBytes;
    const next = this.scan(input, dataEnd, false, searched);
    // The incomplete last line moves to the start of the input area for the next chunk.
    if (next > input) memory.bytes.copyWithin(input, next, dataEnd);
    this.carryBytes = dataEnd - next;

    if (this.carryBytes > maxLineBytes) {
      this.lineNumber++;
      this.sink.skipped(this.lineNumber, 'too-long', memory.bytes, input, input + 256);
      this.carryBytes = 0;
      this.skippingLongLine = true;
    }
  }

  /** Flushes a last line that has no newline. */
  end(): void {
    this.skippingLongLine = false;
    if (this.carryBytes === 0) return;
    const memory = this.memory;
    const dataEnd = memory.input + this.carryBytes;
    // A byte <= 0x20 after the line stops the field reader's unbounded value loops.
    memory.bytes[dataEnd] = 0;
    this.carryBytes = 0;
    this.scan(memory.input, dataEnd, true, dataEnd);
  }

  /** Describes and delivers the lines of [from, end); returns the first byte not used. */
  private scan(from: number, end: number, final: boolean, searched: number): number {
    const memory = this.memory;
    const exports = memory.exports;
    let start = from;
    for (;;) {
      const count = exports.scanLines(start, end, final ? 1 : 0, memory.out, BATCH, searched);
      start = exports.consumed();
      this.deliver(count);
      if (count < BATCH) return start;
    }
  }

  private deliver(count: number): void {
    const memory = this.memory;
    const view = this.view;
    const sink = this.sink;
    for (let i = 0; i < count; i++) {
      const at = memory.slot(i);
      this.lineNumber++;
      const kind = memory.kind(at);
      if (kind === KIND_RECORD) {
        memory.fillView(at, view, this.names);
        view.lineNumber = this.lineNumber;
        sink.record(view);
      } else if (kind === KIND_BLANK) {
        sink.blank?.(this.lineNumber);
      } else {
        const start = memory.lineStart(at);
        const end = memory.lineEnd(at);
        let reason = classifyNonRecord(memory.bytes, start, end);
        if (!memory.terminated(at) && (reason === 'malformed-record' || reason === 'not-audit')) {
          reason = 'truncated';
        }
        sink.skipped(this.lineNumber, reason, memory.bytes, start, end);
      }
    }
  }
}

function startsWith(buf: Buffer, at: number, end: number, prefix: Buffer): boolean {
  if (end - at < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) {
    if (buf[at + i] !== prefix[i]) return false;
  }
  return true;
}

/**
 * Reads `[node=NAME ]type=NAME msg=audit(SEC.MILLIS:SERIAL):` into the view. Returns false
 * when the line is not a raw record (the caller then classifies it).
 */
export function readRecordHead(
  buf: Buffer,
  start: number,
  end: number,
  view: RecordView,
  names: RecordNames,
): boolean {
  let p = start;
  view.nodeId = 0;

  if (buf[p] === 0x6e && startsWith(buf, p, end, NODE_PREFIX)) {
    // A node name may hold spaces (name_format=user); it ends at the first " type=".
    const nameStart = p + NODE_PREFIX.length;
    const typeAt = indexWithin(buf, SPACE_TYPE, nameStart, end);
    if (typeAt < 0) return false;
    view.nodeId = names.nodes.idOf(buf, nameStart, typeAt);
    p = typeAt + 1;
  }

  // Spot checks instead of full compares: a line that passes them and then has a valid
  // audit(SECONDS.MILLIS:SERIAL) stamp is a record in any reading.
  if (buf[p] !== 0x74 || buf[p + 4] !== EQ || end - p < 5) return false;
  p += TYPE_PREFIX.length;
  const typeStart = p;
  while (p < end && buf[p] !== SPACE) p++;
  if (p === typeStart || p >= end) return false;
  const typeEnd = p;
  p++;

  if (buf[p] !== 0x6d || buf[p + 3] !== EQ || buf[p + 9] !== LPAREN || end - p < 10) {
    return false;
  }
  p += MSG_AUDIT.length;

  const seconds = readDecimal(buf, p, end, DOT);
  if (seconds === undefined) return false;
  const millis = readDecimal(buf, seconds.next, end, COLON);
  if (millis === undefined) return false;
  const serial = readDecimal(buf, millis.next, end, RPAREN);
  if (serial === undefined) return false;
  p = serial.next;
  // A time a date cannot hold (past the year 275760) or a serial over 32 bits (the
  // kernel's counter) is no record auditd wrote.
  if (seconds.value * 1000 + millis.value > maxTimeMs || serial.value > maxSerial) return false;
  if (p < end && buf[p] === COLON) p++;
  while (p < end && buf[p] === SPACE) p++;

  view.buf = buf;
  view.lineStart = start;
  view.lineEnd = end;
  view.bodyStart = p;
  view.typeId = names.types.idOf(buf, typeStart, typeEnd);
  view.seconds = seconds.value;
  view.millis = millis.value;
  view.serial = serial.value;
  return true;
}

/**
 * The digits at `p` (at least one) and the `stop` byte after them: their value, read digit
 * by digit as a double as the scanner's module reads it, and the position after `stop`.
 */
function readDecimal(
  buf: Buffer,
  p: number,
  end: number,
  stop: number,
): { value: number; next: number } | undefined {
  const first = p;
  let value = 0;
  let c = 0;
  while (p < end && (c = buf[p]) >= DIGIT0 && c <= DIGIT9) {
    value = value * 10 + (c - DIGIT0);
    p++;
  }
  if (p === first || p >= end || buf[p] !== stop) return undefined;
  return { value, next: p + 1 };
}

function indexWithin(buf: Buffer, needle: Buffer, from: number, end: number): number {
  // Bounded search: Buffer.indexOf would run past the line on a line without a match.
  const first = needle[0];
  const last = end - needle.length;
  for (let i = from; i <= last; i++) {
    if (buf[i] !== first) continue;
    let j = 1;
    while (j < needle.length && buf[i + j] === needle[j]) j++;
    if (j === needle.length) return i;
  }
  return -1;
}

const MONTHS = new Set([
  'Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec',
]);

/** Names what a line that is not a raw record is. */
export function classifyNonRecord(buf: Buffer, start: number, end: number): SkipReason {
  const probeEnd = Math.min(end, start + 256);
  let control = 0;
  for (let i = start; i < probeEnd; i++) {
    const c = buf[i];
    if (c === 0) return 'binary';
    if ((c < SPACE && c !== TAB && c !== GS) || c === 0x7f) control++;
  }
  if (control * 8 > probeEnd - start) return 'binary';

  const head = buf.toString('latin1', start, Math.min(end, start + 64));
  if (head.startsWith('----')) return 'ausearch-separator';
  if (head.startsWith('time->')) return 'ausearch-separator';
  if (head.startsWith('#')) return 'comment';

  if (head.startsWith('type=') || head.startsWith('node=')) {
    // ausearch -i prints msg=audit(04/12/2017 22:48:09.295:58) : with a local date.
    const line = buf.toString('latin1', start, Math.min(end, start + 512));
    const interpreted = /msg=audit\([^)]*[/ -][^)]*:\d+\) :/.test(line);
    return interpreted ? 'ausearch-interpreted' : 'malformed-record';
  }

  // BSD syslog "Dec  3 13:30:21 host prog: ...", RFC 5424 "<13>1 2026-..." or RFC 3339.
  if (MONTHS.has(head.slice(0, 3)) && /^[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d /.test(head)) {
    return 'syslog';
  }
  if (/^<\d{1,3}>/.test(head)) return 'syslog';
  if (/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/.test(head)) return 'syslog';
  return 'not-audit';
}

/** A short printable form of a skipped line for reports. */
export function printableLine(buf: Buffer, start: number, end: number, max = 120): string {
  let out = '';
  const stop = Math.min(end, start + max);
  for (let i = start; i < stop; i++) {
    const c = buf[i];
    // Printable ASCII and tabs as they are, as the rankings show names (visibleText).
    if ((c >= SPACE && c < 0x7f) || c === 0x09) {
      out += String.fromCharCode(c);
      continue;
    }
    // A whole UTF-8 character is shown as itself (unless it is one a person cannot see);
    // any other byte as \xNN. A character the cut would split ends the preview before it.
    const length = c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3
      : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
    if (length > 0 && i + length <= end && continuationBytes(buf, i + 1, i + length)) {
      const character = buf.toString('utf8', i, i + length);
      if (!character.includes('\ufffd')) {
        if (i + length > stop) return `${out}...`;
        out += visibleText(character);
        i += length - 1;
        continue;
      }
    }
    out += '\\x' + c.toString(16).padStart(2, '0');
  }
  return end > stop ? out + '...' : out;
}

function continuationBytes(buf: Buffer, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if ((buf[i] & 0xc0) !== 0x80) return false;
  return true;
}

// --- fields ---------------------------------------------------------------------------

/** The facts of one record that the event grouping and the rankings use. */
export interface RecordFacts {
  arch: number;
  syscall: number;
  success: number;
  exit: number;
  hasExit: boolean;
  uid: number;
  auid: number;
  euid: number;
  suid: number;
  fsuid: number;
  gid: number;
  egid: number;
  sgid: number;
  fsgid: number;
  /** Low 32 bits of the syscall arguments a1 and a2 (open and openat flags). */
  a1: number;
  a2: number;
  exe: string | undefined;
  key: string | undefined;
  subj: string | undefined;
  /**
   * Ids of exe, key and subj within the scan's FactStrings (NO_STRING when absent,
   * FOREIGN_STRING when the string came from another thread): equal ids, equal strings.
   */
  exeId: number;
  keyId: number;
  subjId: number;
}

export const NO_STRING = -1;
export const FOREIGN_STRING = -2;

/** A value that a record did not carry. Real ids are 0..4294967295, so -1 is free. */
export const ABSENT = -1;

/**
 * RecordFacts as fields of a class: events and profile slots extend it. The numbers start
 * as NaN and are then emptied (resetFacts): a field first written with a small integer such
 * as -1 changes kind when the first id such as 4294967295 arrives, and the code compiled
 * for it is thrown away.
 */
export class FactFields implements RecordFacts {
  arch = NaN;
  syscall = NaN;
  success = NaN;
  exit = NaN;
  hasExit = false;
  uid = NaN;
  auid = NaN;
  euid = NaN;
  suid = NaN;
  fsuid = NaN;
  gid = NaN;
  egid = NaN;
  sgid = NaN;
  fsgid = NaN;
  a1 = NaN;
  a2 = NaN;
  exe: string | undefined = undefined;
  key: string | undefined = undefined;
  subj: string | undefined = undefined;
  exeId = NaN;
  keyId = NaN;
  subjId = NaN;

  constructor() {
    resetFacts(this);
  }
}

export function emptyFacts(): RecordFacts {
  return new FactFields();
}

export function resetFacts(facts: RecordFacts): void {
  facts.arch = ABSENT;
  facts.syscall = ABSENT;
  facts.success = ABSENT;
  facts.exit = 0;
  facts.hasExit = false;
  facts.uid = ABSENT;
  facts.auid = ABSENT;
  facts.euid = ABSENT;
  facts.suid = ABSENT;
  facts.fsuid = ABSENT;
  facts.gid = ABSENT;
  facts.egid = ABSENT;
  facts.sgid = ABSENT;
  facts.fsgid = ABSENT;
  facts.a1 = 0;
  facts.a2 = 0;
  facts.exe = undefined;
  facts.key = undefined;
  facts.subj = undefined;
  facts.exeId = NO_STRING;
  facts.keyId = NO_STRING;
  facts.subjId = NO_STRING;
}

/** Decoders shared by one scan, so that equal exe/key/subj bytes decode once. */
export class FactStrings {
  readonly exe = new ByteInterner(decodeText);
  readonly hexExe = new ByteInterner(decodeHexText);
  readonly key = new ByteInterner(decodeText);
  readonly hexKey = new ByteInterner(decodeHexText);
  readonly subj = new ByteInterner(latin1);
}

function decodeText(buf: Buffer, start: number, end: number): string {
  return buf.toString('utf8', start, end);
}

function decodeHexText(buf: Buffer, start: number, end: number): string {
  return decodeHex(buf, start, end).toString('utf8');
}

function hexValue(c: number): number {
  if (c >= DIGIT0 && c <= DIGIT9) return c - DIGIT0;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  return -1;
}

/** True when the bytes are an even number of hex digits (the kernel's untrusted-string form). */
export function isHexEncoded(buf: Buffer, start: number, end: number): boolean {
  if (end <= start || (end - start) % 2 !== 0) return false;
  for (let i = start; i < end; i++) {
    if (hexValue(buf[i]) < 0) return false;
  }
  return true;
}

export function decodeHex(buf: Buffer, start: number, end: number): Buffer {
  const out = Buffer.allocUnsafe((end - start) >> 1);
  for (let i = start, o = 0; i + 1 < end; i += 2, o++) {
    out[o] = (hexValue(buf[i]) << 4) | hexValue(buf[i + 1]);
  }
  return out;
}



function codeString(code: number, plain: ByteInterner, hex: ByteInterner): string | undefined {
  if (code < 0) return undefined;
  return (code & 1) === 1 ? hex.names[code >> 1] : plain.names[code >> 1];
}

const ETC = Buffer.from('/etc');
const ETC_HEX = Buffer.from('2F657463');
const NAMETYPE = Buffer.from('nametype=');

/**
 * What a PATH record says about /etc: 0 nothing, 1 it names a path under /etc, 2 it also
 * creates or deletes it (nametype=CREATE or DELETE). Only the name is read unless it is
 * under /etc.
 */
export function pathRecordEtc(view: RecordView): number {
  const buf = view.buf;
  const end = view.lineEnd;
  let p = view.bodyStart;

  // item=N name=VALUE ...: find name= among the first fields.
  let nameAt = -1;
  for (let field = 0; field < 3 && p < end; field++) {
    while (p < end && buf[p] === SPACE) p++;
    if (buf[p] === 0x6e && buf[p + 1] === 0x61 && buf[p + 2] === 0x6d && buf[p + 3] === 0x65 &&
      buf[p + 4] === EQ) {
      nameAt = p + 5;
      break;
    }
    while (buf[p] > SPACE) p++;
  }
  if (nameAt < 0) return 0;

  let under = false;
  if (buf[nameAt] === DQUOTE) {
    under = startsWith(buf, nameAt + 1, end, ETC) &&
      (buf[nameAt + 5] === 0x2f || buf[nameAt + 5] === DQUOTE);
  } else if (startsWith(buf, nameAt, end, ETC_HEX)) {
    under = (buf[nameAt + 8] === 0x32 && buf[nameAt + 9] === 0x46) || buf[nameAt + 8] <= SPACE;
  }
  if (!under) return 0;

  const nametype = indexWithin(buf, NAMETYPE, nameAt, end);
  if (nametype < 0) return 1;
  const c = buf[nametype + NAMETYPE.length];
  // CREATE, DELETE (not CHILD, NORMAL, PARENT, UNKNOWN)
  return (c === 0x43 && buf[nametype + NAMETYPE.length + 1] === 0x52) || c === 0x44 ? 2 : 1;
}

// --- the full field parser (slow path: tests, hover, sample neutralising) --------------

export interface RecordField {
  name: string;
  /** The value as written, without surrounding quotes. */
  raw: string;
  /** The decoded value: hex-encoded values of string fields decoded, quoted ones as is. */
  value: string;
  quoted: boolean;
  hex: boolean;
}

/** Fields the kernel or libaudit may write as bare hex (audit_log_untrustedstring). */
const hexCapableFields = new Set([
  'comm', 'exe', 'cwd', 'name', 'proctitle', 'key', 'obj', 'subj', 'data', 'acct', 'hostname',
  'cmd', 'old', 'new', 'path', 'dir', 'file', 'vm', 'sauid', 'grp', 'id',
]);

function isHexCapable(name: string): boolean {
  return hexCapableFields.has(name) || /^a\d+(\[\d+\])?$/.test(name);
}

export interface ParsedRecord {
  node: string | undefined;
  type: string;
  seconds: number;
  millis: number;
  serial: number;
  fields: RecordField[];
  /** The ENRICHED part after 0x1D, as fields (AUID="root" ...). */
  interpretation: RecordField[];
  /** Text of the record that is not name=value, e.g. "avc:  denied  { read }". */
  words: string[];
}

/** Parses one line completely. Returns undefined if it is not a raw record. */
export function parseRecordLine(line: Buffer | string): ParsedRecord | undefined {
  const buf = typeof line === 'string' ? Buffer.from(line, 'utf8') : line;
  let end = buf.length;
  while (end > 0 && (buf[end - 1] === LF || buf[end - 1] === CR)) end--;

  const names = new RecordNames();
  const view = new RecordView();
  if (!readRecordHead(buf, 0, end, view, names)) return undefined;

  let separator = buf.indexOf(GS, view.bodyStart);
  if (separator < 0 || separator > end) separator = end;

  const { fields, words } = splitFields(buf, view.bodyStart, separator, true);
  const interpretation = splitFields(buf, Math.min(separator + 1, end), end, false).fields;
  return {
    node: view.nodeId === 0 ? undefined : names.nodes.names[view.nodeId],
    type: names.types.names[view.typeId],
    seconds: view.seconds,
    millis: view.millis,
    serial: view.serial,
    fields,
    interpretation,
    words,
  };
}

function splitFields(buf: Buffer, start: number, end: number, decodeHexValues: boolean) {
  const fields: RecordField[] = [];
  const words: string[] = [];
  let p = start;
  let inMessage = false;

  while (p < end) {
    let c = buf[p];
    if (c === SPACE) {
      p++;
      continue;
    }
    const tokenStart = p;
    while (p < end && (c = buf[p]) !== EQ && c !== SPACE) p++;
    if (p >= end || c !== EQ) {
      let wordEnd = p;
      if (inMessage && wordEnd > tokenStart && buf[wordEnd - 1] === SQUOTE) wordEnd--;
      if (wordEnd > tokenStart) words.push(buf.toString('utf8', tokenStart, wordEnd));
      continue;
    }
    const name = buf.toString('latin1', tokenStart, p);
    p++;

    c = p < end ? buf[p] : 0;
    if (c === SQUOTE) {
      inMessage = true;
      p++;
      continue;
    }
    let valueStart = p;
    let valueEnd: number;
    let quoted = false;
    if (c === DQUOTE) {
      quoted = true;
      valueStart = p + 1;
      p = valueStart;
      while (p < end && buf[p] !== DQUOTE) p++;
      valueEnd = p;
      if (p < end) p++;
    } else {
      while (p < end && buf[p] !== SPACE) p++;
      valueEnd = p;
      if (inMessage && valueEnd > valueStart && buf[valueEnd - 1] === SQUOTE) valueEnd--;
    }

    const raw = buf.toString('utf8', valueStart, valueEnd);
    const hex =
      decodeHexValues && !quoted && isHexCapable(name) && isHexEncoded(buf, valueStart, valueEnd);
    const value = hex ? decodeHex(buf, valueStart, valueEnd).toString('utf8') : raw;
    fields.push({ name, raw, value, quoted, hex });
  }
  return { fields, words };
}

/** The keys of a `key=` value: several keys are joined by 0x01; (null) means none. */
export function splitKeys(key: string | undefined): string[] {
  if (key === undefined || key === '(null)' || key === '') return [];
  return key.includes('\x01') ? key.split('\x01').filter((k) => k !== '') : [key];
}

/**
 * The argv of an event's EXECVE records. Long arguments are split by the kernel into
 * `aN_len=TOTAL aN[0]=... aN[1]=...` over several records; the pieces are joined here.
 */
export function execveArguments(records: readonly ParsedRecord[]): string[] {
  const args: string[] = [];
  const pieces = new Map<number, Buffer[]>();

  for (const record of records) {
    if (record.type !== 'EXECVE') continue;
    for (const field of record.fields) {
      const match = /^a(\d+)(?:\[(\d+)\])?$/.exec(field.name);
      if (!match) continue;
      const index = Number(match[1]);
      if (match[2] === undefined) {
        args[index] = field.value;
        continue;
      }
      // Pieces are cut at byte offsets: join the bytes, then decode once.
      const bytes = field.hex
        ? Buffer.from(field.raw, 'hex')
        : Buffer.from(field.value, 'utf8');
      const parts = pieces.get(index) ?? [];
      parts[Number(match[2])] = bytes;
      pieces.set(index, parts);
    }
  }
  for (const [index, parts] of pieces) {
    args[index] = Buffer.concat(Array.from(parts, (part) => part ?? Buffer.alloc(0)))
      .toString('utf8');
  }
  return Array.from(args, (arg) => arg ?? '');
}
