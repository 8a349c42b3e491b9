import type { FeatureSchema } from '../store/index.ts';

/**
 * The console's own tables (feature "console"): what team leads did from the Zendesk console — warning signs
 * acknowledged or snoozed, callbacks marked done. The ledger (automation_interventions) keeps the loop's facts;
 * these keep who did what from the console, and when.
 */
export const CONSOLE_SCHEMA: FeatureSchema = {
  feature: 'console',
  migrations: [
    {
      version: 1,
      description: 'warning-sign states (acknowledged, snoozed) and callbacks marked done from the console',
      up: {
        sqlite: `
        CREATE TABLE console_signal_states (
          signal_id TEXT PRIMARY KEY,         -- shared signalId(): kind.dimension.value[.phrase]
          state TEXT NOT NULL CHECK (state IN ('acknowledged', 'snoozed')),
          until_at INTEGER,                   -- ms; a snooze ends then (null for an acknowledgement)
          by_name TEXT,
          at INTEGER NOT NULL
        );
        CREATE TABLE console_callbacks_done (
          intervention_id INTEGER PRIMARY KEY,
          ticket_id INTEGER NOT NULL,
          by_name TEXT,
          done_at INTEGER NOT NULL
        );
      `,
        postgres: `
        CREATE TABLE console_signal_states (
          signal_id TEXT PRIMARY KEY,         -- shared signalId(): kind.dimension.value[.phrase]
          state TEXT NOT NULL CHECK (state IN ('acknowledged', 'snoozed')),
          until_at BIGINT,                   -- ms; a snooze ends then (null for an acknowledgement)
          by_name TEXT,
          at BIGINT NOT NULL
        );
        CREATE TABLE console_callbacks_done (
          intervention_id BIGINT PRIMARY KEY,
          ticket_id BIGINT NOT NULL,
          by_name TEXT,
          done_at BIGINT NOT NULL
        );
      `,
      },
    },
  ],
};
