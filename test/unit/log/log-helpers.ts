// Shared by the log engine's tests: hand-written logs go through the same public entry as
// files do, fed as one stream (or in small chunks, to cross chunk boundaries).
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { analyzeLogs, type AnalyzeOptions } from '../../../server/src/log/analyze';
import type { NoiseReport } from '../../../server/src/log/report';

export const repoRoot = join(__dirname, '..', '..', '..', '..');
export const corpusLogs = join(repoRoot, '..', 'shared', 'corpus', 'logs');
export const hasCorpus = existsSync(corpusLogs);

async function* chunks(data: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
}

/** Analyses a log given as text or bytes; `chunkSize` splits it into small reads. */
export function analyzeText(
  text: string | Buffer,
  options: AnalyzeOptions & { chunkSize?: number } = {},
): Promise<NoiseReport> {
  const data = typeof text === 'string' ? Buffer.from(text, 'latin1') : text;
  const stream = chunks(data, options.chunkSize ?? Math.max(1, data.length));
  return analyzeLogs([{ name: 'test.log', stream }], { workers: 0, ...options });
}

/** A kernel SYSCALL record with the fields auditd writes, overridable. */
export function syscallRecord(
  stamp: string,
  fields: Record<string, string> = {},
  node?: string,
): string {
  const base: Record<string, string> = {
    arch: 'c000003e', syscall: '257', success: 'yes', exit: '3', a0: 'ffffff9c',
    a1: '7ffd1b2c', a2: '80000', a3: '0', items: '1', ppid: '1', pid: '812',
    auid: '4294967295', uid: '0', gid: '0', euid: '0', suid: '0', fsuid: '0', egid: '0',
    sgid: '0', fsgid: '0', tty: '(none)', ses: '4294967295', comm: '"named"',
    exe: '"/usr/sbin/named"', subj: 'unconfined', key: '(null)',
  };
  const body = Object.entries({ ...base, ...fields })
    .filter(([, value]) => value !== '')
    .map(([name, value]) => `${name}=${value}`)
    .join(' ');
  return `${node ? `node=${node} ` : ''}type=SYSCALL msg=audit(${stamp}): ${body}`;
}

export function record(type: string, stamp: string, body: string, node?: string): string {
  return `${node ? `node=${node} ` : ''}type=${type} msg=audit(${stamp}): ${body}`;
}

export function counts<T>(rows: readonly T[], key: (row: T) => string, value: (row: T) => number) {
  return Object.fromEntries(rows.map((row) => [key(row), value(row)]));
}

export function hex(text: string): string {
  return Buffer.from(text, 'latin1').toString('hex').toUpperCase();
}
