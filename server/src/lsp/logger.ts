/**
 * A levelled logger over the connection's console. The client shows these lines in its
 * output channel. Quiet by default: only errors, until the `auditd.logLevel` setting
 * asks for more.
 */

export type LogLevel = 'off' | 'error' | 'warn' | 'info' | 'debug';

export const logLevels: readonly LogLevel[] = ['off', 'error', 'warn', 'info', 'debug'];

/** The subset of the LSP RemoteConsole the logger writes to. */
export interface LogSink {
  error(message: string): void;
  warn(message: string): void;
  info(message: string): void;
  log(message: string): void;
}

const rank: Record<LogLevel, number> = { off: 0, error: 1, warn: 2, info: 3, debug: 4 };

export class ServerLogger {
  private level: LogLevel = 'error';

  constructor(private readonly sink: LogSink) {}

  setLevel(level: LogLevel): void {
    this.level = level;
  }

  get currentLevel(): LogLevel {
    return this.level;
  }

  enabled(level: Exclude<LogLevel, 'off'>): boolean {
    return rank[level] <= rank[this.level];
  }

  error(message: string): void {
    if (this.enabled('error')) this.sink.error(message);
  }

  warn(message: string): void {
    if (this.enabled('warn')) this.sink.warn(message);
  }

  info(message: string): void {
    if (this.enabled('info')) this.sink.info(message);
  }

  /** Debug lines are built lazily: most runs never print them. */
  debug(message: () => string): void {
    if (this.enabled('debug')) this.sink.log(message());
  }
}

export function isLogLevel(value: unknown): value is LogLevel {
  return typeof value === 'string' && (logLevels as readonly string[]).includes(value);
}
