/** Runs the CLI's entry in this process, as the bin would, and keeps what it prints. */
import { Readable } from 'node:stream';
import { main } from '../../server/src/cli';

export interface CliRun {
  status: number;
  stdout: string;
  stderr: string;
}

/** `auditd-tools ARGS...`, with `stdin` as its standard input when given. */
export async function runCli(args: readonly string[], stdin?: string): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const status = await main([...args], {
    stdout: (text) => { stdout += text; },
    stderr: (text) => { stderr += text; },
    stdin: stdin === undefined ? undefined : Readable.from([stdin]),
  });
  return { status, stdout, stderr };
}
