/** The logging port. The VS Code adapter writes to one LogOutputChannel; tests can collect lines. */
export interface Logger {
  trace(message: string, ...args: unknown[]): void;
  debug(message: string, ...args: unknown[]): void;
  info(message: string, ...args: unknown[]): void;
  warn(message: string, ...args: unknown[]): void;
  error(message: string | Error, ...args: unknown[]): void;
  /** A logger whose lines are prefixed with `[topic]`. */
  topic(name: string): Logger;
}

/** A logger that drops everything; for code paths where logging is optional. */
export const nullLogger: Logger = {
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  topic: () => nullLogger,
};
