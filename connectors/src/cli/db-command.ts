import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parsePostgresUrl } from '../config/store.ts';
import { CopyError, copySqliteToPostgres, type TableCount } from '../store/copy-to-postgres.ts';
import { openStore } from '../store/database.ts';
import { FEATURE_SCHEMAS } from '../store/feature-registry.ts';
import { redactUrl } from '../store/postgres.ts';
import { loadStoreConfig } from './automation-config.ts';
import type { CliIo } from './cli-io.ts';
import { readCommandLine } from './read-command-line.ts';

const HELP = `Usage: boucle db copy --to postgres://user:password@host:port/database [--env-file FILE]
       boucle db migrate [--env-file FILE]

copy     Copies the SQLite store (BOUCLE_DB_PATH) into an empty PostgreSQL database, every feature's tables and
         their whole history, in one transaction: the target is migrated to this program's versions, the rows
         are copied, the id sequences moved past the copied ids, and the rows of every table counted on both
         sides (any difference undoes the copy). A target with rows in any table is refused. The SQLite file is
         only read. Then set BOUCLE_DATABASE_URL to the same URL for every worker (docs/scaling.md).
migrate  Brings the SQLite store to this program's schema versions for every feature (what copy needs).`;

export async function run(args: readonly string[], io: CliIo): Promise<number> {
  const read = readCommandLine(
    'db',
    args,
    { 'env-file': { type: 'string' }, to: { type: 'string' } },
    HELP,
    io,
  );
  if (read.line === undefined) return read.exitCode;
  const { values, positionals } = read.line;
  const [action, ...rest] = positionals;
  if ((action !== 'copy' && action !== 'migrate') || rest.length > 0) {
    io.stderr.write(`boucle db: say copy or migrate.\n\n${HELP}\n`);
    return 2;
  }
  const config = loadStoreConfig('db', io, values['env-file']);
  if (config === null) return 2;
  const path = resolve(io.cwd, config.store.path);
  if (action === 'migrate') {
    const existed = existsSync(path);
    const store = openStore(path, FEATURE_SCHEMAS);
    store.close();
    io.stdout.write(
      `${existed ? 'Migrated' : 'Created'} ${path}: ${FEATURE_SCHEMAS.map((s) => `${s.feature} ${s.migrations.length}`).join(', ')}.\n`,
    );
    return 0;
  }
  if (values.to === undefined) {
    io.stderr.write(`boucle db copy: say where to with --to postgres://…\n\n${HELP}\n`);
    return 2;
  }
  try {
    parsePostgresUrl(values.to);
  } catch (error) {
    io.stderr.write(`boucle db copy: --to ${(error as Error).message}.\n`);
    return 2;
  }
  try {
    const result = await copySqliteToPostgres({
      sqlitePath: path,
      databaseUrl: values.to,
      schemas: FEATURE_SCHEMAS,
      log: (line) => io.stderr.write(`${line}\n`),
    });
    const rows = result.tables.reduce((sum, t) => sum + t.sqlite, 0);
    io.stdout.write(`${countTable(result.tables)}\n`);
    io.stdout.write(
      `Copied ${result.tables.length} tables (${rows} rows) from ${path} to ${redactUrl(values.to)}; ` +
        `${result.sequences} id sequence(s) moved past the copied ids. Every count matches.\n` +
        'Next: set BOUCLE_DATABASE_URL to this URL for every worker (docs/scaling.md).\n',
    );
    return 0;
  } catch (error) {
    io.stderr.write(`boucle db copy: ${(error as Error).message}\n`);
    return error instanceof CopyError || (error as Error).message.startsWith('Cannot use the PostgreSQL')
      ? 2
      : 1;
  }
}

/** table | SQLite | PostgreSQL, aligned. */
export function countTable(tables: readonly TableCount[]): string {
  const head = ['table', 'SQLite', 'PostgreSQL'] as const;
  const body = tables.map((t) => [t.table, String(t.sqlite), String(t.postgres)] as const);
  const width = [0, 1, 2].map((i) => Math.max(head[i]!.length, ...body.map((row) => row[i]!.length)));
  const line = (row: readonly string[]): string =>
    row.map((cell, i) => (i === 0 ? cell.padEnd(width[i]!) : cell.padStart(width[i]!))).join('  ');
  return [line(head), ...body.map(line)].join('\n');
}
