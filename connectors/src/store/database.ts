import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';

/**
 * Boucle's embedded state: one SQLite file shared by every feature of the connector (sync, automation, …).
 * Each feature owns its tables and brings its own ordered migrations under its own name; `openStore` applies
 * the missing ones, each in a transaction, and records them in `schema_migrations(feature, version)`.
 * A feature never edits another feature's migrations; it adds a new version to its own list.
 */

export interface Migration {
  /** 1, 2, 3 … in order, per feature. Never renumber or edit a migration that has shipped. */
  readonly version: number;
  readonly description: string;
  /** SQL (several statements allowed) or a function for data migrations. */
  readonly up: string | ((db: DatabaseSync) => void);
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
  const store: Store = { db, path, transaction, close: () => db.close() };
  for (const schema of schemas) migrate(store, schema);
  return store;
}

function migrate(store: Store, schema: FeatureSchema): void {
  const versions = schema.migrations.map((m) => m.version);
  versions.forEach((version, index) => {
    if (version !== index + 1)
      throw new Error(
        `Migrations of "${schema.feature}" must be numbered 1, 2, 3 … in order (found ${version}).`,
      );
  });
  const row = store.db
    .prepare('SELECT MAX(version) AS version FROM schema_migrations WHERE feature = ?')
    .get(schema.feature) as { version: number | null } | undefined;
  const current = row?.version ?? 0;
  if (current > schema.migrations.length)
    throw new Error(
      `The database ${store.path} has "${schema.feature}" at schema version ${current}, newer than this ` +
        `program knows (${schema.migrations.length}). Use a newer Boucle or another BOUCLE_DB_PATH.`,
    );
  for (const migration of schema.migrations.slice(current)) {
    store.transaction(() => {
      if (typeof migration.up === 'string') store.db.exec(migration.up);
      else migration.up(store.db);
      store.db
        .prepare(
          'INSERT INTO schema_migrations (feature, version, description, applied_at) VALUES (?, ?, ?, ?)',
        )
        .run(schema.feature, migration.version, migration.description, new Date().toISOString());
    });
  }
}
