import type { DatabaseSync } from 'node:sqlite';
import type { HoldoutAssignment } from '../../../shared/src/index.ts';

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
 */
export class ExperimentLedger {
  readonly #db: DatabaseSync;

  constructor(db: DatabaseSync) {
    this.#db = db;
  }

  /** Records the arm of an eligible decision; does nothing for one that is not eligible (arm null). */
  record(
    decisionKey: string,
    assignment: HoldoutAssignment,
    context: {
      readonly customerId: string;
      readonly ticketId: number;
      readonly userId: number | null;
      readonly decidedAt: Date;
    },
  ): void {
    if (assignment.arm === null) return;
    this.#db
      .prepare(
        `INSERT INTO experiment_assignments (decision_key, experiment_id, holdout_percent, arm, draw, customer_id,
           ticket_id, user_id, policy_action, policy_compensation_tier, policy_cost, policy_expected_value, decided_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (decision_key) DO NOTHING`,
      )
      .run(
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
      );
  }

  byKey(decisionKey: string): RecordedAssignment | undefined {
    const row = this.#db
      .prepare('SELECT * FROM experiment_assignments WHERE decision_key = ?')
      .get(decisionKey) as AssignmentRow | undefined;
    return row === undefined ? undefined : toAssignment(row);
  }

  all(): RecordedAssignment[] {
    return (
      this.#db
        .prepare('SELECT * FROM experiment_assignments ORDER BY decided_at, decision_key')
        .all() as unknown as AssignmentRow[]
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
