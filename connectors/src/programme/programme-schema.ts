import type { FeatureSchema } from '../store/index.ts';

/**
 * The programme view's own tables (feature "programme"): a local copy of the survey answers, tickets and users
 * the programme reads, refreshed from Zendesk (`boucle report pull`) and from the answers the connector queued
 * itself. The CRM cuts (segment, region, product line, value tier) are read from the sync's mirror at query
 * time, so they always follow the latest sync.
 */
export const PROGRAMME_SCHEMA: FeatureSchema = {
  feature: 'programme',
  migrations: [
    {
      version: 1,
      description: 'programme answers, tickets and users, with the pull cursors',
      up: `
        CREATE TABLE programme_answers (
          id TEXT PRIMARY KEY,
          responded_at INTEGER NOT NULL,      -- ms since epoch
          kind TEXT NOT NULL,                 -- nps | csat | ces | company_effort
          scale TEXT NOT NULL,
          score REAL NOT NULL,                -- good_bad: 1 good, 0 bad
          comment TEXT,
          channel TEXT,
          touchpoint TEXT,
          ticket_id INTEGER,
          interaction_id TEXT,
          user_id INTEGER,
          email TEXT,
          source TEXT NOT NULL
        );
        CREATE INDEX programme_answers_at ON programme_answers (responded_at);
        CREATE TABLE programme_tickets (
          id INTEGER PRIMARY KEY,
          created_at INTEGER NOT NULL,
          requester_id INTEGER,
          group_id INTEGER,
          status TEXT,
          incident INTEGER NOT NULL,          -- type incident or tagged as a critical incident
          product TEXT,                       -- from the ticket's product tag, when it has one
          tags TEXT NOT NULL DEFAULT '[]'
        );
        CREATE INDEX programme_tickets_at ON programme_tickets (created_at);
        CREATE TABLE programme_users (
          id INTEGER PRIMARY KEY,
          external_id TEXT,                   -- the Salesforce Contact id the sync wrote
          email TEXT,
          locale TEXT
        );
        CREATE INDEX programme_users_email ON programme_users (email);
        CREATE TABLE programme_state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      `,
    },
  ],
};
