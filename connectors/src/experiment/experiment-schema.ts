import type { FeatureSchema } from '../store/index.ts';

/**
 * Test and learn's own table (feature "experiment"): the arm of every eligible decision, beside the intervention
 * ledger (`automation_interventions`, joined by decision key), so the experiment report can compare the arms.
 */
export const EXPERIMENT_SCHEMA: FeatureSchema = {
  feature: 'experiment',
  migrations: [
    {
      version: 1,
      description: 'the experiment arm of each eligible decision and what the policy recommended',
      up: {
        sqlite: `
        CREATE TABLE experiment_assignments (
          decision_key TEXT PRIMARY KEY,
          experiment_id TEXT NOT NULL,
          holdout_percent REAL NOT NULL,
          arm TEXT NOT NULL CHECK (arm IN ('policy', 'holdout')),
          draw REAL NOT NULL,
          customer_id TEXT NOT NULL,
          ticket_id INTEGER NOT NULL,
          user_id INTEGER,
          policy_action TEXT NOT NULL,
          policy_compensation_tier TEXT,
          policy_cost REAL NOT NULL,
          policy_expected_value REAL NOT NULL,
          decided_at INTEGER NOT NULL
        );
        CREATE INDEX experiment_assignments_decided ON experiment_assignments (experiment_id, decided_at);
      `,
        postgres: `
        CREATE TABLE experiment_assignments (
          decision_key TEXT PRIMARY KEY,
          experiment_id TEXT NOT NULL,
          holdout_percent DOUBLE PRECISION NOT NULL,
          arm TEXT NOT NULL CHECK (arm IN ('policy', 'holdout')),
          draw DOUBLE PRECISION NOT NULL,
          customer_id TEXT NOT NULL,
          ticket_id BIGINT NOT NULL,
          user_id BIGINT,
          policy_action TEXT NOT NULL,
          policy_compensation_tier TEXT,
          policy_cost DOUBLE PRECISION NOT NULL,
          policy_expected_value DOUBLE PRECISION NOT NULL,
          decided_at BIGINT NOT NULL
        );
        CREATE INDEX experiment_assignments_decided ON experiment_assignments (experiment_id, decided_at);
      `,
      },
    },
  ],
};
