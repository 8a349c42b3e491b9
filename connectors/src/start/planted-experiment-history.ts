/**
 * `npm start`'s sandbox holds the dataset's planted policy effect (sandbox/dataset/plant-experiment.ts), so the
 * console's Test and learn tab and `boucle report experiment` show real arms on the sandbox data:
 * - the dataset's Salesforce orders carry the planted retention: for each planted decision, the customer's own
 *   orders in the 90 days after it are taken out and, when the planted draw retains the customer, one order is
 *   put at the planted date (the rest of the world, its answers and tickets, is unchanged: repeat contact and the
 *   follow-up score read the world's own tickets and answers, with no planted difference);
 * - the loop's past is written to the ledger once (`automation_interventions`, `experiment_assignments`), as the
 *   connector would have recorded it: policy decisions applied, contacted and resolved (whether the customer
 *   stayed is the CRM's next order, as the funnel reads it),
 *   holdout decisions withheld (action `none`), so none of them waits in the callback queue.
 * Start command only (it imports sandbox/).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { World } from '../../../sandbox/dataset/generate-world.ts';
import {
  PLANTED_EXPERIMENT,
  plantExperiment,
  type PlantedDecision,
} from '../../../sandbox/dataset/plant-experiment.ts';
import { ExperimentLedger } from '../experiment/experiment-ledger.ts';
import { InterventionLedger } from '../loop/intervention-ledger.ts';
import type { Sql } from '../store/sql.ts';

/** Beside the dataset: the planted decisions, read back to seed the ledger of a new database. */
export const PLANTED_DECISIONS_FILE = 'planted-experiment.json';

const DAY = 86_400_000;
const RETENTION_WINDOW = 90 * DAY;

/** The world with the planted retention in its orders, and the planted decisions. */
export function plantExperimentInWorld(world: World): { world: World; decisions: PlantedDecision[] } {
  const decisions = plantExperiment(world);
  const byAccount = new Map(decisions.map((d) => [d.accountId, d]));
  const orders = world.orders.filter((o) => {
    const d = byAccount.get(o.accountId);
    return d === undefined || o.createdAt <= d.decidedAt || o.createdAt > d.decidedAt + RETENTION_WINDOW;
  });
  for (const d of decisions)
    if (d.orderAt !== null)
      orders.push({
        id: `801PLANT${String(orders.length + 1).padStart(7, '0')}`,
        accountId: d.accountId,
        status: 'Activated',
        amount: Math.max(50, Math.round(d.revenue12m / 6)),
        effectiveDate: new Date(d.orderAt).toISOString().slice(0, 10),
        createdAt: d.orderAt,
      });
  return { world: { ...world, orders }, decisions };
}

export function writePlantedDecisions(file: string, decisions: readonly PlantedDecision[]): void {
  writeFileSync(file, `${JSON.stringify(decisions)}\n`);
}

export function readPlantedDecisions(file: string): PlantedDecision[] {
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as PlantedDecision[]) : [];
}

/** Writes the planted decisions to the ledger and the experiment table once; returns how many were written. */
export async function seedPlantedExperiment(
  sql: Sql,
  decisions: readonly PlantedDecision[],
): Promise<number> {
  const already = await sql.get<{ n: number }>(
    'SELECT COUNT(*) AS n FROM experiment_assignments WHERE experiment_id = ?',
    [PLANTED_EXPERIMENT.id],
  );
  if (already!.n > 0) return 0;
  await sql.transaction(async (tx) => {
    const ledger = new InterventionLedger(tx);
    const experiment = new ExperimentLedger(tx);
    for (const d of decisions) {
      const entry = await ledger.record({
        decisionKey: d.decisionKey,
        ticketId: d.ticketId,
        userId: d.zendeskUserId,
        action: d.arm === 'policy' ? d.action : 'none',
        priority: 'high',
        tier: null,
        expectedValue: Math.round(d.revenue12m * 0.1),
        cost: d.cost,
        summary: d.arm === 'holdout' ? 'holdout: recommendation withheld (planted sandbox history)' : '',
        decidedAt: new Date(d.decidedAt),
        dueAt: null,
      });
      if (d.arm === 'policy') {
        await ledger.markApplied(entry.id, null);
        await ledger.recordOutcome(entry.id, 'contacted', new Date(d.decidedAt + 4 * 3_600_000));
        await ledger.recordOutcome(entry.id, 'resolved', new Date(d.decidedAt + 2 * DAY));
      }
      await experiment.record(
        d.decisionKey,
        {
          experimentId: PLANTED_EXPERIMENT.id,
          holdoutPercent: PLANTED_EXPERIMENT.holdoutPercent,
          arm: d.arm,
          eligible: true,
          draw: 0,
          policyAction: d.action,
          policyCompensationTier: null,
          policyCost: PLANTED_EXPERIMENT.cost,
          policyExpectedValue: Math.round(d.revenue12m * 0.1),
        },
        {
          customerId: d.accountId,
          ticketId: d.ticketId,
          userId: d.zendeskUserId,
          decidedAt: new Date(d.decidedAt),
        },
      );
    }
  });
  return decisions.length;
}
