/** What a CLI command writes to and reads from; the entry point passes the process's. */
export interface CommandIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
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
