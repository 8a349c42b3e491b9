import type { FeatureSchema } from '../store/index.ts';

/**
 * The write-back's own tables (feature "writeback"): the outbox of Salesforce records, keyed by
 * (object, external id), holding the latest wanted state of each record and the hash Salesforce last
 * acknowledged; the facts of each decision the ledger does not keep; pause state; one row per run.
 */
export const WRITEBACK_SCHEMA: FeatureSchema = {
  feature: 'writeback',
  migrations: [
    {
      version: 1,
      description: 'write-back outbox, decision facts, state and runs',
      up: `
        CREATE TABLE writeback_record (
          object TEXT NOT NULL,
          external_id TEXT NOT NULL,
          kind TEXT NOT NULL,                 -- feedback | intervention | task | rollup
          email TEXT,                         -- the customer's email, to find the Contact
          zendesk_user_id INTEGER,            -- the customer in Zendesk, when the email is not known yet
          contact_id TEXT,                    -- resolved Salesforce Contact Id
          account_id TEXT,                    -- resolved Salesforce Account Id
          ticket_id INTEGER,
          payload TEXT NOT NULL,              -- JSON field values, lookups excluded
          hash TEXT NOT NULL,
          written_hash TEXT,                  -- hash Salesforce last acknowledged
          sf_id TEXT,
          attempts INTEGER NOT NULL DEFAULT 0,
          next_attempt_at INTEGER NOT NULL DEFAULT 0,
          last_error TEXT,
          dead INTEGER NOT NULL DEFAULT 0,
          staged_at INTEGER NOT NULL,
          written_at INTEGER,
          PRIMARY KEY (object, external_id)
        );
        CREATE INDEX writeback_record_pending ON writeback_record (kind, next_attempt_at)
          WHERE written_hash IS NOT hash AND dead = 0;
        CREATE INDEX writeback_record_account ON writeback_record (account_id, kind);
        CREATE INDEX writeback_record_unresolved ON writeback_record (email) WHERE contact_id IS NULL;
        CREATE TABLE writeback_decision (
          decision_key TEXT PRIMARY KEY,
          email TEXT,
          ccer REAL,
          value_at_risk REAL,
          overridden INTEGER NOT NULL DEFAULT 0,
          recorded_at INTEGER NOT NULL
        );
        CREATE TABLE writeback_state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE writeback_run (
          id INTEGER PRIMARY KEY,
          started_at INTEGER NOT NULL,
          finished_at INTEGER,
          mode TEXT NOT NULL,
          outcome TEXT,
          written INTEGER NOT NULL DEFAULT 0,
          failed INTEGER NOT NULL DEFAULT 0,
          calls INTEGER NOT NULL DEFAULT 0,
          detail TEXT
        );
      `,
    },
  ],
};
