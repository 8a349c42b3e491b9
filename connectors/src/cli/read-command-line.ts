import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';
import type { CliIo } from './cli-io.ts';

const HELP_OPTION = { help: { type: 'boolean', short: 'h' } } as const;

interface CommandLineConfig<TOptions extends ParseArgsOptionsConfig> {
  args: string[];
  allowPositionals: true;
  strict: true;
  options: TOptions & typeof HELP_OPTION;
}

export type CommandLine<TOptions extends ParseArgsOptionsConfig> = ReturnType<
  typeof parseArgs<CommandLineConfig<TOptions>>
>;

/**
 * Reads a sub-command's arguments, with `--help`/`-h` added. `--help` prints the help and an unknown or malformed
 * option prints what is wrong followed by the help: both give back the exit code (0 and 2) instead of a line.
 */
export function readCommandLine<const TOptions extends ParseArgsOptionsConfig>(
  command: string,
  args: readonly string[],
  options: TOptions,
  help: string,
  io: CliIo,
): { line: CommandLine<TOptions>; exitCode?: never } | { line?: never; exitCode: number } {
  const config: CommandLineConfig<TOptions> = {
    args: [...args],
    allowPositionals: true,
    strict: true,
    options: { ...options, ...HELP_OPTION },
  };
  let line: CommandLine<TOptions>;
  try {
    line = parseArgs(config);
  } catch (error) {
    io.stderr.write(`boucle ${command}: ${(error as Error).message}\n\n${help}\n`);
    return { exitCode: 2 };
  }
  if ((line.values as { help?: boolean }).help === true) {
    io.stdout.write(`${help}\n`);
    return { exitCode: 0 };
  }
  return { line };
}

/** The value of a whole-number option, or `fallback` when it is absent; throws a message naming the option. */
export function wholeNumber(name: string, text: string | undefined, fallback: number, min: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min)
    throw new Error(`--${name} must be a whole number ≥ ${min} (got "${text}")`);
  return value;
}
