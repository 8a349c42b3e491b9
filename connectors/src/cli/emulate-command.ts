import type { StartEmulator } from '../../../sandbox/emulator.ts';
import type { CliIo } from './cli-io.ts';
import { readCommandLine } from './read-command-line.ts';

/** Each stand-in, loaded lazily. */
const EMULATORS: Readonly<Record<string, () => Promise<StartEmulator>>> = {
  zendesk: async () => (await import('../../../sandbox/zendesk/index.ts')).startZendeskEmulator,
  salesforce: async () => (await import('../../../sandbox/salesforce/index.ts')).startSalesforceEmulator,
};

const HELP = `Usage: boucle emulate <${Object.keys(EMULATORS).join('|') || 'name'}> [--port N] [--seed N] [--data DIR]

Starts a local stand-in and prints its base URL on the first line of stdout. Ctrl-C stops it.`;

export async function run(args: readonly string[], io: CliIo): Promise<number> {
  const read = readCommandLine(
    'emulate',
    args,
    {
      port: { type: 'string' },
      host: { type: 'string' },
      seed: { type: 'string' },
      data: { type: 'string' },
    },
    HELP,
    io,
  );
  if (read.line === undefined) return read.exitCode;
  const { values, positionals } = read.line;
  const name = positionals[0];
  const load = name === undefined ? undefined : EMULATORS[name];
  if (load === undefined) {
    io.stderr.write(`boucle emulate: name one of ${Object.keys(EMULATORS).join(', ')}.\n\n${HELP}\n`);
    return 2;
  }
  const port = parseInteger(values.port, '--port', 0, 65535, io);
  const seed = parseInteger(values.seed, '--seed', 0, Number.MAX_SAFE_INTEGER, io);
  if (port === null || seed === null) return 2;

  const start = await load();
  const emulator = await start({
    ...(port === undefined ? {} : { port }),
    ...(seed === undefined ? {} : { seed }),
    ...(values.host === undefined ? {} : { host: values.host }),
    ...(values.data === undefined ? {} : { dataDir: values.data }),
  });
  io.stdout.write(`${emulator.url}\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await emulator.close();
  return 0;
}

function parseInteger(
  raw: string | undefined,
  flag: string,
  min: number,
  max: number,
  io: CliIo,
): number | undefined | null {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    io.stderr.write(`boucle emulate: ${flag} takes a whole number from ${min} to ${max}, got "${raw}".\n`);
    return null;
  }
  return value;
}
