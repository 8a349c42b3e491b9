import type { Readable, Writable } from 'node:stream';

/** What a command may touch of the outside world; tests pass their own streams. */
export interface CliIo {
  readonly stdin: Readable;
  readonly stdout: Writable;
  readonly stderr: Writable;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}

/** A sub-command: gets its own arguments (after the command name), returns the exit code. */
export type CommandRun = (args: readonly string[], io: CliIo) => Promise<number>;

export interface CommandModule {
  readonly run: CommandRun;
}
