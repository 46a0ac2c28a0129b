/**
 * The one place where audit.log bytes become records. Every reader of logs (the CLI, the
 * language server, the worker threads, the tests) goes through this file, so a parsing fix
 * lands everywhere at once.
 *
 * The scanner works on Buffers: it finds line ends with Buffer.indexOf, reads the record
 * head (`node=`, `type=`, `msg=audit(SEC.MILLIS:SERIAL)`) with byte loops, and decodes a
 * field into a string only when a caller asks for it. Lines are never split into strings.
 *
 * Record format mirrored (auditd 3.0.9 / 4.2): `[node=NAME ]type=NAME msg=audit(S.M:N): ...`
 * with an optional 0x1D separator before the ENRICHED interpretation (log_format=ENRICHED).
 */

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

const NODE_PREFIX = Buffer.from('node=');
const TYPE_PREFIX = Buffer.from('type=');
const SPACE_TYPE = Buffer.from(' type=');
const MSG_AUDIT = Buffer.from('msg=audit(');

/** Why a line was not read as an audit record. */
export type SkipReason =
  | 'ausearch-interpreted'
  | 'ausearch-separator'
  | 'syslog'
  | 'binary'
  | 'comment'
  | 'malformed-record'
  | 'truncated'
  | 'not-audit';

export const skipReasonText: Readonly<Record<SkipReason, string>> = {
  'ausearch-interpreted': 'interpreted `ausearch -i` output, not a raw audit.log record',
  'ausearch-separator': 'an `ausearch` event separator or time header',
  'syslog': 'a syslog line, not an audit.log record',
  'binary': 'binary data',
  'comment': 'a comment line',
  'malformed-record': 'starts like a record but has no valid msg=audit(SECONDS.MILLIS:SERIAL)',
  'truncated': 'the last line ends without a newline and is not a complete record',
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

  /** Milliseconds since the epoch. */
  get timeMs(): number {
    return this.seconds * 1000 + this.millis;
  }

  get text(): string {
    return this.buf.toString('latin1', this.lineStart, this.lineEnd);
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

  idOfString(name: string): number {
    const buf = Buffer.from(name, 'latin1');
    return this.idOf(buf, 0, buf.length);
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

/**
 * Splits pushed chunks into lines and hands each record to the sink. Partial lines are
 * carried over between chunks; a line longer than a chunk is assembled once.
 */
export class RecordScanner {
  readonly names: RecordNames;
  readonly view = new RecordView();
  private carry: Buffer[] = [];
  private carryBytes = 0;
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
    let start = 0;

    if (this.carryBytes > 0) {
      const newline = chunk.indexOf(LF);
      if (newline < 0) {
        this.carry.push(chunk);
        this.carryBytes += chunk.length;
        return;
      }
      this.carry.push(chunk.subarray(0, newline + 1));
      const line = Buffer.concat(this.carry, this.carryBytes + newline + 1);
      this.carry = [];
      this.carryBytes = 0;
      this.scanLine(line, 0, line.length - 1, true);
      start = newline + 1;
    }

    start = this.scanLines(chunk, start);

    if (start < chunk.length) {
      // Copy: the caller may reuse the chunk's memory for the next read.
      const rest = Buffer.from(chunk.subarray(start));
      this.carry.push(rest);
      this.carryBytes += rest.length;
    }
  }

  /**
   * The hot loop, on its own: a loop inside push() was compiled on stack and thrown away at
   * every chunk's end, where push() goes on with code the compiler had seen too little of.
   */
  private scanLines(chunk: Buffer, from: number): number {
    let start = from;
    for (;;) {
      const newline = chunk.indexOf(LF, start);
      if (newline < 0) return start;
      this.scanLine(chunk, start, newline, true);
      start = newline + 1;
    }
  }

  /** Flushes a last line that has no newline. */
  end(): void {
    if (this.carryBytes === 0) return;
    const line = Buffer.concat(this.carry, this.carryBytes);
    this.carry = [];
    this.carryBytes = 0;
    this.scanLine(line, 0, line.length, false);
  }

  private scanLine(buf: Buffer, start: number, end: number, terminated: boolean): void {
    this.lineNumber++;
    const bytes = end - start + (terminated ? 1 : 0);
    if (end > start && buf[end - 1] === CR) end--;

    if (end === start) {
      this.sink.blank?.(this.lineNumber);
      return;
    }

    const view = this.view;
    if (readRecordHead(buf, start, end, view, this.names)) {
      view.lineNumber = this.lineNumber;
      view.bytes = bytes;
      this.sink.record(view);
      return;
    }

    let reason = classifyNonRecord(buf, start, end);
    if (!terminated && (reason === 'malformed-record' || reason === 'not-audit')) {
      reason = 'truncated';
    }
    this.sink.skipped(this.lineNumber, reason, buf, start, end);
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

  let seconds = 0;
  let digits = 0;
  let c = 0;
  while (p < end && (c = buf[p]) >= DIGIT0 && c <= DIGIT9) {
    seconds = seconds * 10 + (c - DIGIT0);
    p++;
    digits++;
  }
  if (digits === 0 || c !== DOT) return false;
  p++;

  let millis = 0;
  digits = 0;
  while (p < end && (c = buf[p]) >= DIGIT0 && c <= DIGIT9) {
    millis = millis * 10 + (c - DIGIT0);
    p++;
    digits++;
  }
  if (digits === 0 || c !== COLON) return false;
  p++;

  let serial = 0;
  digits = 0;
  while (p < end && (c = buf[p]) >= DIGIT0 && c <= DIGIT9) {
    serial = serial * 10 + (c - DIGIT0);
    p++;
    digits++;
  }
  if (digits === 0 || c !== RPAREN) return false;
  p++;
  if (p < end && buf[p] === COLON) p++;
  while (p < end && buf[p] === SPACE) p++;

  view.buf = buf;
  view.lineStart = start;
  view.lineEnd = end;
  view.bodyStart = p;
  view.typeId = names.types.idOf(buf, typeStart, typeEnd);
  view.seconds = seconds;
  view.millis = millis;
  view.serial = serial;
  return true;
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
    if (c >= SPACE && c < 0x7f) out += String.fromCharCode(c);
    else out += '\\x' + c.toString(16).padStart(2, '0');
  }
  return end > stop ? out + '...' : out;
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

export function emptyFacts(): RecordFacts {
  return {
    arch: ABSENT, syscall: ABSENT, success: ABSENT, exit: 0, hasExit: false,
    uid: ABSENT, auid: ABSENT, euid: ABSENT, suid: ABSENT, fsuid: ABSENT,
    gid: ABSENT, egid: ABSENT, sgid: ABSENT, fsgid: ABSENT, a1: 0, a2: 0,
    exe: undefined, key: undefined, subj: undefined,
    exeId: NO_STRING, keyId: NO_STRING, subjId: NO_STRING,
  };
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



/** The low 32 bits of a hex value (syscall arguments are printed as up to 16 digits). */
function parseLowHex(buf: Buffer, start: number, end: number): number {
  let value = 0;
  for (let p = Math.max(start, end - 8); p < end; p++) {
    const digit = hexValue(buf[p]);
    if (digit < 0) return 0;
    value = value * 16 + digit;
  }
  return value;
}


/**
 * The id of a string field's value: 2 x id for text, 2 x id + 1 for hex-decoded text, and
 * NO_STRING for (null), (none), ? and empty values.
 */
function stringCode(
  buf: Buffer,
  start: number,
  end: number,
  quoted: boolean,
  plain: ByteInterner,
  hex: ByteInterner,
): number {
  if (quoted) return plain.idOf(buf, start, end) * 2;
  // (null), (none) and ? mean "no value" in kernel and user-space records.
  if (end === start || buf[start] === LPAREN || (end - start === 1 && buf[start] === 0x3f)) {
    return NO_STRING;
  }
  if (isHexEncoded(buf, start, end)) return hex.idOf(buf, start, end) * 2 + 1;
  return plain.idOf(buf, start, end) * 2;
}

function codeString(code: number, plain: ByteInterner, hex: ByteInterner): string | undefined {
  if (code < 0) return undefined;
  return (code & 1) === 1 ? hex.names[code >> 1] : plain.names[code >> 1];
}

/**
 * Reads the event-relevant fields of one record into `facts` (fields it lacks are left
 * alone). Stops at the ENRICHED separator; descends into a user-space `msg='...'`.
 * Returns true when the record has an ENRICHED part.
 */
export function readRecordFacts(
  view: RecordView,
  facts: RecordFacts,
  strings: FactStrings,
): boolean {
  const buf = view.buf;
  const end = view.lineEnd;
  let p = view.bodyStart;
  let inMessage = false;

  // The hot loop of the engine. Space (0x20), GS (0x1d), CR and the newline that ends
  // every line in the buffer are all <= 0x20, so one comparison per byte finds the end of
  // a name or value; the bound is checked once per token.
  while (p < end) {
    let c = buf[p];
    if (c === GS) return true;
    if (c <= SPACE) {
      // Spaces separate fields; any other control byte (a corrupt or hostile line) is
      // stepped over too, or the name scan below would stop on it without moving.
      p++;
      continue;
    }

    const nameStart = p;
    while ((c = buf[p]) > SPACE && c !== EQ) p++;
    if (p >= end) return false;
    if (c !== EQ) continue;
    const nameEnd = p;
    p++;

    let valueStart = p;
    let valueEnd: number;
    let quoted = false;
    c = buf[p];
    if (c === DQUOTE) {
      quoted = true;
      valueStart = p + 1;
      p = valueStart;
      while (p < end && buf[p] !== DQUOTE) p++;
      valueEnd = p;
      if (p < end) p++;
    } else if (c === SQUOTE) {
      // msg='op=... exe="..." res=success': the fields inside are the record's own.
      inMessage = true;
      p++;
      continue;
    } else {
      while (buf[p] > SPACE) p++;
      if (p > end) p = end;
      valueEnd = p;
      if (inMessage && valueEnd > valueStart && buf[valueEnd - 1] === SQUOTE) valueEnd--;
    }

    const code = fieldCode(buf, nameStart, nameEnd - nameStart);
    if (code === F_NONE) continue;

    if (code >= F_FIRST_DECIMAL) {
      // Decimal fields, parsed here rather than in a helper: ids such as 4294967295 do not
      // fit a small integer, and returning them from a call would box them.
      let q = valueStart;
      const negative = buf[q] === 0x2d;
      if (negative) q++;
      let value = q < valueEnd ? 0 : ABSENT;
      for (; q < valueEnd; q++) {
        const digit = buf[q] - DIGIT0;
        if (digit < 0 || digit > 9) {
          value = ABSENT;
          break;
        }
        value = value * 10 + digit;
      }
      if (code === F_EXIT) {
        if (value !== ABSENT) {
          facts.exit = negative ? -value : value;
          facts.hasExit = true;
        }
        continue;
      }
      if (negative) value = ABSENT;
      switch (code) {
        case F_SYSCALL: facts.syscall = value; break;
        case F_UID: facts.uid = value; break;
        case F_AUID: facts.auid = value; break;
        case F_EUID: facts.euid = value; break;
        case F_SUID: facts.suid = value; break;
        case F_FSUID: facts.fsuid = value; break;
        case F_GID: facts.gid = value; break;
        case F_EGID: facts.egid = value; break;
        case F_SGID: facts.sgid = value; break;
        default: facts.fsgid = value;
      }
      continue;
    }

    switch (code) {
      case F_ARCH: {
        // Inline for the same reason as the decimals: c000003e is no small integer.
        let arch = valueEnd > valueStart && valueEnd - valueStart <= 8 ? 0 : ABSENT;
        for (let q = valueStart; arch !== ABSENT && q < valueEnd; q++) {
          const digit = hexValue(buf[q]);
          arch = digit < 0 ? ABSENT : arch * 16 + digit;
        }
        facts.arch = arch;
        break;
      }
      case F_SUCCESS: {
        const c0 = buf[valueStart];
        facts.success = c0 === 0x79 ? 1 : c0 === 0x6e ? 0 : ABSENT;
        break;
      }
      case F_A1:
        facts.a1 = parseLowHex(buf, valueStart, valueEnd);
        break;
      case F_A2:
        facts.a2 = parseLowHex(buf, valueStart, valueEnd);
        break;
      case F_EXE:
        if (facts.exeId === NO_STRING) {
          const id = stringCode(buf, valueStart, valueEnd, quoted, strings.exe, strings.hexExe);
          facts.exeId = id;
          facts.exe = codeString(id, strings.exe, strings.hexExe);
        }
        break;
      case F_KEY: {
        const id = stringCode(buf, valueStart, valueEnd, quoted, strings.key, strings.hexKey);
        facts.keyId = id;
        facts.key = codeString(id, strings.key, strings.hexKey);
        break;
      }
      case F_SUBJ:
        if (facts.subjId === NO_STRING && valueEnd > valueStart) {
          facts.subjId = strings.subj.idOf(buf, valueStart, valueEnd);
          facts.subj = strings.subj.names[facts.subjId];
        }
        break;
      default: {
        // user-space res=success|failed, kernel res=1|0
        if (facts.success !== ABSENT) break;
        const r = buf[valueStart];
        facts.success = r === 0x73 || r === 0x31 ? 1 : r === 0x66 || r === DIGIT0 ? 0 : ABSENT;
      }
    }
  }
  return false;
}

// Field codes of readRecordFacts; decimal fields come last.
const F_NONE = 0;
const F_ARCH = 1;
const F_SUCCESS = 2;
const F_A1 = 3;
const F_A2 = 4;
const F_EXE = 5;
const F_KEY = 6;
const F_SUBJ = 7;
const F_RES = 8;
const F_FIRST_DECIMAL = 10;
const F_SYSCALL = 10;
const F_EXIT = 11;
const F_UID = 12;
const F_AUID = 13;
const F_EUID = 14;
const F_SUID = 15;
const F_FSUID = 16;
const F_GID = 17;
const F_EGID = 18;
const F_SGID = 19;
const F_FSGID = 20;

/** Which of the fields readRecordFacts wants a name is (F_NONE for the others). */
function fieldCode(buf: Buffer, at: number, length: number): number {
  const n0 = buf[at];
  if (length === 2) {
    if (n0 !== 0x61) return F_NONE;
    const n1 = buf[at + 1];
    return n1 === 0x31 ? F_A1 : n1 === 0x32 ? F_A2 : F_NONE;
  }
  if (length === 3) {
    const n1 = buf[at + 1];
    const n2 = buf[at + 2];
    if (n1 === 0x69 && n2 === 0x64) return n0 === 0x75 ? F_UID : n0 === 0x67 ? F_GID : F_NONE;
    if (n0 === 0x65 && n1 === 0x78 && n2 === 0x65) return F_EXE;
    if (n0 === 0x6b && n1 === 0x65 && n2 === 0x79) return F_KEY;
    if (n0 === 0x72 && n1 === 0x65 && n2 === 0x73) return F_RES;
    return F_NONE;
  }
  if (length === 4) {
    const n1 = buf[at + 1];
    const n2 = buf[at + 2];
    const n3 = buf[at + 3];
    if (n2 === 0x69 && n3 === 0x64) {
      if (n1 === 0x75) {
        return n0 === 0x61 ? F_AUID : n0 === 0x65 ? F_EUID : n0 === 0x73 ? F_SUID : F_NONE;
      }
      if (n1 === 0x67) return n0 === 0x65 ? F_EGID : n0 === 0x73 ? F_SGID : F_NONE;
      return F_NONE;
    }
    if (n0 === 0x61 && n1 === 0x72 && n2 === 0x63 && n3 === 0x68) return F_ARCH;
    if (n0 === 0x65 && n1 === 0x78 && n2 === 0x69 && n3 === 0x74) return F_EXIT;
    if (n0 === 0x73 && n1 === 0x75 && n2 === 0x62 && n3 === 0x6a) return F_SUBJ;
    return F_NONE;
  }
  if (length === 5) {
    if (n0 !== 0x66 || buf[at + 1] !== 0x73 || buf[at + 4] !== 0x64) return F_NONE;
    const n2 = buf[at + 2];
    return n2 === 0x75 ? F_FSUID : n2 === 0x67 ? F_FSGID : F_NONE;
  }
  if (length === 7 && n0 === 0x73) {
    const n1 = buf[at + 1];
    if (n1 === 0x79 && buf[at + 6] === 0x6c) return F_SYSCALL;
    if (n1 === 0x75 && buf[at + 6] === 0x73) return F_SUCCESS;
  }
  return F_NONE;
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
