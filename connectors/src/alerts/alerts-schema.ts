import type { FeatureSchema } from '../store/index.ts';

/** Alerts' own tables (feature "alerts"): the ticket of each alert (never two) and what was sent, per owner and day. */
export const ALERTS_SCHEMA: FeatureSchema = {
  feature: 'alerts',
  migrations: [
    {
      version: 1,
      description: 'the Zendesk ticket of each alert, and each alert sent per owner and day (rate limit)',
      up: `
        CREATE TABLE alerts_tickets (
          alert_key TEXT PRIMARY KEY,
          ticket_id INTEGER NOT NULL,
          owner TEXT NOT NULL,
          fingerprint TEXT NOT NULL,
          opened_at INTEGER NOT NULL,
          updated_at INTEGER NOT NULL
        );
        CREATE TABLE alerts_sent (
          id INTEGER PRIMARY KEY,
          owner TEXT NOT NULL,
          day TEXT NOT NULL,
          alert_key TEXT NOT NULL,
          kind TEXT NOT NULL CHECK (kind IN ('opened', 'updated')),
          sent_at INTEGER NOT NULL
        );
        CREATE INDEX alerts_sent_owner_day ON alerts_sent (owner, day);
      `,
    },
  ],
};
