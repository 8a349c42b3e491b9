/**
 * The console's routes of the connector API (the nav_bar app in Zendesk): today's callback queue, marking a
 * callback done, and a warning sign's acknowledgement or snooze. Mounted by programme-api.ts in its own block;
 * the same bearer token, CORS and error bodies.
 */
import {
  categorizeNps,
  cutOf,
  isCsatSatisfied,
  planCallbacks,
  signalId,
  toCustomerEffort,
  type WarningSign,
  type CallbackCandidate,
  type ProgrammeDimension,
  type ProgrammeFacts,
} from '../../../shared/src/index.ts';
import type { Sql } from '../store/sql.ts';
import { InterventionLedger } from '../loop/intervention-ledger.ts';

export interface ConsoleApiOptions {
  /** The database with the ledger's, the programme's and the console's tables (SQLite or PostgreSQL). */
  readonly sql: Sql;
  /** Agent minutes per day for callbacks and compensations (settings `capacity.agentMinutesPerDay`). */
  readonly capacityMinutes: number;
}

export interface ConsoleProblem {
  readonly status: number;
  readonly code: string;
  readonly message: string;
  /** Every problem with its path (a draft policy's, with en/fr messages). */
  readonly issues?: readonly object[];
}

export type ConsoleAnswer = { readonly status: number; readonly body: unknown } | ConsoleProblem;

interface OpenCallbackRow {
  id: number;
  ticket_id: number;
  action: string;
  tier: string | null;
  expected_value: number | null;
  agent_minutes: number | null;
  summary: string;
  decided_at: number;
  due_at: number | null;
  email: string | null;
  group_id: number | null;
}

interface Candidate extends CallbackCandidate {
  readonly row: OpenCallbackRow;
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** The end of `nowMs`'s UTC day: the default end of "today" when the console does not send its own. */
export const endOfUtcDay = (nowMs: number): number => {
  const d = new Date(nowMs);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1);
};

/**
 * `GET /api/v1/callbacks`: today's open callbacks (no contact yet): those due before `untilMs` (the end of the
 * agent's day; overdue included) or without a deadline, planned by the shared plan-callbacks within one day's
 * capacity. The later ones are not mixed in: only counted, with the next one's deadline.
 */
export async function callbackQueue(
  options: ConsoleApiOptions,
  nowMs: number,
  untilMs: number = endOfUtcDay(nowMs),
): Promise<unknown> {
  const allRows = await options.sql.all<OpenCallbackRow>(
    `SELECT i.id, i.ticket_id, i.action, i.tier, i.expected_value, i.agent_minutes, i.summary, i.decided_at, i.due_at,
         u.email, t.group_id
       FROM automation_interventions i
       LEFT JOIN console_callbacks_done d ON d.intervention_id = i.id
       LEFT JOIN programme_tickets t ON t.id = i.ticket_id
       LEFT JOIN programme_users u ON u.id = COALESCE(i.user_id, t.requester_id)
       WHERE i.action IN ('callback', 'compensation') AND i.first_contact_at IS NULL AND i.outcome IS NULL
         AND d.intervention_id IS NULL
       ORDER BY i.id`,
  );
  const later = allRows.filter((row) => row.due_at !== null && row.due_at >= untilMs);
  const rows = allRows.filter((row) => row.due_at === null || row.due_at < untilMs);
  const nextDue = later.reduce<number | null>(
    (next, row) => (next === null || row.due_at! < next ? row.due_at : next),
    null,
  );
  const candidates: Candidate[] = rows.map((row) => ({
    id: String(row.id),
    action: row.action as CallbackCandidate['action'],
    expectedValue: row.expected_value ?? 0,
    agentMinutes: row.agent_minutes ?? 0,
    decidedBy: 'model',
    row,
  }));
  const plan = planCallbacks(candidates, options.capacityMinutes);
  let minutesBefore = 0;
  const items = plan.queue.map((planned) => {
    const { row } = planned.decision;
    const overdue = row.due_at !== null && row.due_at <= nowMs;
    const item = {
      ticketId: row.ticket_id,
      interventionId: row.id,
      action: row.action,
      tier: row.tier,
      customer: row.email,
      groupId: row.group_id,
      summary: row.summary,
      expectedValue: planned.decision.expectedValue,
      agentMinutes: planned.decision.agentMinutes,
      valuePerMinute: Number.isFinite(planned.valuePerMinute) ? planned.valuePerMinute : null,
      rank: planned.rank,
      scheduled: planned.scheduled,
      decidedAt: iso(row.decided_at),
      dueAt: iso(row.due_at),
      overdue,
      minutesToDue: row.due_at === null ? null : Math.round((row.due_at - nowMs) / 60_000),
      outsideCapacity: planned.scheduled
        ? null
        : {
            minutesNeeded: planned.decision.agentMinutes,
            minutesLeft: Math.max(0, plan.capacityMinutes - plan.usedMinutes),
            reason: 'capacity' as const,
          },
    };
    minutesBefore += planned.scheduled ? planned.decision.agentMinutes : 0;
    return item;
  });
  // Overdue first, then the plan's own order (value per agent-minute); the rank stays the plan's.
  const scheduled = items
    .filter((i) => i.scheduled)
    .sort((a, b) => Number(b.overdue) - Number(a.overdue) || a.rank - b.rank);
  const outside = items.filter((i) => !i.scheduled);
  return {
    asOf: new Date(nowMs).toISOString(),
    until: new Date(untilMs).toISOString(),
    later: {
      count: later.length,
      nextDueAt: iso(nextDue),
      expectedValue: later.reduce((sum, row) => sum + (row.expected_value ?? 0), 0),
    },
    capacityMinutes: plan.capacityMinutes,
    usedMinutes: plan.usedMinutes,
    scheduledValue: plan.scheduledValue,
    deferredValue: plan.deferredValue,
    plannedMinutes: minutesBefore,
    queue: scheduled,
    outsideCapacity: outside,
  };
}

/** `POST /api/v1/callbacks/{ticket}/done`: the ticket's open callback is contacted now; it leaves the queue. */
export async function markCallbackDone(
  options: ConsoleApiOptions,
  ticketId: number,
  by: string | null,
  nowMs: number,
): Promise<ConsoleAnswer> {
  const entry = await options.sql.get<{ id: number; due_at: number | null }>(
    `SELECT id, due_at FROM automation_interventions
     WHERE ticket_id = ? AND action IN ('callback', 'compensation') AND first_contact_at IS NULL AND outcome IS NULL
     ORDER BY id DESC LIMIT 1`,
    [ticketId],
  );
  if (entry === undefined)
    return {
      status: 404,
      code: 'not_found',
      message: `Ticket ${ticketId} has no open callback (already done, or never planned).`,
    };
  const at = new Date(nowMs);
  await options.sql.transaction(async (tx) => {
    // The ledger's outcome "contacted": first contact now, the entry stays open for its final outcome.
    await new InterventionLedger(tx).recordOutcome(entry.id, 'contacted', at);
    await tx.run(
      `INSERT INTO console_callbacks_done (intervention_id, ticket_id, by_name, done_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (intervention_id) DO UPDATE SET ticket_id = excluded.ticket_id, by_name = excluded.by_name,
         done_at = excluded.done_at`,
      [entry.id, ticketId, by, nowMs],
    );
  });
  return {
    status: 200,
    body: {
      ticketId,
      interventionId: entry.id,
      doneAt: at.toISOString(),
      by,
      inTime: entry.due_at === null || entry.due_at >= nowMs,
    },
  };
}

/** `GET /api/v1/signal-states`: every acknowledged or snoozed sign (expired snoozes left out). */
export async function signalStates(options: ConsoleApiOptions, nowMs: number): Promise<unknown> {
  const rows = await options.sql.all<{
    signal_id: string;
    state: string;
    until_at: number | null;
    by_name: string | null;
    at: number;
  }>(
    `SELECT signal_id, state, until_at, by_name, at FROM console_signal_states
     WHERE state = 'acknowledged' OR until_at > ? ORDER BY signal_id`,
    [nowMs],
  );
  return {
    states: rows.map((r) => ({
      id: r.signal_id,
      state: r.state,
      until: iso(r.until_at),
      by: r.by_name,
      at: iso(r.at),
    })),
    alerts: await signAlertTickets(options.sql),
  };
}

/**
 * Who was alerted of each sign: the alert ticket `boucle report signals --alert` opened for it (the alerts
 * feature's `alerts_tickets`, one per sign, never two), keyed like the console's signs (shared signalId). The
 * owner is the Zendesk agent (the account owner's e-mail matched) or the group configured for the cut.
 */
export async function signAlertTickets(sql: Sql): Promise<unknown[]> {
  const table = await sql.get(
    sql.dialect === 'sqlite'
      ? "SELECT 1 AS found FROM sqlite_master WHERE type = 'table' AND name = 'alerts_tickets'"
      : "SELECT 1 AS found FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'alerts_tickets'",
  );
  if (table === undefined) return [];
  const rows = await sql.all<{
    alert_key: string;
    ticket_id: number;
    owner: string;
    opened_at: number;
    updated_at: number;
  }>(
    `SELECT alert_key, ticket_id, owner, opened_at, updated_at FROM alerts_tickets
     WHERE alert_key LIKE 'sign:%' ORDER BY alert_key`,
  );
  return rows.flatMap((r) => {
    const sign = signOfAlertKey(r.alert_key);
    const owner = /^(agent|group):(\d+)$/.exec(r.owner);
    if (sign === null || owner === null) return [];
    return [
      {
        signalId: signalId(sign),
        ticketId: r.ticket_id,
        owner: { kind: owner[1], id: Number(owner[2]) },
        openedAt: iso(r.opened_at),
        updatedAt: iso(r.updated_at),
      },
    ];
  });
}

/** `sign:<kind>:<dimension>:<value>:<phrase>` (connectors/src/alerts/compose-alerts.ts) back to its parts. */
export function signOfAlertKey(key: string): {
  kind: WarningSign['kind'];
  dimension: WarningSign['dimension'];
  value: string;
  phrase: string | null;
} | null {
  const match = /^sign:([a-z_]+):([a-z_]+):(.*):([^:]*)$/.exec(key);
  if (match === null) return null;
  return {
    kind: match[1] as WarningSign['kind'],
    dimension: match[2] as WarningSign['dimension'],
    value: match[3]!,
    phrase: match[4] === '' ? null : match[4]!,
  };
}

const SIGNAL_ID = /^[a-z0-9-]+(\.[a-z0-9-]+){2,3}$/;

/** `POST /api/v1/signals/{id}/ack` with `{ action: "acknowledge" | "snooze", days?, by? }`. */
export async function acknowledgeSignal(
  options: ConsoleApiOptions,
  id: string,
  body: unknown,
  nowMs: number,
): Promise<ConsoleAnswer> {
  if (!SIGNAL_ID.test(id))
    return {
      status: 400,
      code: 'invalid_id',
      message: `"${id}" is not a warning sign id (kind.dimension.value[.phrase]).`,
    };
  const input = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const action = input['action'] ?? 'acknowledge';
  if (action !== 'acknowledge' && action !== 'snooze')
    return { status: 400, code: 'invalid_body', message: 'action takes "acknowledge" or "snooze".' };
  const days = input['days'] ?? 7;
  if (action === 'snooze' && (typeof days !== 'number' || !Number.isInteger(days) || days < 1 || days > 90))
    return {
      status: 400,
      code: 'invalid_body',
      message: 'days takes a whole number from 1 to 90 (a snooze).',
    };
  const by = typeof input['by'] === 'string' && input['by'] !== '' ? input['by'].slice(0, 200) : null;
  const until = action === 'snooze' ? nowMs + (days as number) * 86_400_000 : null;
  const state = action === 'snooze' ? 'snoozed' : 'acknowledged';
  await options.sql.run(
    `INSERT INTO console_signal_states (signal_id, state, until_at, by_name, at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (signal_id) DO UPDATE SET state = excluded.state, until_at = excluded.until_at,
       by_name = excluded.by_name, at = excluded.at`,
    [id, state, until, by, nowMs],
  );
  return { status: 200, body: { id, state, until: iso(until), by, at: iso(nowMs) } };
}

export const DRILL_METRICS = ['csat', 'nps', 'ces', 'complaints'] as const;
export type DrillMetric = (typeof DRILL_METRICS)[number];

/**
 * `GET /api/v1/tickets?dimension=&value=&metric=&from=&to=`: the tickets behind a figure of one cut — the unsatisfied
 * CSAT answers, the detractors, the answers of a great deal of effort (CES 5–7), or the complaints — newest first.
 */
export function ticketsBehind(
  facts: ProgrammeFacts,
  query: { dimension: ProgrammeDimension | 'all'; value: string; metric: DrillMetric },
  limit = 50,
): { tickets: string[]; count: number } {
  const inCut = (cuts: ProgrammeFacts['answers'][number]['cuts']): boolean =>
    query.dimension === 'all' || cutOf(cuts, query.dimension) === query.value;
  const ids: { id: string; at: number }[] = [];
  if (query.metric === 'complaints') {
    for (const t of facts.tickets) if (t.incident && inCut(t.cuts)) ids.push({ id: t.id, at: t.at });
  } else {
    for (const a of facts.answers) {
      if (a.ticketId === null || !inCut(a.cuts)) continue;
      const behind =
        query.metric === 'csat'
          ? a.kind === 'csat' && !isCsatSatisfied({ scale: a.scale as never, score: a.score })
          : query.metric === 'nps'
            ? a.kind === 'nps' && categorizeNps(a.score) === 'detractor'
            : a.kind === 'ces' && toCustomerEffort({ scale: a.scale as never, score: a.score }) >= 5;
      if (behind) ids.push({ id: a.ticketId, at: a.at });
    }
  }
  ids.sort((a, b) => b.at - a.at);
  const unique = [...new Set(ids.map((i) => i.id))];
  return { tickets: unique.slice(0, limit), count: unique.length };
}
