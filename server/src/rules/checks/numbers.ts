/**
 * C number parsing as auditctl does it: strtoul / strtol with base 0 (0x hex, leading-0
 * octal, decimal), stopping silently at the first character that does not belong.
 */

export interface CNumber {
  /** The value read, before any truncation. */
  value: bigint;
  /** How many characters were read. */
  length: number;
  /** strtoul / strtol set ERANGE (the value does not fit in 64 bits). */
  overflow: boolean;
}

const maxUnsigned64 = (1n << 64n) - 1n;
const maxSigned64 = (1n << 63n) - 1n;

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

function isHexDigit(code: number): boolean {
  return isDigit(code) || (code >= 0x41 && code <= 0x46) || (code >= 0x61 && code <= 0x66);
}

export function startsWithDigit(text: string): boolean {
  return text.length > 0 && isDigit(text.charCodeAt(0));
}

/** strtoul(text, NULL, 0) for a text that starts with a digit (no sign, no spaces). */
export function readUnsigned(text: string): CNumber {
  const first = text.charCodeAt(0);
  if (first >= 0x31 && first <= 0x39) {
    // Decimal, the common case (uids, a0=, perm bits): up to 15 digits fit a double
    // exactly, so only a longer number needs the general reading below.
    let value = first - 0x30;
    let index = 1;
    while (index < text.length && index < 15) {
      const code = text.charCodeAt(index);
      if (!isDigit(code)) break;
      value = value * 10 + (code - 0x30);
      index++;
    }
    if (index === text.length || !isDigit(text.charCodeAt(index))) {
      return { value: BigInt(value), length: index, overflow: false };
    }
  }

  let index = 0;
  let base = 10n;
  let digits = '';

  if (text.charCodeAt(0) === 0x30) {
    const marker = text.charCodeAt(1);
    if ((marker === 0x78 || marker === 0x58) && isHexDigit(text.charCodeAt(2))) {
      base = 16n;
      index = 2;
    } else {
      base = 8n;
    }
  }

  for (; index < text.length; index++) {
    const code = text.charCodeAt(index);
    const fits =
      base === 16n ? isHexDigit(code) : base === 8n ? code >= 0x30 && code <= 0x37 : isDigit(code);
    if (!fits) break;
    digits += text[index];
  }

  let value = 0n;
  if (digits.length > 0) {
    const prefix = base === 16n ? '0x' : base === 8n ? '0o' : '';
    value = BigInt(prefix + digits);
  }
  if (base === 8n && digits.length === 0) index = 1;
  const overflow = value > maxUnsigned64;
  return { value: overflow ? maxUnsigned64 : value, length: index, overflow };
}

/** strtol(text, NULL, 0) for `-digits` or `digits`. */
export function readSigned(text: string): CNumber {
  if (text.charCodeAt(0) === 0x2d) {
    const magnitude = readUnsigned(text.slice(1));
    const overflow = magnitude.value > maxSigned64 + 1n || magnitude.overflow;
    return { value: -magnitude.value, length: magnitude.length + 1, overflow };
  }
  const read = readUnsigned(text);
  return { ...read, overflow: read.overflow || read.value > maxSigned64 };
}

/** The low 32 bits, as the kernel's __u32 receives them. */
export function low32(value: bigint): number {
  if (value >= 0n && value <= 0xffffffffn) return Number(value);
  return Number(BigInt.asUintN(32, value));
}
