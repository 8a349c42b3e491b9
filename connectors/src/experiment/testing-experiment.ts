/**
 * Test support for the experiment report: the sandbox's planted history written to a database (either), as the
 * loop, the sync and `boucle report pull` leave it, and the truth it was planted from. Imported by tests only.
 */
import type { ExperimentEntry } from '../../../shared/src/index.ts';
import type { World } from '../../../sandbox/dataset/generate-world.ts';
import { PLANTED_EXPERIMENT, type PlantedDecision } from '../../../sandbox/dataset/plant-experiment.ts';
import { InterventionLedger } from '../loop/intervention-ledger.ts';
import { ProgrammeStore } from '../programme/programme-store.ts';
import type { Sql, SqlValue } from '../store/sql.ts';
import { ExperimentLedger } from './experiment-ledger.ts';

/** Rows inserted `chunk` at a time (one statement per chunk: PostgreSQL pays a round trip per statement). */
async function insertRows(
  sql: Sql,
  head: string,
  row: string,
  rows: readonly (readonly SqlValue[])[],
  chunk = 500,
): Promise<void> {
  for (let start = 0; start < rows.length; start += chunk) {
    const part = rows.slice(start, start + chunk);
    await sql.run(`${head} VALUES ${part.map(() => row).join(', ')}`, part.flat());
  }
}

/** The planted history in the database behind `sql` (its schemas migrated: PROGRAMME_SCHEMAS). */
export async function fillPlantedHistory(
  sql: Sql,
  world: World,
  decisions: readonly PlantedDecision[],
): Promise<void> {
  const programme = new ProgrammeStore(sql);
  await sql.transaction(async (tx) => {
    await insertRows(
      tx,
      'INSERT INTO sync_account (id, name, created, segment, region, modstamp)',
      '(?, ?, 0, ?, ?, 1)',
      world.accounts.map((a) => [a.id, a.name, a.segment, a.country]),
    );
    await insertRows(
      tx,
      'INSERT INTO sync_contact (id, account_id, name, modstamp)',
      '(?, ?, ?, 1)',
      world.contacts.map((c) => [c.id, c.accountId, c.lastName]),
    );
    await insertRows(
      tx,
      'INSERT INTO sync_profile (account_id, profile, computed_at)',
      '(?, ?, 0)',
      decisions.map((d) => [d.accountId, JSON.stringify({ revenue12m: d.revenue12m })]),
    );
    await insertRows(
      tx,
      'INSERT INTO sync_txn (id, object, account_id, amount, date, revenue, open, modstamp)',
      "(?, 'Order', ?, 100, ?, 1, 0, 1)",
      decisions.flatMap((d) =>
        d.orderAt === null
          ? []
          : [[`O-${d.decisionKey}`, d.accountId, new Date(d.orderAt).toISOString().slice(0, 10)]],
      ),
    );
    const ledger = new InterventionLedger(tx);
    const experiment = new ExperimentLedger(tx);
    for (const d of decisions) {
      const entry = await ledger.record({
        decisionKey: d.decisionKey,
        ticketId: d.ticketId,
        userId: d.zendeskUserId,
        action: d.arm === 'policy' ? d.action : 'none',
        priority: 'high',
        tier: 'gold',
        expectedValue: 100,
        cost: d.cost,
        summary: d.arm === 'holdout' ? 'holdout' : '',
        decidedAt: new Date(d.decidedAt),
        dueAt: null,
      });
      await ledger.markApplied(entry.id, null);
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
          policyExpectedValue: 100,
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
  await programme.putUsers(
    world.contacts.map((c) => ({ id: c.zendeskUserId, externalId: c.id, email: c.email, locale: c.lang })),
  );
  const tickets = decisions.flatMap((d, index) => [
    { id: d.ticketId, createdAt: d.decidedAt - 3_600_000, requesterId: d.zendeskUserId },
    ...(d.repeatTicketAt === null
      ? []
      : [{ id: 900_000 + index, createdAt: d.repeatTicketAt, requesterId: d.zendeskUserId }]),
  ]);
  await programme.putTickets(
    tickets.map((t) => ({ ...t, groupId: null, status: 'open', incident: true, product: null, tags: [] })),
  );
  await programme.putAnswers(
    decisions.flatMap((d) =>
      d.followUp === null
        ? []
        : [
            {
              id: `A-${d.decisionKey}`,
              respondedAt: d.followUp.at,
              kind: 'csat' as const,
              scale: '1-5',
              score: d.followUp.score,
              comment: null,
              channel: 'email',
              touchpoint: 'follow_up',
              ticketId: d.ticketId,
              interactionId: null,
              userId: d.zendeskUserId,
              email: null,
              source: 'survey_api',
            },
          ],
    ),
  );
}

/** The experiment's entries as planted: what the report must read back from the database. */
export function plantedTruth(decisions: readonly PlantedDecision[]): ExperimentEntry[] {
  return decisions.map((d) => ({
    arm: d.arm,
    decidedAt: d.decidedAt,
    customerId: d.accountId,
    applied: d.arm === 'policy',
    cost: d.cost,
    valueAtRisk: d.revenue12m,
    nextRevenueAt: d.orderAt,
    nextTicketAt: d.repeatTicketAt,
    followUp: d.followUp === null ? null : { at: d.followUp.at, positive: d.followUp.score >= 4 },
    cuts: {},
  }));
}
