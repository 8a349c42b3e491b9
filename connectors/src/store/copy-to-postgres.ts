import { existsSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import pg from 'pg';
import type { FeatureSchema } from './database.ts';
import { describeConnectionError, openPostgresStore, redactUrl } from './postgres.ts';
import type { SqlValue } from './sql.ts';

/**
 * `boucle db copy`: an existing SQLite store (BOUCLE_DB_PATH) moved to an empty PostgreSQL database, history and
 * all, so that a team can go from one process to several without losing anything.
 *
 * 1. The SQLite store must be at this program's versions for every feature (else: what to run).
 * 2. The target must be empty (every table without rows); nothing is written otherwise.
 * 3. The target is migrated to the same versions (the ordinary migration runner).
 * 4. In **one PostgreSQL transaction**, against one read snapshot of the SQLite file: every table's rows in
 *    batches (multi-row `INSERT … VALUES` with parameters), identities kept (`OVERRIDING SYSTEM VALUE`), the
 *    identity sequences moved past the largest id (and past SQLite's AUTOINCREMENT counter), `schema_migrations`
 *    replaced by the SQLite store's rows, then the rows of every table counted on both sides. Any error or
 *    difference rolls everything back.
 *
 * Triggers: the programme's change-log triggers (on its answers, tickets, users and on the sync mirror) would log
 * every copied row as a change. They are disabled for the copy (`ALTER TABLE … DISABLE TRIGGER USER`, inside the
 * transaction, re-enabled before it commits), and the change log itself (`programme_dirty`) and the derived facts
 * are copied as they are: the target is the same state as the source, its next incremental refresh does exactly
 * what the source's would have done. (`SET session_replication_role = replica` would need a superuser; disabling
 * triggers needs only to own the tables, which the migrating user does.)
 *
 * Columns only PostgreSQL has: `programme_answers.rowid` is SQLite's implicit rowid made a real identity column on
 * PostgreSQL (the facts are keyed by it), so it is read from SQLite's `rowid`.
 */

export interface TableCount {
  readonly table: string;
  readonly sqlite: number;
  readonly postgres: number;
}

export interface CopyResult {
  readonly tables: readonly TableCount[];
  /** Identity sequences moved past the copied ids. */
  readonly sequences: number;
}

export interface CopyOptions {
  readonly sqlitePath: string;
  readonly databaseUrl: string;
  readonly schemas: readonly FeatureSchema[];
  /** Most rows in one INSERT (default 500; fewer when a table is wide: at most 30 000 parameters). */
  readonly batchRows?: number;
  /** Progress lines ("queue_events: 1200 rows"). */
  readonly log?: (line: string) => void;
}

/** The copy refused or undone: the message says why and what to do; nothing stays written. */
export class CopyError extends Error {
  override readonly name = 'CopyError';
}

const quote = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** Checks the SQLite store's versions against the program's; a message per feature that differs. */
export function versionProblems(db: DatabaseSync, schemas: readonly FeatureSchema[]): string[] {
  const known = db
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'")
    .get();
  const rows =
    known === undefined
      ? []
      : (db
          .prepare('SELECT feature, MAX(version) AS version FROM schema_migrations GROUP BY feature')
          .all() as { feature: string; version: number }[]);
  const stored = new Map(rows.map((row) => [row.feature, row.version]));
  const problems: string[] = [];
  for (const schema of schemas) {
    const have = stored.get(schema.feature) ?? 0;
    const want = schema.migrations.length;
    if (have < want)
      problems.push(`"${schema.feature}" is at version ${have}, this program at ${want} (older)`);
    if (have > want)
      problems.push(`"${schema.feature}" is at version ${have}, this program at ${want} (newer)`);
    stored.delete(schema.feature);
  }
  for (const [feature, version] of stored)
    problems.push(`"${feature}" (version ${version}) is a feature this program does not know (newer)`);
  return problems;
}

export async function copySqliteToPostgres(options: CopyOptions): Promise<CopyResult> {
  const { sqlitePath, databaseUrl, schemas } = options;
  const log = options.log ?? (() => undefined);
  const where = redactUrl(databaseUrl);
  if (!existsSync(sqlitePath))
    throw new CopyError(`There is no SQLite store at ${sqlitePath} (BOUCLE_DB_PATH): nothing to copy.`);
  // Opened as it is: no migration, no pragma that writes; the copy only reads it (one read transaction).
  const sqlite = { db: new DatabaseSync(sqlitePath, { timeout: 10_000 }) };
  try {
    const problems = versionProblems(sqlite.db, schemas);
    if (problems.length > 0) {
      const newer = problems.some((p) => p.endsWith('(newer)'));
      throw new CopyError(
        `The SQLite store ${sqlitePath} is not at this program's schema versions: ${problems.join('; ')}. ` +
          (newer
            ? 'Copy it with the Boucle that wrote it (or a newer one).'
            : "Run `boucle db migrate` first (it brings BOUCLE_DB_PATH to this program's versions), then copy again."),
      );
    }
    await refuseNonEmpty(databaseUrl, where);
    const target = await openPostgresStore(databaseUrl, schemas, { max: 1 });
    try {
      try {
        return await target.transaction((client) => copyRows(sqlite.db, client, where, options, log));
      } catch (error) {
        if (error instanceof CopyError) throw error;
        throw new CopyError(
          `The copy to ${where} failed and was rolled back (no row was written; the tables it migrated stay, ` +
            `empty, so the copy can run again): ${(error as Error).message}`,
          { cause: error },
        );
      }
    } finally {
      await target.close();
    }
  } finally {
    sqlite.db.close();
  }
}

/** Connects (the same message as `boucle serve` when it cannot) and refuses a target with rows in any table. */
async function refuseNonEmpty(url: string, where: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw describeConnectionError(error, url);
  }
  try {
    const full = await tablesWithRows(client);
    if (full.length > 0)
      throw new CopyError(
        `The PostgreSQL database ${where} is not empty: table ${full[0]} has rows` +
          `${full.length > 1 ? ` (and ${full.length - 1} other table(s))` : ''}. Copy into a new, empty ` +
          'database (createdb …); nothing was written.',
      );
  } finally {
    await client.end();
  }
}

async function tablesWithRows(client: pg.ClientBase): Promise<string[]> {
  const { rows } = await client.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables
      WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> 'schema_migrations'
      ORDER BY table_name`,
  );
  const full: string[] = [];
  for (const { table_name } of rows) {
    const { rowCount } = await client.query(`SELECT 1 FROM ${quote(table_name)} LIMIT 1`);
    if ((rowCount ?? 0) > 0) full.push(table_name);
  }
  return full;
}

interface TargetTable {
  readonly name: string;
  readonly columns: readonly string[];
  readonly identities: readonly string[];
  readonly triggers: boolean;
}

async function targetTables(client: pg.ClientBase): Promise<Map<string, TargetTable>> {
  const { rows } = await client.query<{ table_name: string; column_name: string; is_identity: string }>(
    `SELECT c.table_name, c.column_name, c.is_identity FROM information_schema.columns c
       JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
      WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
      ORDER BY c.table_name, c.ordinal_position`,
  );
  const { rows: triggered } = await client.query<{ name: string }>(
    `SELECT DISTINCT c.relname AS name FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid
      WHERE NOT g.tgisinternal AND c.relnamespace = current_schema()::regnamespace`,
  );
  const withTriggers = new Set(triggered.map((row) => row.name));
  const tables = new Map<string, { columns: string[]; identities: string[] }>();
  for (const row of rows) {
    const table = tables.get(row.table_name) ?? { columns: [], identities: [] };
    table.columns.push(row.column_name);
    if (row.is_identity === 'YES') table.identities.push(row.column_name);
    tables.set(row.table_name, table);
  }
  return new Map(
    [...tables].map(([name, t]) => [name, { name, ...t, triggers: withTriggers.has(name) }] as const),
  );
}

async function copyRows(
  db: DatabaseSync,
  client: pg.ClientBase,
  where: string,
  options: CopyOptions,
  log: (line: string) => void,
): Promise<CopyResult> {
  // A worker may have started on the target since the first look: check again, inside the transaction.
  const full = await tablesWithRows(client);
  if (full.length > 0)
    throw new CopyError(
      `The PostgreSQL database ${where} got rows in table ${full[0]} while the copy was starting; nothing was copied.`,
    );
  const target = await targetTables(client);
  const sourceTables = (
    db
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
      )
      .all() as { name: string }[]
  ).map((row) => row.name);
  const unknown = sourceTables.filter((name) => !target.has(name));
  if (unknown.length > 0)
    throw new CopyError(
      `Table ${unknown.join(', ')} of the SQLite store has no place on ${where} (it belongs to no feature this ` +
        'program migrates); nothing was copied.',
    );
  const autoincrement = new Map<string, number>();
  if (db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'").get() !== undefined)
    for (const row of db.prepare('SELECT name, seq FROM sqlite_sequence').all() as {
      name: string;
      seq: number;
    }[])
      autoincrement.set(row.name, row.seq);

  db.exec('BEGIN'); // one read snapshot of the file (WAL: other processes keep writing meanwhile)
  try {
    const triggered = [...target.values()].filter((t) => t.triggers);
    for (const table of triggered)
      await client.query(`ALTER TABLE ${quote(table.name)} DISABLE TRIGGER USER`);

    const counts: TableCount[] = [];
    let sequences = 0;
    for (const name of sourceTables) {
      const table = target.get(name)!;
      const sourceColumns = new Set(
        (db.prepare('SELECT name FROM pragma_table_info(?)').all(name) as { name: string }[]).map(
          (r) => r.name,
        ),
      );
      const select = table.columns.map((column) => {
        if (sourceColumns.has(column)) return quote(column);
        if (column === 'rowid') return 'rowid'; // SQLite's implicit rowid (programme_answers)
        throw new CopyError(
          `Column ${name}.${column} of ${where} is not in the SQLite store; nothing was copied.`,
        );
      });
      const missing = [...sourceColumns].filter((column) => !table.columns.includes(column));
      if (missing.length > 0)
        throw new CopyError(
          `Column ${missing.map((c) => `${name}.${c}`).join(', ')} of the SQLite store is not on ${where}; nothing was copied.`,
        );
      if (name === 'schema_migrations') await replaceMigrations(db, client);
      else {
        const width = table.columns.length;
        const batch = Math.max(1, Math.min(options.batchRows ?? 500, Math.floor(30_000 / width)));
        const insert = (rows: number): string => {
          const values: string[] = [];
          for (let r = 0; r < rows; r++)
            values.push(`(${table.columns.map((_, c) => `$${r * width + c + 1}`).join(', ')})`);
          return (
            `INSERT INTO ${quote(name)} (${table.columns.map(quote).join(', ')})` +
            `${table.identities.length > 0 ? ' OVERRIDING SYSTEM VALUE' : ''} VALUES ${values.join(', ')}`
          );
        };
        const fullBatch = insert(batch);
        let params: SqlValue[] = [];
        let rows = 0;
        let total = 0;
        const flush = async (): Promise<void> => {
          if (rows === 0) return;
          await client.query(rows === batch ? fullBatch : insert(rows), params);
          total += rows;
          params = [];
          rows = 0;
        };
        const statement = db.prepare(`SELECT ${select.join(', ')} FROM ${quote(name)}`);
        statement.setReturnArrays(true);
        for (const row of statement.iterate() as Iterable<SqlValue[]>) {
          for (const value of row) params.push(value instanceof Uint8Array ? Buffer.from(value) : value);
          if (++rows === batch) await flush();
        }
        await flush();
        if (total > 0) log(`${name}: ${total} row(s)`);
        for (const column of table.identities) {
          const { rows: max } = await client.query<{ max: number | null }>(
            `SELECT MAX(${quote(column)}) AS max FROM ${quote(name)}`,
          );
          const next = Math.max(max[0]?.max ?? 0, autoincrement.get(name) ?? 0);
          if (next > 0) {
            await client.query('SELECT setval(pg_get_serial_sequence($1, $2), $3, true)', [
              quote(name),
              column,
              next,
            ]);
            sequences++;
          }
        }
      }
      const sqliteCount = (db.prepare(`SELECT COUNT(*) AS n FROM ${quote(name)}`).get() as { n: number }).n;
      const { rows: pgCount } = await client.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${quote(name)}`);
      counts.push({ table: name, sqlite: sqliteCount, postgres: pgCount[0]!.n });
    }
    for (const table of triggered) await client.query(`ALTER TABLE ${quote(table.name)} ENABLE TRIGGER USER`);
    const differ = counts.filter((c) => c.sqlite !== c.postgres);
    if (differ.length > 0)
      throw new CopyError(
        `The copy to ${where} was rolled back: the row counts differ for ${differ
          .map((c) => `${c.table} (SQLite ${c.sqlite}, PostgreSQL ${c.postgres})`)
          .join(', ')}. Nothing was written.`,
      );
    return { tables: counts, sequences };
  } finally {
    db.exec('COMMIT');
  }
}

/** The target's migration rows (just written, dated now) replaced by the source's: one history, its own dates. */
async function replaceMigrations(db: DatabaseSync, client: pg.ClientBase): Promise<void> {
  await client.query('DELETE FROM schema_migrations');
  const rows = db
    .prepare(
      'SELECT feature, version, description, applied_at FROM schema_migrations ORDER BY feature, version',
    )
    .all() as { feature: string; version: number; description: string; applied_at: string }[];
  for (const row of rows)
    await client.query(
      'INSERT INTO schema_migrations (feature, version, description, applied_at) VALUES ($1, $2, $3, $4)',
      [row.feature, row.version, row.description, row.applied_at],
    );
}
