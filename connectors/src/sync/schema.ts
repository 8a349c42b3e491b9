import type { FeatureSchema } from '../store/database.ts';

/**
 * The sync's tables in Boucle's SQLite file. A local mirror of the few Salesforce columns the value profile
 * needs (so aggregates are computed by SQL, never in memory), the profiles themselves (readable by the
 * automation service), what was last written to Zendesk (hash per record), an outbox of pending writes with
 * their Zendesk job ids, checkpoints, watermarks and dead letters.
 */
export const SYNC_SCHEMA: FeatureSchema = {
  feature: 'sync',
  migrations: [
    {
      version: 1,
      description: 'sync mirror, profiles, outbox, watermarks, dead letters',
      up: {
        sqlite: `
CREATE TABLE sync_kv (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE sync_watermark (
  object TEXT PRIMARY KEY,
  modstamp INTEGER NOT NULL,          -- ms since epoch, highest SystemModstamp read
  deleted_covered_until INTEGER NOT NULL
);
CREATE TABLE sync_full_checkpoint (
  object TEXT PRIMARY KEY,
  job_id TEXT,
  locator TEXT,                        -- next page to read; NULL = first page
  generation INTEGER NOT NULL,
  max_modstamp INTEGER NOT NULL,
  started_at INTEGER NOT NULL
);
CREATE TABLE sync_account (
  id TEXT PRIMARY KEY, name TEXT NOT NULL, created INTEGER, segment TEXT, region TEXT, product_line TEXT,
  margin_rate REAL, modstamp INTEGER NOT NULL, generation INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE sync_contact (
  id TEXT PRIMARY KEY, account_id TEXT NOT NULL, name TEXT NOT NULL, email TEXT,
  modstamp INTEGER NOT NULL, generation INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX sync_contact_account ON sync_contact (account_id);
CREATE TABLE sync_txn (
  id TEXT PRIMARY KEY, object TEXT NOT NULL, account_id TEXT NOT NULL, name TEXT, status TEXT,
  amount REAL NOT NULL, date TEXT,     -- YYYY-MM-DD
  revenue INTEGER NOT NULL,            -- won opportunity or activated order
  open INTEGER NOT NULL,               -- open opportunity
  modstamp INTEGER NOT NULL, generation INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX sync_txn_account ON sync_txn (account_id, date);
CREATE INDEX sync_txn_date ON sync_txn (date) WHERE revenue = 1;
CREATE TABLE sync_dirty (account_id TEXT PRIMARY KEY);
CREATE TABLE sync_deleted_contact (id TEXT PRIMARY KEY);
CREATE TABLE sync_profile (account_id TEXT PRIMARY KEY, profile TEXT NOT NULL, computed_at INTEGER NOT NULL);
CREATE TABLE sync_written (
  kind TEXT NOT NULL, external_id TEXT NOT NULL, hash TEXT NOT NULL, zendesk_id INTEGER, written_at INTEGER NOT NULL,
  PRIMARY KEY (kind, external_id)
);
CREATE TABLE sync_outbox (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  kind TEXT NOT NULL,                  -- organization | user
  external_id TEXT NOT NULL,
  hash TEXT NOT NULL,                  -- empty: a clearing write (record deleted in Salesforce)
  payload TEXT NOT NULL,
  batch_id INTEGER,
  UNIQUE (kind, external_id)
);
CREATE INDEX sync_outbox_pending ON sync_outbox (kind, batch_id, seq);
CREATE TABLE sync_batch (
  id INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, job_id TEXT, created_at INTEGER NOT NULL
);
CREATE TABLE sync_dead_letter (
  kind TEXT NOT NULL, external_id TEXT NOT NULL, hash TEXT NOT NULL, payload TEXT NOT NULL,
  error TEXT NOT NULL, attempts INTEGER NOT NULL, last_at INTEGER NOT NULL,
  PRIMARY KEY (kind, external_id)
);
CREATE TABLE sync_run (
  id INTEGER PRIMARY KEY AUTOINCREMENT, started_at INTEGER NOT NULL, finished_at INTEGER,
  outcome TEXT, stats TEXT
);
`,
        postgres: `
CREATE TABLE sync_kv (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE sync_watermark (
  object TEXT PRIMARY KEY,
  modstamp BIGINT NOT NULL,          -- ms since epoch, highest SystemModstamp read
  deleted_covered_until BIGINT NOT NULL
);
CREATE TABLE sync_full_checkpoint (
  object TEXT PRIMARY KEY,
  job_id TEXT,
  locator TEXT,                        -- next page to read; NULL = first page
  generation BIGINT NOT NULL,
  max_modstamp BIGINT NOT NULL,
  started_at BIGINT NOT NULL
);
CREATE TABLE sync_account (
  id TEXT PRIMARY KEY, name TEXT NOT NULL, created BIGINT, segment TEXT, region TEXT, product_line TEXT,
  margin_rate DOUBLE PRECISION, modstamp BIGINT NOT NULL, generation BIGINT NOT NULL DEFAULT 0
);
CREATE TABLE sync_contact (
  id TEXT PRIMARY KEY, account_id TEXT NOT NULL, name TEXT NOT NULL, email TEXT,
  modstamp BIGINT NOT NULL, generation BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX sync_contact_account ON sync_contact (account_id);
CREATE TABLE sync_txn (
  id TEXT PRIMARY KEY, object TEXT NOT NULL, account_id TEXT NOT NULL, name TEXT, status TEXT,
  amount DOUBLE PRECISION NOT NULL, date TEXT,     -- YYYY-MM-DD
  revenue BIGINT NOT NULL,            -- won opportunity or activated order
  open BIGINT NOT NULL,               -- open opportunity
  modstamp BIGINT NOT NULL, generation BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX sync_txn_account ON sync_txn (account_id, date);
CREATE INDEX sync_txn_date ON sync_txn (date) WHERE revenue = 1;
CREATE TABLE sync_dirty (account_id TEXT PRIMARY KEY);
CREATE TABLE sync_deleted_contact (id TEXT PRIMARY KEY);
CREATE TABLE sync_profile (account_id TEXT PRIMARY KEY, profile TEXT NOT NULL, computed_at BIGINT NOT NULL);
CREATE TABLE sync_written (
  kind TEXT NOT NULL, external_id TEXT NOT NULL, hash TEXT NOT NULL, zendesk_id BIGINT, written_at BIGINT NOT NULL,
  PRIMARY KEY (kind, external_id)
);
CREATE TABLE sync_outbox (
  seq BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  kind TEXT NOT NULL,                  -- organization | user
  external_id TEXT NOT NULL,
  hash TEXT NOT NULL,                  -- empty: a clearing write (record deleted in Salesforce)
  payload TEXT NOT NULL,
  batch_id BIGINT,
  UNIQUE (kind, external_id)
);
CREATE INDEX sync_outbox_pending ON sync_outbox (kind, batch_id, seq);
CREATE TABLE sync_batch (
  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, kind TEXT NOT NULL, job_id TEXT, created_at BIGINT NOT NULL
);
CREATE TABLE sync_dead_letter (
  kind TEXT NOT NULL, external_id TEXT NOT NULL, hash TEXT NOT NULL, payload TEXT NOT NULL,
  error TEXT NOT NULL, attempts BIGINT NOT NULL, last_at BIGINT NOT NULL,
  PRIMARY KEY (kind, external_id)
);
CREATE TABLE sync_run (
  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, started_at BIGINT NOT NULL, finished_at BIGINT,
  outcome TEXT, stats TEXT
);
`,
      },
    },
    {
      version: 2,
      description: 'account names index (Zendesk organisation names must be unique)',
      up: {
        sqlite: 'CREATE INDEX sync_account_name ON sync_account (name)',
        postgres: 'CREATE INDEX sync_account_name ON sync_account (name)',
      },
    },
    {
      version: 3,
      description: 'outbox rows by batch (settling a batch must not scan the whole outbox)',
      up: {
        sqlite: 'CREATE INDEX sync_outbox_batch ON sync_outbox (batch_id) WHERE batch_id IS NOT NULL',
        postgres: 'CREATE INDEX sync_outbox_batch ON sync_outbox (batch_id) WHERE batch_id IS NOT NULL',
      },
    },
  ],
};
