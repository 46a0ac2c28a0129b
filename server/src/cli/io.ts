/** What a CLI command writes to and reads from; the entry point passes the process's. */
export interface CommandIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /**
   * Resolves once what was written to stdout has gone out far enough to write more. A
   * command writing a long report waits on it between pieces: a pipe to a slower reader
   * would otherwise hold the whole report in memory.
   */
  stdoutReady?: () => Promise<void>;
  stdin?: AsyncIterable<Buffer | string>;
}

export interface Command {
  name: string;
  /** One line for the command list. */
  summary: string;
  usage: string;
  /** Resolves to the exit status. */
  run: (args: readonly string[], io: CommandIo) => Promise<number>;
}
