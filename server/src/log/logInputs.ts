/**
 * What the log engine does to its inputs before reading them: a gzip stream on standard
 * input is recognised by its magic bytes (as a file is), and a file named twice (the same
 * path, a `./` variant, a hard or symbolic link) is read once, so its records and bytes
 * are not counted twice while its events (matched by serial) are.
 */
import { statSync } from 'node:fs';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

/** The first two bytes of every gzip member (RFC 1952). */
const gzipMagic = [0x1f, 0x8b];

function asBuffer(chunk: Buffer | string): Buffer {
  return typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
}

/** The stream's bytes, decompressed when they start with the gzip magic. */
export async function* gunzippedIfCompressed(
  stream: AsyncIterable<Buffer | string>,
): AsyncGenerator<Buffer> {
  const iterator = stream[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let headBytes = 0;
  let done = false;
  while (headBytes < gzipMagic.length) {
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
