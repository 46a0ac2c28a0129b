// The log engine's hot loop, compiled to WebAssembly (AssemblyScript; built by
// scripts/build-wasm.mjs into server/src/log/recordScanWasm.ts). It splits audit.log bytes
// into lines, reads each record head, and reads the fields that events and rankings use.
// server/src/log/scan.ts drives it and owns every decision that needs names (record types,
// string interning); this file only turns bytes into numbers and offsets.
//
// The caller lays out linear memory: an array of line descriptors, then the input bytes,
// followed by at least 16 bytes of padding (the line-end search reads 16 bytes at a time).
// Offsets in descriptors are absolute addresses in memory.
//
// Descriptor layout (DESCRIPTOR_BYTES each; must match server/src/log/scan.ts):
//   i32 [0] kind: 0 record, 1 a line that is not a record, 2 blank
//   i32 [1] line start, [2] line end (without newline and trailing CR), [3] bytes in file
//   i32 [4] body start (after `msg=audit(...):`), [5] node start or -1, [6] node end
//   i32 [7] type start, [8] type end, [9] 1 once the fields are read, [10] flags
//   i32 [11] success (-1 absent, 0, 1)
//   i32 [12..14] exe start, end, kind; [15..17] key start, end, kind (kind: -1 none or
//       absent, 0 text, 1 hex-encoded text); [18..19] subj start and end (start -1: none)
//   f64 [12] seconds, [13] millis, [14] serial, [15] arch, [16] syscall, [17] exit,
//   f64 [18..26] uid auid euid suid fsuid gid egid sgid fsgid, [27] a1, [28] a2
//   Decimal and arch values are -1 when the record lacks them or they do not parse.

const DESCRIPTOR_BYTES: i32 = 232;

const KIND_RECORD: i32 = 0;
const KIND_OTHER: i32 = 1;
const KIND_BLANK: i32 = 2;

const FLAG_ENRICHED: i32 = 1;
const FLAG_HAS_EXIT: i32 = 2;
const FLAG_TERMINATED: i32 = 4;

const LF: u8 = 0x0a;
const CR: u8 = 0x0d;
const SPACE: u8 = 0x20;
const GS: u8 = 0x1d;
const DQUOTE: u8 = 0x22;
const SQUOTE: u8 = 0x27;
const EQ: u8 = 0x3d;
const COLON: u8 = 0x3a;
const DOT: u8 = 0x2e;
const LPAREN: u8 = 0x28;
const RPAREN: u8 = 0x29;
const DIGIT0: u8 = 0x30;
const MAX_TIME_MS: f64 = 8.64e15;
const MAX_SERIAL: f64 = 4294967295;

// Field codes; decimal fields come last, as in the order their values are stored.
const F_NONE: i32 = 0;
const F_ARCH: i32 = 1;
const F_SUCCESS: i32 = 2;
const F_A1: i32 = 3;
const F_A2: i32 = 4;
const F_EXE: i32 = 5;
const F_KEY: i32 = 6;
const F_SUBJ: i32 = 7;
const F_RES: i32 = 8;
const F_SYSCALL: i32 = 10;
const F_EXIT: i32 = 11;
const F_UID: i32 = 12;
const F_FSGID: i32 = 20;

/** First byte not consumed by the last scan (the start of an incomplete line). */
let nextLine: i32 = 0;

export function descriptorBytes(): i32 {
  return DESCRIPTOR_BYTES;
}

export function heapBase(): i32 {
  return <i32>__heap_base;
}

export function consumed(): i32 {
  return nextLine;
}

@inline
function byte(at: i32): u8 {
  return load<u8>(<usize>at);
}

/**
 * The first `target` byte in [from, end), or -1. Reads 16 bytes at a time; bytes past `end` are
 * the caller's padding and are masked out.
 */
@inline
function findByte(from: i32, end: i32, target: u8): i32 {
  const wanted = i8x16.splat(<i8>target);
  let p = from;
  while (p < end) {
    let mask = i8x16.bitmask(i8x16.eq(v128.load(<usize>p), wanted));
    const left = end - p;
    if (left < 16) mask &= (1 << left) - 1;
    if (mask != 0) return p + ctz<i32>(mask);
    p += 16;
  }
  return -1;
}

/**
 * The first byte at or after `p` that is <= 0x20 or `=`. Unbounded: every line ends with a
 * newline, or with the 0 the caller writes after a last line without one.
 */
@inline
function nextSpaceOrEq(p: i32): i32 {
  const space = i8x16.splat(0x21);
  const eq = i8x16.splat(<i8>EQ);
  while (true) {
    const bytes = v128.load(<usize>p);
    const mask = i8x16.bitmask(v128.or(i8x16.lt_u(bytes, space), i8x16.eq(bytes, eq)));
    if (mask != 0) return p + ctz<i32>(mask);
    p += 16;
  }
}

/** The first byte at or after `p` that is <= 0x20 (unbounded, as above). */
@inline
function nextSpace(p: i32): i32 {
  const space = i8x16.splat(0x21);
  while (true) {
    const mask = i8x16.bitmask(i8x16.lt_u(v128.load(<usize>p), space));
    if (mask != 0) return p + ctz<i32>(mask);
    p += 16;
  }
}

/**
 * Describes the complete lines of [from, end) into descriptors at `out`, at most `max`.
 * With `final` set, a last line without a newline is described too. Returns the count;
 * consumed() is then the first byte of the first line not described. The first line holds
 * no newline before `searched` (a line longer than a read is searched once, not at every
 * read).
 */
export function scanLines(
  from: i32, end: i32, final: i32, out: i32, max: i32, searched: i32,
): i32 {
  let start = from;
  let count = 0;
  while (count < max && start < end) {
    let newline = findByte(count == 0 && searched > start ? searched : start, end, LF);
    let terminated = 1;
    if (newline < 0) {
      if (final == 0) break;
      newline = end;
      terminated = 0;
    }
    describeLine(out + count * DESCRIPTOR_BYTES, start, newline, terminated);
    count++;
    start = newline + terminated;
  }
  nextLine = start;
  return count;
}

function describeLine(d: i32, start: i32, newline: i32, terminated: i32): void {
  let end = newline;
  if (end > start && byte(end - 1) == CR) end--;
  store<i32>(d, start, 4);
  store<i32>(d, end, 8);
  store<i32>(d, newline - start + terminated, 12);
  store<i32>(d, 0, 36);
  store<i32>(d, terminated != 0 ? FLAG_TERMINATED : 0, 40);
  if (end == start) {
    store<i32>(d, KIND_BLANK);
    return;
  }
  store<i32>(d, readHead(d, start, end) ? KIND_RECORD : KIND_OTHER);
}

@inline
function startsWithNode(p: i32, end: i32): bool {
  return end - p >= 5 && byte(p) == 0x6e && byte(p + 1) == 0x6f && byte(p + 2) == 0x64 &&
    byte(p + 3) == 0x65 && byte(p + 4) == EQ;
}

/** The first " type=" in [from, end), or -1: a node name may hold spaces. */
function findSpaceType(from: i32, end: i32): i32 {
  const last = end - 6;
  for (let i = from; i <= last; i++) {
    if (byte(i) != SPACE) continue;
    if (byte(i + 1) == 0x74 && byte(i + 2) == 0x79 && byte(i + 3) == 0x70 &&
      byte(i + 4) == 0x65 && byte(i + 5) == EQ) return i;
  }
  return -1;
}

/** The value of the last readDecimal. */
let decimalValue: f64 = 0;

/**
 * Reads the digits at `p` (at least one) and the `stop` byte after them; returns the
 * position after `stop`, or -1. The value, in decimalValue, is accumulated as a double, as
 * the line reader in scan.ts does: equal results, any length.
 */
@inline
function readDecimal(p: i32, end: i32, stop: u8): i32 {
  let value: f64 = 0;
  const first = p;
  while (p < end) {
    const c = byte(p);
    if (c < DIGIT0 || c > 0x39) break;
    value = value * 10 + <f64>(c - DIGIT0);
    p++;
  }
  if (p == first || p >= end || byte(p) != stop) return -1;
  decimalValue = value;
  return p + 1;
}

/** `[node=NAME ]type=NAME msg=audit(SEC.MILLIS:SERIAL):`; false when the line is not one. */
function readHead(d: i32, start: i32, end: i32): bool {
  let p = start;
  store<i32>(d, -1, 20);
  if (startsWithNode(p, end)) {
    const nameStart = p + 5;
    const typeAt = findSpaceType(nameStart, end);
    if (typeAt < 0) return false;
    store<i32>(d, nameStart, 20);
    store<i32>(d, typeAt, 24);
    p = typeAt + 1;
  }

  if (end - p < 5 || byte(p) != 0x74 || byte(p + 4) != EQ) return false;
  p += 5;
  const typeStart = p;
  while (p < end && byte(p) != SPACE) p++;
  if (p == typeStart || p >= end) return false;
  const typeEnd = p;
  p++;

  if (end - p < 10 || byte(p) != 0x6d || byte(p + 3) != EQ || byte(p + 9) != LPAREN) {
    return false;
  }
  p += 10;

  p = readDecimal(p, end, DOT);
  if (p < 0) return false;
  const seconds = decimalValue;
  p = readDecimal(p, end, COLON);
  if (p < 0) return false;
  const millis = decimalValue;
  p = readDecimal(p, end, RPAREN);
  if (p < 0) return false;
  const serial = decimalValue;
  // A time a date cannot hold (past the year 275760) or a serial over 32 bits (the
  // kernel's counter) is no record auditd wrote.
  if (seconds * 1000 + millis > MAX_TIME_MS || serial > MAX_SERIAL) return false;
  if (p < end && byte(p) == COLON) p++;
  while (p < end && byte(p) == SPACE) p++;

  store<i32>(d, p, 16);
  store<i32>(d, typeStart, 28);
  store<i32>(d, typeEnd, 32);
  store<f64>(d, seconds, 96);
  store<f64>(d, millis, 104);
  store<f64>(d, serial, 112);
  return true;
}

// --- fields ---------------------------------------------------------------------------

/**
 * Reads the fields of the record at descriptor `d` into it. Stops at the ENRICHED
 * separator; descends into a user-space `msg='...'`.
 */
export function readFields(d: i32): void {
  store<i32>(d, 1, 36);
  readRecordFields(d);
}

function clearFields(d: i32): void {
  store<i32>(d, -1, 44);
  store<i32>(d, -1, 48);
  store<i32>(d, -1, 56);
  store<i32>(d, -1, 60);
  store<i32>(d, -1, 68);
  store<i32>(d, -1, 72);
  // arch, syscall, exit, the ids: -1; a1 and a2: 0.
  for (let slot = 15; slot <= 26; slot++) store<f64>(d + slot * 8, -1);
  store<f64>(d, 0, 216);
  store<f64>(d, 0, 224);
}

@inline
function hexValue(c: u8): i32 {
  if (c >= DIGIT0 && c <= 0x39) return <i32>(c - DIGIT0);
  if (c >= 0x41 && c <= 0x46) return <i32>(c - 0x41 + 10);
  if (c >= 0x61 && c <= 0x66) return <i32>(c - 0x61 + 10);
  return -1;
}

function isHexEncoded(start: i32, end: i32): bool {
  if (end <= start || ((end - start) & 1) != 0) return false;
  for (let i = start; i < end; i++) {
    if (hexValue(byte(i)) < 0) return false;
  }
  return true;
}

/** -1 for (null), (none), ? and empty values; 1 for hex-encoded text; 0 for text. */
function stringKind(start: i32, end: i32, quoted: bool): i32 {
  if (quoted) return 0;
  if (end == start || byte(start) == LPAREN || (end - start == 1 && byte(start) == 0x3f)) {
    return -1;
  }
  return isHexEncoded(start, end) ? 1 : 0;
}

/** The low 32 bits of a hex value (syscall arguments are printed as up to 16 digits). */
function lowHex(start: i32, end: i32): f64 {
  let value: f64 = 0;
  for (let p = max(start, end - 8); p < end; p++) {
    const digit = hexValue(byte(p));
    if (digit < 0) return 0;
    value = value * 16 + <f64>digit;
  }
  return value;
}

function readRecordFields(d: i32): void {
  clearFields(d);
  const end = load<i32>(d, 8);
  let p = load<i32>(d, 16);
  let inMessage = false;
  let flags = load<i32>(d, 40);

  // Space, GS, CR and the newline that ends every line are all <= 0x20, so one comparison
  // per byte finds the end of a name or value.
  while (p < end) {
    let c = byte(p);
    if (c == GS) {
      flags |= FLAG_ENRICHED;
      break;
    }
    if (c <= SPACE) {
      p++;
      continue;
    }

    const nameStart = p;
    p = nextSpaceOrEq(p);
    c = byte(p);
    if (p >= end) break;
    if (c != EQ) continue;
    const nameEnd = p;
    p++;

    let valueStart = p;
    let valueEnd: i32;
    let quoted = false;
    c = byte(p);
    if (c == DQUOTE) {
      quoted = true;
      valueStart = p + 1;
      p = findByte(valueStart, end, DQUOTE);
      if (p < 0) p = end;
      valueEnd = p;
      if (p < end) p++;
    } else if (c == SQUOTE) {
      // msg='op=... exe="..." res=success': the fields inside are the record's own.
      inMessage = true;
      p++;
      continue;
    } else {
      p = nextSpace(p);
      if (p > end) p = end;
      valueEnd = p;
      if (inMessage && valueEnd > valueStart && byte(valueEnd - 1) == SQUOTE) valueEnd--;
    }

    const code = fieldCode(nameStart, nameEnd - nameStart);
    if (code == F_NONE) continue;

    if (code >= F_SYSCALL) {
      let q = valueStart;
      const negative = byte(q) == 0x2d && q < valueEnd;
      if (negative) q++;
      let value: f64 = q < valueEnd ? 0 : -1;
      for (; q < valueEnd; q++) {
        const digit = <i32>byte(q) - <i32>DIGIT0;
        if (digit < 0 || digit > 9) {
          value = -1;
          break;
        }
        value = value * 10 + <f64>digit;
      }
      if (code == F_EXIT) {
        if (value != -1) {
          store<f64>(d, negative ? -value : value, 136);
          flags |= FLAG_HAS_EXIT;
        }
        continue;
      }
      if (negative) value = -1;
      // syscall is slot 16; uid .. fsgid are slots 18 .. 26.
      const slot = code == F_SYSCALL ? 16 : code - F_UID + 18;
      store<f64>(d + slot * 8, value);
      continue;
    }

    switch (code) {
      case F_ARCH: {
        let arch: f64 = valueEnd > valueStart && valueEnd - valueStart <= 8 ? 0 : -1;
        for (let q = valueStart; arch != -1 && q < valueEnd; q++) {
          const digit = hexValue(byte(q));
          arch = digit < 0 ? -1 : arch * 16 + <f64>digit;
        }
        store<f64>(d, arch, 120);
        break;
      }
      case F_SUCCESS: {
        const c0 = byte(valueStart);
        store<i32>(d, c0 == 0x79 ? 1 : c0 == 0x6e ? 0 : -1, 44);
        break;
      }
      case F_A1:
        store<f64>(d, lowHex(valueStart, valueEnd), 216);
        break;
      case F_A2:
        store<f64>(d, lowHex(valueStart, valueEnd), 224);
        break;
      case F_EXE:
        // The first exe with a value wins (a user-space record may repeat it in msg=).
        if (load<i32>(d, 56) < 0) {
          const kind = stringKind(valueStart, valueEnd, quoted);
          if (kind >= 0) {
            store<i32>(d, valueStart, 48);
            store<i32>(d, valueEnd, 52);
            store<i32>(d, kind, 56);
          }
        }
        break;
      case F_KEY: {
        // The last key= wins, even an absent one.
        store<i32>(d, valueStart, 60);
        store<i32>(d, valueEnd, 64);
        store<i32>(d, stringKind(valueStart, valueEnd, quoted), 68);
        break;
      }
      case F_SUBJ:
        if (load<i32>(d, 72) < 0 && valueEnd > valueStart) {
          store<i32>(d, valueStart, 72);
          store<i32>(d, valueEnd, 76);
        }
        break;
      default: {
        // user-space res=success|failed, kernel res=1|0
        if (load<i32>(d, 44) != -1) break;
        const r = byte(valueStart);
        store<i32>(d, r == 0x73 || r == 0x31 ? 1 : r == 0x66 || r == DIGIT0 ? 0 : -1, 44);
      }
    }
  }
  store<i32>(d, flags, 40);
}

/** Which of the fields above a name is (F_NONE for the others). */
function fieldCode(at: i32, length: i32): i32 {
  const n0 = byte(at);
  if (length == 2) {
    if (n0 != 0x61) return F_NONE;
    const n1 = byte(at + 1);
    return n1 == 0x31 ? F_A1 : n1 == 0x32 ? F_A2 : F_NONE;
  }
  if (length == 3) {
    const n1 = byte(at + 1);
    const n2 = byte(at + 2);
    if (n1 == 0x69 && n2 == 0x64) return n0 == 0x75 ? F_UID : n0 == 0x67 ? F_UID + 5 : F_NONE;
    if (n0 == 0x65 && n1 == 0x78 && n2 == 0x65) return F_EXE;
    if (n0 == 0x6b && n1 == 0x65 && n2 == 0x79) return F_KEY;
    if (n0 == 0x72 && n1 == 0x65 && n2 == 0x73) return F_RES;
    return F_NONE;
  }
  if (length == 4) {
    const n1 = byte(at + 1);
    const n2 = byte(at + 2);
    const n3 = byte(at + 3);
    if (n2 == 0x69 && n3 == 0x64) {
      // auid euid suid; egid sgid
      if (n1 == 0x75) {
        return n0 == 0x61 ? F_UID + 1 : n0 == 0x65 ? F_UID + 2 : n0 == 0x73 ? F_UID + 3 :
          F_NONE;
      }
      if (n1 == 0x67) return n0 == 0x65 ? F_UID + 6 : n0 == 0x73 ? F_UID + 7 : F_NONE;
      return F_NONE;
    }
    if (n0 == 0x61 && n1 == 0x72 && n2 == 0x63 && n3 == 0x68) return F_ARCH;
    if (n0 == 0x65 && n1 == 0x78 && n2 == 0x69 && n3 == 0x74) return F_EXIT;
    if (n0 == 0x73 && n1 == 0x75 && n2 == 0x62 && n3 == 0x6a) return F_SUBJ;
    return F_NONE;
  }
  if (length == 5) {
    // fsuid fsgid
    if (n0 != 0x66 || byte(at + 1) != 0x73 || byte(at + 4) != 0x64) return F_NONE;
    const n2 = byte(at + 2);
    return n2 == 0x75 ? F_UID + 4 : n2 == 0x67 ? F_FSGID : F_NONE;
  }
  if (length == 7 && n0 == 0x73) {
    const n1 = byte(at + 1);
    if (n1 == 0x79 && byte(at + 6) == 0x6c) return F_SYSCALL;
    if (n1 == 0x75 && byte(at + 6) == 0x73) return F_SUCCESS;
  }
  return F_NONE;
}
