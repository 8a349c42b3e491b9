/**
 * A known policy effect for test and learn: a history of eligible decisions over the generated world, each
 * customer drawn into Boucle's policy or its holdout exactly as the connector draws them (shared's holdoutDraw),
 * with outcomes whose rates differ by a planted amount between the arms. `boucle report experiment` and
 * `GET /api/v1/experiment` must find the effect (tests: sandbox/dataset/planted-experiment.test.ts and
 * connectors/src/programme/programme-api.test.ts). Drawn from its own child stream of the world's seed, so the
 * rest of the world is unchanged.
 */
import { holdoutDraw } from '../../shared/src/index.ts';
import { createRng } from './random.ts';
import type { World } from './generate-world.ts';

/** The planted truth: outcome rates by arm (the uplift is policy − holdout). */
export const PLANTED_EXPERIMENT = {
  id: 'sandbox-holdout',
  holdoutPercent: 30,
  /** Share of customers with a new order within 90 days of the decision. */
  retention: { policy: 0.85, holdout: 0.68 },
  /** Share of customers who open another ticket within 30 days. */
  repeatContact: { policy: 0.15, holdout: 0.35 },
  /** Share of positive first answers (CSAT 4–5 of 5) after the decision. */
  followUpPositive: { policy: 0.75, holdout: 0.45 },
  /** Share of customers who answer a survey after the decision. */
  answerShare: 0.7,
  /** What each policy intervention costs (€): agent time and gestures. */
  cost: 40,
  /** The decisions are made over these months, ending this many months before the world's present. */
  months: 20,
  endsMonthsBeforeNow: 3,
} as const;

export interface PlantedDecision {
  readonly decisionKey: string;
  readonly arm: 'policy' | 'holdout';
  readonly accountId: string;
  readonly contactId: string;
  readonly zendeskUserId: number;
  readonly ticketId: number;
  readonly decidedAt: number;
  readonly action: 'apology' | 'callback';
  /** The policy's cost; the holdout's intervention is withheld (0 spent). */
  readonly cost: number;
  /** The 12-month revenue at stake. */
  readonly revenue12m: number;
  /** A new order's date when retained. */
  readonly orderAt: number | null;
  /** Another ticket's creation when the customer came back within 30 days. */
  readonly repeatTicketAt: number | null;
  /** The first answer after the decision: CSAT on 1–5. */
  readonly followUp: { readonly at: number; readonly score: number } | null;
}

const DAY = 86_400_000;

/** One eligible decision per customer (the first incident of each account in the window), with its outcomes. */
export function plantExperiment(world: World): PlantedDecision[] {
  const p = PLANTED_EXPERIMENT;
  const rng = createRng(world.seed).fork('experiment');
  const end = Date.UTC(
    new Date(world.now).getUTCFullYear(),
    new Date(world.now).getUTCMonth() - p.endsMonthsBeforeNow,
    1,
  );
  const start = Date.UTC(new Date(end).getUTCFullYear(), new Date(end).getUTCMonth() - p.months, 1);
  const users = new Map(world.contacts.map((c) => [c.id, c.zendeskUserId]));
  const revenue = new Map<string, number>();
  for (const order of world.orders)
    revenue.set(order.accountId, (revenue.get(order.accountId) ?? 0) + order.amount);
  const seen = new Set<string>();
  const decisions: PlantedDecision[] = [];
  for (const incident of [...world.incidents].sort((a, b) => a.openedAt - b.openedAt)) {
    if (incident.openedAt < start || incident.openedAt >= end || seen.has(incident.accountId)) continue;
    seen.add(incident.accountId);
    const arm = holdoutDraw(p.id, incident.accountId) < p.holdoutPercent / 100 ? 'holdout' : 'policy';
    const decidedAt = incident.openedAt + 3_600_000;
    const retained = rng.chance(p.retention[arm]);
    const repeat = rng.chance(p.repeatContact[arm]);
    const answers = rng.chance(p.answerShare);
    const positive = rng.chance(p.followUpPositive[arm]);
    decisions.push({
      decisionKey: `planted-${incident.id}`,
      arm,
      accountId: incident.accountId,
      contactId: incident.contactId,
      zendeskUserId: users.get(incident.contactId)!,
      ticketId: incident.ticketId,
      decidedAt,
      action: incident.severity === 'high' || incident.severity === 'critical' ? 'callback' : 'apology',
      cost: arm === 'policy' ? p.cost : 0,
      revenue12m: Math.round(revenue.get(incident.accountId) ?? 1000),
      orderAt: retained ? decidedAt + rng.int(5, 80) * DAY : null,
      repeatTicketAt: repeat ? decidedAt + rng.int(1, 28) * DAY : null,
      followUp: answers
        ? { at: decidedAt + rng.int(1, 20) * DAY, score: positive ? rng.int(4, 5) : rng.int(1, 3) }
        : null,
    });
  }
  return decisions;
}
