import type { HoldoutAssignment } from '../../../shared/src/index.ts';
import type { Sql } from '../store/sql.ts';

export interface RecordedAssignment {
  readonly decisionKey: string;
  readonly experimentId: string;
  readonly holdoutPercent: number;
  readonly arm: 'policy' | 'holdout';
  readonly draw: number;
  readonly customerId: string;
  readonly ticketId: number;
  readonly userId: number | null;
  readonly policyAction: string;
  readonly policyCompensationTier: string | null;
  readonly policyCost: number;
  readonly policyExpectedValue: number;
  readonly decidedAt: number;
}

/**
 * The arm of each eligible decision (table `experiment_assignments`, feature "experiment"), keyed like the ledger
 * entry it belongs to: recording the same decision again keeps the first record (a replayed event changes nothing).
 * On the `Sql` port: the SQLite file, or PostgreSQL with BOUCLE_DATABASE_URL.
 */
export class ExperimentLedger {
  readonly #sql: Sql;

  constructor(sql: Sql) {
    this.#sql = sql;
  }

  /** Records the arm of an eligible decision; does nothing for one that is not eligible (arm null). */
  async record(
    decisionKey: string,
    assignment: HoldoutAssignment,
    context: {
      readonly customerId: string;
      readonly ticketId: number;
      readonly userId: number | null;
      readonly decidedAt: Date;
    },
  ): Promise<void> {
    if (assignment.arm === null) return;
    await this.#sql.run(
      `INSERT INTO experiment_assignments (decision_key, experiment_id, holdout_percent, arm, draw, customer_id,
           ticket_id, user_id, policy_action, policy_compensation_tier, policy_cost, policy_expected_value, decided_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (decision_key) DO NOTHING`,
      [
        decisionKey,
        assignment.experimentId,
        assignment.holdoutPercent,
        assignment.arm,
        assignment.draw,
        context.customerId,
        context.ticketId,
        context.userId,
        assignment.policyAction,
        assignment.policyCompensationTier,
        assignment.policyCost,
        assignment.policyExpectedValue,
        context.decidedAt.getTime(),
      ],
    );
  }

  async byKey(decisionKey: string): Promise<RecordedAssignment | undefined> {
    const row = await this.#sql.get<AssignmentRow>(
      'SELECT * FROM experiment_assignments WHERE decision_key = ?',
      [decisionKey],
    );
    return row === undefined ? undefined : toAssignment(row);
  }

  async all(): Promise<RecordedAssignment[]> {
    return (
      await this.#sql.all<AssignmentRow>(
        'SELECT * FROM experiment_assignments ORDER BY decided_at, decision_key',
      )
    ).map(toAssignment);
  }
}

interface AssignmentRow {
  decision_key: string;
  experiment_id: string;
  holdout_percent: number;
  arm: 'policy' | 'holdout';
  draw: number;
  customer_id: string;
  ticket_id: number;
  user_id: number | null;
  policy_action: string;
  policy_compensation_tier: string | null;
  policy_cost: number;
  policy_expected_value: number;
  decided_at: number;
}

function toAssignment(row: AssignmentRow): RecordedAssignment {
  return {
    decisionKey: row.decision_key,
    experimentId: row.experiment_id,
    holdoutPercent: row.holdout_percent,
    arm: row.arm,
    draw: row.draw,
    customerId: row.customer_id,
    ticketId: row.ticket_id,
    userId: row.user_id,
    policyAction: row.policy_action,
    policyCompensationTier: row.policy_compensation_tier,
    policyCost: row.policy_cost,
    policyExpectedValue: row.policy_expected_value,
    decidedAt: row.decided_at,
  };
}
