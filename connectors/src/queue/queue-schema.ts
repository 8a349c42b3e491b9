import type { FeatureSchema } from '../store/index.ts';

/** The durable queue's tables, applied by the shared store (feature "queue"). */
export const QUEUE_SCHEMA: FeatureSchema = {
  feature: 'queue',
  migrations: [
    {
      version: 1,
      description: 'queue events with idempotency keys, groups, leases, retries and dead letters',
      up: `
        CREATE TABLE IF NOT EXISTS queue_events (
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
        CREATE INDEX IF NOT EXISTS queue_events_ready ON queue_events (status, available_at, id);
        CREATE INDEX IF NOT EXISTS queue_events_group ON queue_events (group_key, status);
        CREATE UNIQUE INDEX IF NOT EXISTS queue_events_signature ON queue_events (signature) WHERE signature IS NOT NULL;
      `,
    },
    {
      version: 2,
      description:
        'a signature may repeat across invocations (same body in the same second): index, not unique',
      up: `
        DROP INDEX IF EXISTS queue_events_signature;
        CREATE INDEX IF NOT EXISTS queue_events_signature ON queue_events (signature) WHERE signature IS NOT NULL;
      `,
    },
  ],
};
