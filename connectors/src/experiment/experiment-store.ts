import {
  customerEffortOf,
  isSatisfied,
  type ExperimentEntry,
  type FeedbackKind,
} from '../../../shared/src/index.ts';
import { jsonNumber } from '../programme/programme-facts-sql.ts';
import type { CutResolver } from '../programme/programme-store.ts';
import type { Sql } from '../store/sql.ts';

/** A first answer after a decision is positive when: CSAT satisfied, NPS 9–10, CES 3 or less of 7 (little effort). */
export function isPositiveAnswer(kind: FeedbackKind, scale: string, score: number): boolean | null {
  if (kind === 'csat') return isSatisfied(scale, score);
  if (kind === 'nps') return score >= 9;
  if (kind === 'ces') return customerEffortOf(scale, score) <= 3;
  return null;
}

/** The first index whose value is greater than `after` in an ascending list (binary search). */
function firstAfter(sorted: readonly number[], after: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (sorted[mid]! > after) high = mid;
    else low = mid + 1;
  }
  return low;
}

/**
 * The experiment's decisions with what followed them, from Boucle's database (the SQLite file, or PostgreSQL with
 * BOUCLE_DATABASE_URL): the arm (experiment table), the
 * ledger entry (applied, cost), the customer's next revenue and 12-month revenue (the Salesforce sync's mirror,
 * as the funnel reads them), the customer's next ticket and first survey answer after the decision (the
 * programme's copy of Zendesk). The customer's tickets and answers are read once and searched in memory.
 */
export async function readExperimentEntries(
  sql: Sql,
  cutsOf: CutResolver,
  experimentId: string,
): Promise<ExperimentEntry[]> {
  // The day of the decision, YYYY-MM-DD in UTC, as sync_txn.date is written.
  const decidedDay =
    sql.dialect === 'sqlite'
      ? "strftime('%Y-%m-%d', e.decided_at / 1000, 'unixepoch')"
      : "to_char(to_timestamp(e.decided_at / 1000) AT TIME ZONE 'UTC', 'YYYY-MM-DD')";
  const rows = await sql.all<{
    arm: 'policy' | 'holdout';
    decided_at: number;
    customer_id: string;
    ticket_id: number;
    user_id: number | null;
    status: string | null;
    cost: number | null;
    group_id: number | null;
    product: string | null;
    value: number | null;
    next_revenue: string | null;
  }>(
    `SELECT e.arm, e.decided_at, e.customer_id, e.ticket_id, COALESCE(e.user_id, t.requester_id) AS user_id,
         i.status, i.cost, t.group_id, t.product, ${jsonNumber(sql, 'p.profile', 'revenue12m')} AS value,
         (SELECT MIN(x.date) FROM sync_txn x WHERE x.account_id = c.account_id AND x.revenue = 1
            AND x.date > ${decidedDay}) AS next_revenue
       FROM experiment_assignments e
       LEFT JOIN automation_interventions i ON i.decision_key = e.decision_key
       LEFT JOIN programme_tickets t ON t.id = e.ticket_id
       LEFT JOIN programme_users u ON u.id = COALESCE(e.user_id, t.requester_id)
       LEFT JOIN sync_contact c ON c.id = u.external_id
       LEFT JOIN sync_profile p ON p.account_id = c.account_id
       WHERE e.experiment_id = ?
       ORDER BY e.decided_at, e.decision_key`,
    [experimentId],
  );

  const ticketsByUser = new Map<number, { at: number[]; id: number[] }>();
  for (const t of await sql.all<{ requester_id: number; id: number; created_at: number }>(
    `SELECT requester_id, id, created_at FROM programme_tickets
     WHERE requester_id IN (SELECT user_id FROM experiment_assignments WHERE experiment_id = ?)
     ORDER BY requester_id, created_at, id`,
    [experimentId],
  )) {
    let list = ticketsByUser.get(t.requester_id);
    if (list === undefined) {
      list = { at: [], id: [] };
      ticketsByUser.set(t.requester_id, list);
    }
    list.at.push(t.created_at);
    list.id.push(t.id);
  }
  const answersByUser = new Map<number, { at: number[]; positive: (boolean | null)[] }>();
  for (const a of await sql.all<{
    user_id: number;
    responded_at: number;
    kind: FeedbackKind;
    scale: string;
    score: number;
  }>(
    `SELECT COALESCE(a.user_id, t.requester_id) AS user_id, a.responded_at, a.kind, a.scale, a.score
     FROM programme_answers a LEFT JOIN programme_tickets t ON t.id = a.ticket_id
     WHERE a.kind IN ('csat', 'nps', 'ces')
       AND COALESCE(a.user_id, t.requester_id) IN
         (SELECT user_id FROM experiment_assignments WHERE experiment_id = ?)
     ORDER BY 1, a.responded_at, a.id`,
    [experimentId],
  )) {
    let list = answersByUser.get(a.user_id);
    if (list === undefined) {
      list = { at: [], positive: [] };
      answersByUser.set(a.user_id, list);
    }
    list.at.push(a.responded_at);
    list.positive.push(isPositiveAnswer(a.kind, a.scale, a.score));
  }

  return rows.map((r) => {
    let nextTicketAt: number | null = null;
    let followUp: ExperimentEntry['followUp'] = null;
    if (r.user_id !== null) {
      const tickets = ticketsByUser.get(r.user_id);
      if (tickets !== undefined)
        for (let k = firstAfter(tickets.at, r.decided_at); k < tickets.at.length; k += 1)
          if (tickets.id[k] !== r.ticket_id) {
            nextTicketAt = tickets.at[k]!;
            break;
          }
      const answers = answersByUser.get(r.user_id);
      if (answers !== undefined) {
        const k = firstAfter(answers.at, r.decided_at);
        if (k < answers.at.length && answers.positive[k] !== null)
          followUp = { at: answers.at[k]!, positive: answers.positive[k]! };
      }
    }
    return {
      arm: r.arm,
      decidedAt: r.decided_at,
      customerId: r.customer_id,
      applied: r.arm === 'policy' && r.status !== null && r.status !== 'recommended',
      cost: r.arm === 'policy' ? (r.cost ?? 0) : 0,
      valueAtRisk: r.value,
      nextRevenueAt: r.next_revenue === null ? null : Date.parse(`${r.next_revenue}T00:00:00Z`),
      nextTicketAt,
      followUp,
      cuts: cutsOf(r.user_id, r.group_id, r.product, null, null),
    };
  });
}
