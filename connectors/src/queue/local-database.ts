import { DatabaseSync } from 'node:sqlite';

export interface Migration {
  readonly id: string;
  readonly sql: string;
}

/**
 * Opens the service's SQLite database: WAL (readers never block the writer), fsync on every commit
 * (an accepted event survives a crash), and a busy wait so `boucle import` and `boucle serve` can share it.
 * Stand-in until the shared store (connectors/src/store/) lands; callers only see `DatabaseSync`.
 */
export function openLocalDatabase(path: string, migrations: readonly Migration[]): DatabaseSync {
  const db = new DatabaseSync(path);
  db.exec('PRAGMA busy_timeout = 5000');
  if (path !== ':memory:') db.exec('PRAGMA journal_mode = WAL');
  db.exec('PRAGMA synchronous = FULL');
  applyMigrations(db, migrations);
  return db;
}

/** Applies each migration once, in order, each in its own transaction. */
export function applyMigrations(db: DatabaseSync, migrations: readonly Migration[]): void {
  db.exec(
    'CREATE TABLE IF NOT EXISTS boucle_local_migrations (id TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)',
  );
  const applied = db.prepare('SELECT 1 AS one FROM boucle_local_migrations WHERE id = ?');
  const record = db.prepare('INSERT INTO boucle_local_migrations (id, applied_at) VALUES (?, ?)');
  for (const migration of migrations) {
    if (applied.get(migration.id) !== undefined) continue;
    db.exec('BEGIN IMMEDIATE');
    try {
      if (applied.get(migration.id) === undefined) {
        db.exec(migration.sql);
        record.run(migration.id, Date.now());
      }
      db.exec('COMMIT');
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    }
  }
}
