/**
 * What the log engine does to its inputs before reading them: a gzip stream on standard
 * input is recognised by its magic bytes (as a file is), an xz, zstd, bzip2 or lz4 one is
 * refused by name (logrotate's `compresscmd` may make any of them, and their bytes read as
 * text would only be skipped lines), and a file named twice (the same path, a `./` variant,
 * a hard or symbolic link) is read once, so its records and bytes are not counted twice
 * while its events (matched by serial) are.
 */
import { statSync } from 'node:fs';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

/** The first two bytes of every gzip member (RFC 1952). */
const gzipMagic = [0x1f, 0x8b];

/**
 * Compressions the reader does not undo, by the magic bytes that start their streams; a
 * byte given as [low, high] may be any in that range.
 */
const unreadCompressions: readonly {
  format: string;
  magic: readonly (number | readonly [number, number])[];
}[] = [
  { format: 'xz', magic: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00] },
  { format: 'zstd', magic: [0x28, 0xb5, 0x2f, 0xfd] },
  // A skippable frame first (pzstd writes one): magic 0x184D2A50 to 0x184D2A5F.
  { format: 'zstd', magic: [[0x50, 0x5f], 0x2a, 0x4d, 0x18] },
  // "BZh" and the block size, 1 to 9 (hundreds of kB).
  { format: 'bzip2', magic: [0x42, 0x5a, 0x68, [0x31, 0x39]] },
  // The LZ4 frame format, and the legacy one `lz4 -l` writes.
  { format: 'lz4', magic: [0x04, 0x22, 0x4d, 0x18] },
  { format: 'lz4', magic: [0x02, 0x21, 0x4c, 0x18] },
];

/** The most bytes `unreadCompression` looks at. */
export const compressionMagicLength = 6;

/** The compression (xz, zstd, bzip2, lz4) the bytes start with, if the reader cannot undo it. */
export function unreadCompression(head: Uint8Array): string | undefined {
  for (const { format, magic } of unreadCompressions) {
    if (head.length < magic.length) continue;
    const matches = magic.every((byte, i) => (typeof byte === 'number' ? head[i] === byte
      : head[i] >= byte[0] && head[i] <= byte[1]));
    if (matches) return format;
  }
  return undefined;
}

/** A path as one shell word, for a command the user may copy. */
function shellWord(path: string): string {
  return /^[\w@%+=:,./-]+$/.test(path) ? path : `'${path.replace(/'/g, `'\\''`)}'`;
}

/**
 * The error for an input compressed with `format`: what it is and the command that reads
 * it (FILE for standard input, whose file is not known). Its code makes the CLI report it
 * as an input that cannot be read.
 */
export function unreadCompressionError(format: string, path?: string): NodeJS.ErrnoException {
  const file = path === undefined ? 'FILE' : shellWord(path);
  const error: NodeJS.ErrnoException = new Error(`compressed with ${format} (of the ` +
    `compressions only gzip is read); decompress it first: ${format} -dc ${file} | ` +
    'auditd-tools noise -');
  error.code = 'EUNREADCOMPRESSION';
  if (path !== undefined) error.path = path;
  return error;
}

function asBuffer(chunk: Buffer | string): Buffer {
  return typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
}

/**
 * The stream's bytes, decompressed when they start with the gzip magic. A stream that
 * starts with the magic of xz, zstd, bzip2 or lz4 fails with `unreadCompressionError`.
 */
export async function* gunzippedIfCompressed(
  stream: AsyncIterable<Buffer | string>,
): AsyncGenerator<Buffer> {
  const iterator = stream[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let headBytes = 0;
  let done = false;
  while (headBytes < compressionMagicLength) {
    const next = await iterator.next();
    if (next.done) {
      done = true;
      break;
    }
    const chunk = asBuffer(next.value);
    head.push(chunk);
    headBytes += chunk.length;
  }

  async function* whole(): AsyncGenerator<Buffer> {
    yield* head;
    while (!done) {
      const next = await iterator.next();
      if (next.done) return;
      yield asBuffer(next.value);
    }
  }

  const other = unreadCompression(Buffer.concat(head).subarray(0, compressionMagicLength));
  if (other !== undefined) throw unreadCompressionError(other);

  const start = Buffer.concat(head).subarray(0, gzipMagic.length);
  const compressed = start.length === gzipMagic.length &&
    start[0] === gzipMagic[0] && start[1] === gzipMagic[1];
  if (!compressed) {
    yield* whole();
    return;
  }
  for await (const chunk of Readable.from(whole()).pipe(createGunzip())) yield chunk as Buffer;
}

export interface RepeatedInput {
  input: string;
  /** The earlier input naming the same file. */
  sameAs: string;
}

/**
 * The inputs with every file after its first naming left out: the same device and inode
 * (which covers the same path, `./` variants, hard and symbolic links). '-' and paths that
 * cannot be read are kept for the reader to report.
 */
export function distinctLogFiles(inputs: readonly string[]): {
  inputs: string[];
  repeated: RepeatedInput[];
} {
  const seen = new Map<string, string>();
  const kept: string[] = [];
  const repeated: RepeatedInput[] = [];
  for (const input of inputs) {
    if (input === '-') {
      kept.push(input);
      continue;
    }
    let identity: string;
    try {
      const stats = statSync(input, { bigint: true });
      identity = `${stats.dev}:${stats.ino}`;
    } catch {
      kept.push(input);
      continue;
    }
    const first = seen.get(identity);
    if (first !== undefined) {
      repeated.push({ input, sameAs: first });
      continue;
    }
    seen.set(identity, input);
    kept.push(input);
  }
  return { inputs: kept, repeated };
}
