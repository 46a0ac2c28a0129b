import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../server/src/cli';

// A file that is not a rules file (here 2 MB of JavaScript-like junk) gets several
// diagnostics per line, each printed with its line: the report is many times the size of
// the file. It must go out in pieces, not be built as one string (a 50 MB file took more
// memory than the process had), and read the same as before.

function junk(): string {
  const lines: string[] = [];
  for (let i = 0; i < 500; i++) {
    lines.push(`  const value${i} = compute(${i}, "text\t${i}") || other.call(this, ${i});`);
  }
  const block = `${lines.join('\n')}\n`;
  return block.repeat(Math.ceil(2_000_000 / block.length));
}

async function run(args: string[]) {
  const writes: string[] = [];
  // A pipe to a slow reader: each piece waits until the reader has taken the one before.
  let waiting = false;
  let writtenWhileWaiting = 0;
  let waits = 0;
  const status = await main(args, {
    stdout: (text) => {
      if (waiting) writtenWhileWaiting++;
      writes.push(text);
    },
    stderr: () => undefined,
    stdoutReady: async () => {
      waits++;
      waiting = true;
      await new Promise((resolve) => setImmediate(resolve));
      waiting = false;
    },
  });
  return { status, writes, waits, writtenWhileWaiting };
}

test('a large check report is written in bounded pieces, each once stdout is ready', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'auditd-tools-large-report-'));
  try {
    const file = join(dir, 'junk.rules');
    writeFileSync(file, junk(), { mode: 0o644 });
    for (const format of ['text', 'json', 'sarif']) {
      const { status, writes, waits, writtenWhileWaiting } =
        await run(['check', '--format', format, file]);
      assert.equal(status, 1, format);
      assert.equal(writtenWhileWaiting, 0, `${format}: written before stdout was ready`);
      assert.equal(waits, writes.length, `${format}: a wait after each piece`);
      const whole = writes.join('');
      assert.ok(whole.length > 4_000_000, `${format}: ${whole.length} characters`);
      assert.ok(writes.length > 10, `${format}: ${writes.length} writes`);
      const largest = Math.max(...writes.map((piece) => piece.length));
      assert.ok(largest < 256 * 1024, `${format}: a piece of ${largest} characters`);
      if (format === 'text') assert.match(whole, /\d+ errors, \d+ warnings?, .* in 1 file\n$/);
      else JSON.parse(whole);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
