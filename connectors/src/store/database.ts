import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';

import type { PostgresMigrationStep } from './postgres.ts';

/**
 * Boucle's embedded state: one SQLite file shared by every feature of the connector (sync, automation, …).
 * Each feature owns its tables and brings its own ordered migrations under its own name; `openStore` applies
 * the missing ones, each in a transaction, and records them in `schema_migrations(feature, version)`.
 * A feature never edits another feature's migrations; it adds a new version to its own list.
 *
 * The same history runs on PostgreSQL (`openPostgresStore`, connectors/src/store/postgres.ts): same features, same
 * versions, same `schema_migrations` table. A migration whose SQL differs between the two gives both:
 * `up: { sqlite: '…', postgres: '…' }`. A plain string is SQLite's; PostgreSQL refuses to open a feature with a
 * migration that has no `postgres` step (it says which), so nothing half-applies.
 */

export type SqliteMigrationStep = string | ((db: DatabaseSync) => void);

export interface DialectMigration {
  readonly sqlite: SqliteMigrationStep;
  readonly postgres: PostgresMigrationStep;
}

export interface Migration {
  /** 1, 2, 3 … in order, per feature. Never renumber or edit a migration that has shipped. */
  readonly version: number;
  readonly description: string;
  /** SQL (several statements allowed) or a function for data migrations; `{ sqlite, postgres }` for both. */
  readonly up: SqliteMigrationStep | DialectMigration;
}

/** The SQLite step of a migration. */
export function sqliteStep(migration: Migration): SqliteMigrationStep {
  return typeof migration.up === 'object' ? migration.up.sqlite : migration.up;
}

/** Checks the numbering of a feature's migrations (1, 2, 3 … in order). */
export function checkMigrationNumbers(schema: FeatureSchema): void {
  schema.migrations.forEach((migration, index) => {
    if (migration.version !== index + 1)
      throw new Error(
        `Migrations of "${schema.feature}" must be numbered 1, 2, 3 … in order (found ${migration.version}).`,
      );
  });
}

/** The migrations still to apply to a database at `current`; throws when the database is newer. */
export function pendingMigrations(
  schema: FeatureSchema,
  current: number,
  where: string,
): readonly Migration[] {
  checkMigrationNumbers(schema);
  if (current > schema.migrations.length)
    throw new Error(
      `The database ${where} has "${schema.feature}" at schema version ${current}, newer than this ` +
        `program knows (${schema.migrations.length}). Use a newer Boucle or another database.`,
    );
  return schema.migrations.slice(current);
}

export interface FeatureSchema {
  /** e.g. "sync", "automation". Table names should start with the same word. */
  readonly feature: string;
  readonly migrations: readonly Migration[];
}

export interface Store {
  readonly db: DatabaseSync;
  readonly path: string;
  /** Runs `work` in one transaction (BEGIN IMMEDIATE … COMMIT, ROLLBACK on throw). Nested calls join the outer one. */
  transaction<T>(work: () => T): T;
  /**
   * The same around asynchronous work (BEGIN IMMEDIATE … COMMIT): synchronous `transaction` calls made meanwhile join
   * it. Callers serialise these themselves (`sqliteSql` does): two at once would share one transaction.
   */
  transactionAsync<T>(work: () => Promise<T>): Promise<T>;
  close(): void;
}

export function openStore(path: string, schemas: readonly FeatureSchema[]): Store {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new DatabaseSync(path, { timeout: 10_000 });
  // WAL + synchronous=NORMAL survive a killed process (only an OS crash may lose the last commits).
  db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;');
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    feature TEXT NOT NULL,
    version INTEGER NOT NULL,
    description TEXT NOT NULL,
    applied_at TEXT NOT NULL,
    PRIMARY KEY (feature, version)
  )`);
  let depth = 0;
  const transaction = <T>(work: () => T): T => {
    if (depth > 0) {
      depth++;
      try {
        return work();
      } finally {
        depth--;
      }
    }
    db.exec('BEGIN IMMEDIATE');
    depth = 1;
    try {
      const result = work();
      db.exec('COMMIT');
      return result;
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    } finally {
      depth = 0;
    }
  };
  const transactionAsync = async <T>(work: () => Promise<T>): Promise<T> => {
    if (depth > 0)
      throw new Error('An asynchronous SQLite transaction cannot start inside another transaction.');
    db.exec('BEGIN IMMEDIATE');
    depth = 1;
    try {
      const result = await work();
      db.exec('COMMIT');
      return result;
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    } finally {
      depth = 0;
    }
  };
  const store: Store = { db, path, transaction, transactionAsync, close: () => db.close() };
  for (const schema of schemas) migrate(store, schema);
  return store;
}

function migrate(store: Store, schema: FeatureSchema): void {
  const row = store.db
    .prepare('SELECT MAX(version) AS version FROM schema_migrations WHERE feature = ?')
    .get(schema.feature) as { version: number | null } | undefined;
  for (const migration of pendingMigrations(schema, row?.version ?? 0, `${store.path} (BOUCLE_DB_PATH)`)) {
    store.transaction(() => {
      // Another process sharing the file (several `boucle serve` on one host) may have applied it meanwhile.
      const applied = store.db
        .prepare('SELECT 1 FROM schema_migrations WHERE feature = ? AND version = ?')
        .get(schema.feature, migration.version);
      if (applied !== undefined) return;
      const step = sqliteStep(migration);
      if (typeof step === 'string') store.db.exec(step);
      else step(store.db);
      store.db
        .prepare(
          'INSERT INTO schema_migrations (feature, version, description, applied_at) VALUES (?, ?, ?, ?)',
        )
        .run(schema.feature, migration.version, migration.description, new Date().toISOString());
    });
  }
}
