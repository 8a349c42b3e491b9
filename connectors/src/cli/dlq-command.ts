import { loadStoreConfig } from './automation-config.ts';
import { openCommandQueue } from './open-queue.ts';
import type { CliIo } from './cli-io.ts';
import { readCommandLine } from './read-command-line.ts';

const HELP = `Usage: boucle dlq list [--json] [--env-file FILE]
       boucle dlq retry (ID... | --all) [--env-file FILE]

The dead-letter list: events that failed every attempt (or could never succeed). \`retry\` puts them back in the
queue with fresh attempts; a running \`boucle serve\` picks them up.`;

export async function run(args: readonly string[], io: CliIo): Promise<number> {
  const read = readCommandLine(
    'dlq',
    args,
    { 'env-file': { type: 'string' }, all: { type: 'boolean' }, json: { type: 'boolean' } },
    HELP,
    io,
  );
  if (read.line === undefined) return read.exitCode;
  const { values, positionals } = read.line;
  const [action, ...rest] = positionals;
  const ids = rest.map(Number);
  if (action !== 'list' && action !== 'retry') {
    io.stderr.write(`boucle dlq: say list or retry.\n\n${HELP}\n`);
    return 2;
  }
  if (action === 'retry' && (values.all === true) === rest.length > 0) {
    io.stderr.write('boucle dlq retry: give event ids or --all (not both).\n');
    return 2;
  }
  if (ids.some((id) => !Number.isSafeInteger(id) || id <= 0)) {
    io.stderr.write(`boucle dlq retry: event ids are whole numbers (got ${rest.join(' ')}).\n`);
    return 2;
  }
  const config = loadStoreConfig('dlq', io, values['env-file']);
  if (config === null) return 2;
  // With BOUCLE_DATABASE_URL the queue (and so its dead letters) is on PostgreSQL.
  const opened = await openCommandQueue('dlq', config.store, io);
  if (opened === null) return 2;
  const { queue } = opened;
  try {
    if (action === 'list') {
      const dead = await queue.listDead(1000);
      if (values.json === true) {
        for (const event of dead) io.stdout.write(`${JSON.stringify(event)}\n`);
      } else if (dead.length === 0) io.stdout.write('The dead-letter list is empty.\n');
      else {
        for (const event of dead) {
          io.stdout.write(
            `${event.id}\t${event.kind}\t${event.acceptedAt.toISOString()}\t${event.attempts} attempt(s)\t${event.lastError ?? ''}\n`,
          );
        }
      }
      return 0;
    }
    const retried = await queue.retryDead(values.all === true ? undefined : ids);
    io.stdout.write(`${retried} event(s) queued again.\n`);
    return retried === 0 && values.all !== true ? 1 : 0;
  } finally {
    await opened.close();
  }
}
