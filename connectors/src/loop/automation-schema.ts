import type { FeatureSchema } from '../store/index.ts';
import { backfillCompactInputs } from './intervention-ledger.ts';

/** The closed-loop service's own tables (feature "automation"), applied by the shared store. */
export const AUTOMATION_SCHEMA: FeatureSchema = {
  feature: 'automation',
  migrations: [
    {
      version: 1,
      description: 'intervention ledger mirror, per-ticket decision state, cursors',
      up: `
        CREATE TABLE automation_interventions (
          id INTEGER PRIMARY KEY,
          decision_key TEXT NOT NULL UNIQUE,
          ticket_id INTEGER NOT NULL,
          user_id INTEGER,
          action TEXT NOT NULL,
          priority TEXT,
          tier TEXT,
          expected_value REAL,
          cost REAL,
          summary TEXT NOT NULL DEFAULT '',
          status TEXT NOT NULL,
          decided_at INTEGER NOT NULL,
          due_at INTEGER,
          reminded_at INTEGER,
          first_contact_at INTEGER,
          outcome TEXT,
          outcome_at INTEGER,
          recovered INTEGER,
          record_id TEXT
        );
        CREATE INDEX automation_interventions_ticket ON automation_interventions (ticket_id, id);
        CREATE INDEX automation_interventions_due ON automation_interventions (due_at) WHERE first_contact_at IS NULL;
        CREATE TABLE automation_tickets (
          ticket_id INTEGER PRIMARY KEY,
          fingerprint TEXT,
          boucle_priority TEXT,
          intervention_id INTEGER,
          updated_at INTEGER NOT NULL
        );
        CREATE TABLE automation_state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      `,
    },
    {
      version: 2,
      description: "ticket state keeps the agent's priority and the tags of the last decision",
      up: `
        ALTER TABLE automation_tickets ADD COLUMN base_priority TEXT;
        ALTER TABLE automation_tickets ADD COLUMN tags TEXT NOT NULL DEFAULT '[]';
      `,
    },
    {
      version: 3,
      description:
        'each intervention keeps its decision input, compensation tier and agent minutes, so a draft policy can be previewed on it',
      up: `
        ALTER TABLE automation_interventions ADD COLUMN input TEXT;
        ALTER TABLE automation_interventions ADD COLUMN compensation_tier TEXT;
        ALTER TABLE automation_interventions ADD COLUMN agent_minutes REAL;
        CREATE INDEX automation_interventions_decided ON automation_interventions (decided_at);
      `,
    },
    {
      version: 4,
      description:
        'each intervention keeps its decision input in the compact form a preview reads fastest (input_compact); the inputs stored as JSON are converted and their JSON kept',
      up: (db) => {
        db.exec('ALTER TABLE automation_interventions ADD COLUMN input_compact TEXT');
        backfillCompactInputs(db);
      },
    },
  ],
};
