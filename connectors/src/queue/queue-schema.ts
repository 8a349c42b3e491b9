import type { Migration } from './local-database.ts';

/**
 * The queue's tables. Kept here, applied by `migrateQueue`, so the queue can move onto the shared store's
 * migration list without changing its SQL.
 */
export const QUEUE_MIGRATIONS: readonly Migration[] = [
  {
    id: 'queue-001-events',
    sql: `
      CREATE TABLE IF NOT EXISTS boucle_queue_events (
        id INTEGER PRIMARY KEY,
        idempotency_key TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL,
        group_key TEXT,
        payload TEXT NOT NULL,
        signature TEXT,
        status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'processing', 'done', 'dead')),
        attempts INTEGER NOT NULL DEFAULT 0,
        accepted_at INTEGER NOT NULL,
        available_at INTEGER NOT NULL,
        lease_until INTEGER,
        done_at INTEGER,
        last_error TEXT
      );
      CREATE INDEX IF NOT EXISTS boucle_queue_events_ready ON boucle_queue_events (status, available_at, id);
      CREATE UNIQUE INDEX IF NOT EXISTS boucle_queue_events_signature
        ON boucle_queue_events (signature) WHERE signature IS NOT NULL;
    `,
  },
];
