import type { FeatureSchema } from '../store/index.ts';

/**
 * The programme view's own tables (feature "programme"): a local copy of the survey answers, tickets and users
 * the programme reads, refreshed from Zendesk (`boucle report pull`) and from the answers the connector queued
 * itself. The CRM cuts (segment, region, product line, value tier) are read from the sync's mirror at query
 * time, so they always follow the latest sync.
 *
 * Version 2 adds the facts the report and the signal scan aggregate in SQL (docs/programme.md, "Speed and
 * memory"): they are derived from the tables above and the sync mirror, never edited by hand. Version 3 keys them
 * by answer and ticket and records what changes (triggers on the sources and the sync mirror's cut columns), so a
 * refresh redoes only the facts those changes touch.
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
    {
      version: 2,
      description:
        'programme facts: one narrow row per answer and per ticket, monthly counts per cut, phrase counts',
      up: `
        -- The values of each cut, numbered per dimension (0, never stored, is "not known"); dimension 'score':
        -- each distinct (kind, value) of the facts, as "kind:value", numbered from 0.
        CREATE TABLE programme_cut_values (
          dimension TEXT NOT NULL, id INTEGER NOT NULL, value TEXT NOT NULL, PRIMARY KEY (dimension, id)
        ) WITHOUT ROWID;
        -- One row per answer, in the order the answers were given, with what the figures need and nothing else.
        CREATE TABLE programme_facts (
          seq INTEGER PRIMARY KEY,            -- order of the answers (responded_at, then arrival)
          at INTEGER NOT NULL,                -- responded_at, ms
          month INTEGER NOT NULL,             -- year * 12 + month − 1 (UTC)
          week INTEGER NOT NULL,              -- ISO year * 100 + ISO week (UTC)
          kind INTEGER NOT NULL,              -- 0 nps, 1 csat, 2 ces, 3 company_effort
          value REAL NOT NULL,                -- nps: score; csat: 1 satisfied, 0 not; ces: customer effort; company effort: score
          code INTEGER NOT NULL,              -- (kind, value) numbered: programme_cut_values 'score'
          d_tier INTEGER NOT NULL, d_segment INTEGER NOT NULL, d_region INTEGER NOT NULL, d_product INTEGER NOT NULL,
          d_group INTEGER NOT NULL, d_channel INTEGER NOT NULL, d_touchpoint INTEGER NOT NULL,
          d_language INTEGER NOT NULL,        -- programme_cut_values ids
          ticket_id INTEGER,
          answer_rowid INTEGER NOT NULL       -- programme_answers.rowid (its comment)
        );
        CREATE INDEX programme_facts_at ON programme_facts (at, code, d_tier, d_segment, d_region, d_product,
          d_group, d_channel, d_touchpoint, d_language, month, week);
        CREATE TABLE programme_ticket_facts (
          seq INTEGER PRIMARY KEY,
          id INTEGER NOT NULL,
          at INTEGER NOT NULL,
          month INTEGER NOT NULL,
          week INTEGER NOT NULL,
          incident INTEGER NOT NULL,
          d_tier INTEGER NOT NULL, d_segment INTEGER NOT NULL, d_region INTEGER NOT NULL, d_product INTEGER NOT NULL,
          d_group INTEGER NOT NULL, d_channel INTEGER NOT NULL, d_touchpoint INTEGER NOT NULL,
          d_language INTEGER NOT NULL
        );
        CREATE INDEX programme_ticket_facts_at ON programme_ticket_facts (at, incident, d_tier, d_segment,
          d_region, d_product, d_group, d_channel, d_touchpoint, d_language, month, week);
        -- One row per interaction with both a CES and a company-effort answer (the latest of each): when and
        -- in which cuts each was given, and the two efforts.
        CREATE TABLE programme_pairs (
          c_at INTEGER NOT NULL, c_month INTEGER NOT NULL, c_week INTEGER NOT NULL, ces REAL NOT NULL,
          c_tier INTEGER NOT NULL, c_segment INTEGER NOT NULL, c_region INTEGER NOT NULL, c_product INTEGER NOT NULL,
          c_group INTEGER NOT NULL, c_channel INTEGER NOT NULL, c_touchpoint INTEGER NOT NULL,
          c_language INTEGER NOT NULL,
          k_at INTEGER NOT NULL, k_month INTEGER NOT NULL, k_week INTEGER NOT NULL, ke REAL NOT NULL,
          k_tier INTEGER NOT NULL, k_segment INTEGER NOT NULL, k_region INTEGER NOT NULL, k_product INTEGER NOT NULL,
          k_group INTEGER NOT NULL, k_channel INTEGER NOT NULL, k_touchpoint INTEGER NOT NULL,
          k_language INTEGER NOT NULL
        );
        -- The signal scan's input: per cut value ('all' for the whole programme) and month, the CSAT, NPS and
        -- ticket counts, and where the cut first appears (the first answer's and first ticket's seq).
        CREATE TABLE programme_cut_months (
          dimension TEXT NOT NULL, value_id INTEGER NOT NULL, month INTEGER NOT NULL,
          csat_n INTEGER NOT NULL, csat_ok INTEGER NOT NULL, nps_n INTEGER NOT NULL, promoters INTEGER NOT NULL,
          detractors INTEGER NOT NULL, first_answer INTEGER, tickets INTEGER NOT NULL, incidents INTEGER NOT NULL,
          first_ticket INTEGER,
          PRIMARY KEY (month, dimension, value_id)
        ) WITHOUT ROWID;
        -- Comments per month and language, and how many of them hold each phrase.
        CREATE TABLE programme_comment_counts (
          month INTEGER NOT NULL, language TEXT NOT NULL, comments INTEGER NOT NULL, PRIMARY KEY (month, language)
        ) WITHOUT ROWID;
        CREATE TABLE programme_phrase_counts (
          month INTEGER NOT NULL, language TEXT NOT NULL, phrase TEXT NOT NULL, comments INTEGER NOT NULL,
          PRIMARY KEY (month, language, phrase)
        ) WITHOUT ROWID;
      `,
    },
    {
      version: 3,
      description:
        'programme facts kept up to date incrementally: keyed by answer and ticket, changed rows tracked by triggers',
      up: `
        -- The facts are derived data: dropped and rebuilt in full by the next refresh (facts_version).
        DROP TABLE programme_facts;
        DROP TABLE programme_ticket_facts;
        DROP TABLE programme_pairs;
        DROP TABLE programme_cut_months;
        DELETE FROM programme_cut_values;
        DELETE FROM programme_comment_counts;
        DELETE FROM programme_phrase_counts;
        DELETE FROM programme_state WHERE key IN ('facts_source', 'changes');
        -- One row per answer, keyed by the answer's rowid: the answers' order is (at, answer_rowid).
        CREATE TABLE programme_facts (
          answer_rowid INTEGER PRIMARY KEY,   -- programme_answers.rowid (its comment)
          at INTEGER NOT NULL,                -- responded_at, ms
          month INTEGER NOT NULL,             -- year * 12 + month − 1 (UTC)
          week INTEGER NOT NULL,              -- ISO year * 100 + ISO week (UTC)
          kind INTEGER NOT NULL,              -- 0 nps, 1 csat, 2 ces, 3 company_effort
          value REAL NOT NULL,                -- nps: score; csat: 1 satisfied, 0 not; ces: customer effort; company effort: score
          code INTEGER NOT NULL,              -- (kind, value) numbered: programme_cut_values 'score'
          d_tier INTEGER NOT NULL, d_segment INTEGER NOT NULL, d_region INTEGER NOT NULL, d_product INTEGER NOT NULL,
          d_group INTEGER NOT NULL, d_channel INTEGER NOT NULL, d_touchpoint INTEGER NOT NULL,
          d_language INTEGER NOT NULL,        -- programme_cut_values ids
          ticket_id INTEGER,
          interaction TEXT,                   -- CES and company effort only: the interaction (or ticket) they rate
          commented INTEGER NOT NULL          -- 1 when the answer has a (non-blank) comment
        );
        CREATE INDEX programme_facts_at ON programme_facts (at, code, d_tier, d_segment, d_region, d_product,
          d_group, d_channel, d_touchpoint, d_language, month, week);
        CREATE INDEX programme_facts_interaction ON programme_facts (interaction, kind, at)
          WHERE interaction IS NOT NULL;
        CREATE TABLE programme_ticket_facts (
          id INTEGER PRIMARY KEY,             -- the ticket; the tickets' order is (at, id)
          at INTEGER NOT NULL,
          month INTEGER NOT NULL,
          week INTEGER NOT NULL,
          incident INTEGER NOT NULL,
          d_tier INTEGER NOT NULL, d_segment INTEGER NOT NULL, d_region INTEGER NOT NULL, d_product INTEGER NOT NULL,
          d_group INTEGER NOT NULL, d_channel INTEGER NOT NULL, d_touchpoint INTEGER NOT NULL,
          d_language INTEGER NOT NULL
        );
        CREATE INDEX programme_ticket_facts_at ON programme_ticket_facts (at, incident, d_tier, d_segment,
          d_region, d_product, d_group, d_channel, d_touchpoint, d_language, month, week);
        -- One row per interaction with both a CES and a company-effort answer (the latest of each).
        CREATE TABLE programme_pairs (
          interaction TEXT PRIMARY KEY,
          c_at INTEGER NOT NULL, c_month INTEGER NOT NULL, c_week INTEGER NOT NULL, ces REAL NOT NULL,
          c_tier INTEGER NOT NULL, c_segment INTEGER NOT NULL, c_region INTEGER NOT NULL, c_product INTEGER NOT NULL,
          c_group INTEGER NOT NULL, c_channel INTEGER NOT NULL, c_touchpoint INTEGER NOT NULL,
          c_language INTEGER NOT NULL,
          k_at INTEGER NOT NULL, k_month INTEGER NOT NULL, k_week INTEGER NOT NULL, ke REAL NOT NULL,
          k_tier INTEGER NOT NULL, k_segment INTEGER NOT NULL, k_region INTEGER NOT NULL, k_product INTEGER NOT NULL,
          k_group INTEGER NOT NULL, k_channel INTEGER NOT NULL, k_touchpoint INTEGER NOT NULL,
          k_language INTEGER NOT NULL
        ) WITHOUT ROWID;
        -- Per cut value ('all': the whole programme) and month: the CSAT, NPS and ticket counts, and where the
        -- cut first appears (its first NPS/CSAT answer's at and rowid, its first ticket's at and id).
        CREATE TABLE programme_cut_months (
          dimension TEXT NOT NULL, value_id INTEGER NOT NULL, month INTEGER NOT NULL,
          csat_n INTEGER NOT NULL, csat_ok INTEGER NOT NULL, nps_n INTEGER NOT NULL, promoters INTEGER NOT NULL,
          detractors INTEGER NOT NULL, first_at INTEGER, first_rowid INTEGER, tickets INTEGER NOT NULL,
          incidents INTEGER NOT NULL, first_ticket_at INTEGER, first_ticket INTEGER,
          PRIMARY KEY (month, dimension, value_id)
        ) WITHOUT ROWID;
        -- What changed since the facts were last refreshed, written by triggers whatever the writer (a pull,
        -- the queue, a sync in another process): 'a' answer rowid, 't' ticket id, 'u' user id, 'c' Salesforce
        -- contact id, 'acc' Salesforce account id. A refresh reads up to its seq and deletes what it read.
        CREATE TABLE programme_dirty (seq INTEGER PRIMARY KEY, kind TEXT NOT NULL, key NOT NULL);
        CREATE INDEX programme_answers_user ON programme_answers (user_id);
        CREATE INDEX programme_answers_ticket ON programme_answers (ticket_id);
        CREATE INDEX programme_tickets_requester ON programme_tickets (requester_id);
        CREATE INDEX programme_users_external ON programme_users (external_id);
        CREATE TRIGGER programme_answers_added AFTER INSERT ON programme_answers
          BEGIN INSERT INTO programme_dirty (kind, key) VALUES ('a', NEW.rowid); END;
        CREATE TRIGGER programme_answers_edited AFTER UPDATE ON programme_answers
          WHEN OLD.responded_at IS NOT NEW.responded_at OR OLD.kind IS NOT NEW.kind OR OLD.scale IS NOT NEW.scale
            OR OLD.score IS NOT NEW.score OR OLD.comment IS NOT NEW.comment OR OLD.channel IS NOT NEW.channel
            OR OLD.touchpoint IS NOT NEW.touchpoint OR OLD.ticket_id IS NOT NEW.ticket_id
            OR OLD.interaction_id IS NOT NEW.interaction_id OR OLD.user_id IS NOT NEW.user_id
          BEGIN INSERT INTO programme_dirty (kind, key) VALUES ('a', NEW.rowid); END;
        CREATE TRIGGER programme_answers_removed AFTER DELETE ON programme_answers
          BEGIN INSERT INTO programme_dirty (kind, key) VALUES ('a', OLD.rowid); END;
        CREATE TRIGGER programme_tickets_added AFTER INSERT ON programme_tickets
          BEGIN INSERT INTO programme_dirty (kind, key) VALUES ('t', NEW.id); END;
        CREATE TRIGGER programme_tickets_edited AFTER UPDATE ON programme_tickets
          WHEN OLD.created_at IS NOT NEW.created_at OR OLD.requester_id IS NOT NEW.requester_id
            OR OLD.group_id IS NOT NEW.group_id OR OLD.incident IS NOT NEW.incident OR OLD.product IS NOT NEW.product
          BEGIN INSERT INTO programme_dirty (kind, key) VALUES ('t', NEW.id); END;
        CREATE TRIGGER programme_tickets_removed AFTER DELETE ON programme_tickets
          BEGIN INSERT INTO programme_dirty (kind, key) VALUES ('t', OLD.id); END;
        CREATE TRIGGER programme_users_added AFTER INSERT ON programme_users
          BEGIN INSERT INTO programme_dirty (kind, key) VALUES ('u', NEW.id); END;
        CREATE TRIGGER programme_users_edited AFTER UPDATE ON programme_users
          WHEN OLD.external_id IS NOT NEW.external_id OR OLD.locale IS NOT NEW.locale
          BEGIN INSERT INTO programme_dirty (kind, key) VALUES ('u', NEW.id); END;
        CREATE TRIGGER programme_users_removed AFTER DELETE ON programme_users
          BEGIN INSERT INTO programme_dirty (kind, key) VALUES ('u', OLD.id); END;
        -- The sync mirror's cut values: an edit in place is seen whatever its modstamp.
        CREATE TRIGGER programme_account_added AFTER INSERT ON sync_account
          BEGIN INSERT INTO programme_dirty (kind, key) VALUES ('acc', NEW.id); END;
        CREATE TRIGGER programme_account_edited AFTER UPDATE ON sync_account
          WHEN OLD.segment IS NOT NEW.segment OR OLD.region IS NOT NEW.region
            OR OLD.product_line IS NOT NEW.product_line OR OLD.id IS NOT NEW.id
          BEGIN INSERT INTO programme_dirty (kind, key) VALUES ('acc', OLD.id), ('acc', NEW.id); END;
        CREATE TRIGGER programme_account_removed AFTER DELETE ON sync_account
          BEGIN INSERT INTO programme_dirty (kind, key) VALUES ('acc', OLD.id); END;
        CREATE TRIGGER programme_contact_added AFTER INSERT ON sync_contact
          BEGIN INSERT INTO programme_dirty (kind, key) VALUES ('c', NEW.id); END;
        CREATE TRIGGER programme_contact_edited AFTER UPDATE ON sync_contact
          WHEN OLD.account_id IS NOT NEW.account_id OR OLD.id IS NOT NEW.id
          BEGIN INSERT INTO programme_dirty (kind, key) VALUES ('c', OLD.id), ('c', NEW.id); END;
        CREATE TRIGGER programme_contact_removed AFTER DELETE ON sync_contact
          BEGIN INSERT INTO programme_dirty (kind, key) VALUES ('c', OLD.id); END;
        CREATE TRIGGER programme_profile_added AFTER INSERT ON sync_profile
          BEGIN INSERT INTO programme_dirty (kind, key) VALUES ('acc', NEW.account_id); END;
        CREATE TRIGGER programme_profile_edited AFTER UPDATE ON sync_profile
          WHEN json_extract(OLD.profile, '$.tier') IS NOT json_extract(NEW.profile, '$.tier')
            OR OLD.account_id IS NOT NEW.account_id
          BEGIN INSERT INTO programme_dirty (kind, key) VALUES ('acc', OLD.account_id), ('acc', NEW.account_id); END;
        CREATE TRIGGER programme_profile_removed AFTER DELETE ON sync_profile
          BEGIN INSERT INTO programme_dirty (kind, key) VALUES ('acc', OLD.account_id); END;
      `,
    },
  ],
};
