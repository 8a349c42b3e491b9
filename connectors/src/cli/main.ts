import type { CliIo, CommandModule } from './cli-io.ts';

interface CommandEntry {
  readonly summary: string;
  readonly load: () => Promise<CommandModule>;
}

/** Every sub-command of `boucle`, loaded lazily so one command's dependencies never slow another. */
export const COMMANDS: Readonly<Record<string, CommandEntry>> = {
  import: {
    summary: 'Queue the survey answers of a CSV export (NPS, CSAT, CES, company effort) for boucle serve.',
    load: () => import('./import-command.ts'),
  },
  dlq: {
    summary: 'List the dead-letter events of the automation queue, or queue them again.',
    load: () => import('./dlq-command.ts'),
  },
  serve: {
    summary:
      'Run the closed-loop service: signed Zendesk webhooks, survey endpoint, durable queue, follow-up.',
    load: () => import('./serve-command.ts'),
  },
  report: {
    summary:
      'Reports: loop closure per week (loop), results by cut (programme), warning signs (signals); pull copies Zendesk data.',
    load: () => import('./report-command.ts'),
  },
  db: {
    summary:
      'Move the SQLite store to PostgreSQL (copy --to postgres://…), or bring it to this version (migrate).',
    load: () => import('./db-command.ts'),
  },
  decide: {
    summary:
      'Decide on incidents: JSON lines in, one decision (action, priority, tags, explanation) per line out.',
    load: () => import('./decide-command.ts'),
  },
  emulate: {
    summary: 'Start a local stand-in for Salesforce, Zendesk or the Zendesk agent frame.',
    load: () => import('./emulate-command.ts'),
  },
  generate: {
    summary: 'Generate the seeded demo dataset for both emulators (--report: realised figures vs targets).',
    load: () => import('./generate-command.ts'),
  },
  simulate: {
    summary:
      'Replay the generated incidents under several policies; print a table and write docs/simulator.svg.',
    load: () => import('./simulate-command.ts'),
  },
  start: {
    summary:
      'Start everything locally (emulators, dataset, sync, serve, sidebar in the agent page) or against real accounts.',
    load: () => import('./start-command.ts'),
  },
  sync: {
    summary: 'Sync customer value from Salesforce into Zendesk organisation and user fields.',
    load: () => import('./sync-command.ts'),
  },
};

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  const lines = Object.entries(COMMANDS).map(([name, entry]) => `  ${name.padEnd(width)}  ${entry.summary}`);
  return [
    'Usage: boucle <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'boucle <command> --help for details.',
  ].join('\n');
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(`${usage()}\n`);
    return name === undefined ? 2 : 0;
  }
  const entry = COMMANDS[name];
  if (entry === undefined) {
    io.stderr.write(`boucle: unknown command "${name}".\n\n${usage()}\n`);
    return 2;
  }
  const command = await entry.load();
  return command.run(rest, io);
}
