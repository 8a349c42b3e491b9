import type { DatabaseSync } from 'node:sqlite';
import { decodeDecisionInput, encodeDecisionInput } from '../../../shared/src/index.ts';
import type { Decision, DecisionInput, StoredIncident } from '../../../shared/src/index.ts';
import type { Sql } from '../store/sql.ts';
import type { TicketPriority } from './loop-ports.ts';

export const OUTCOMES = ['contacted', 'resolved', 'compensated', 'recovered', 'lost'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export interface LedgerEntry {
  readonly id: number;
  readonly decisionKey: string;
  readonly ticketId: number;
  readonly userId: number | null;
  readonly action: string;
  readonly priority: string | null;
  readonly tier: string | null;
  readonly compensationTier: string | null;
  readonly expectedValue: number | null;
  readonly cost: number | null;
  readonly agentMinutes: number | null;
  readonly summary: string;
  readonly status: string;
  readonly decidedAt: Date;
  readonly dueAt: Date | null;
  readonly remindedAt: Date | null;
  readonly firstContactAt: Date | null;
  readonly outcome: Outcome | null;
  readonly outcomeAt: Date | null;
  readonly recovered: boolean | null;
  readonly recordId: string | null;
  /** The policy version that made the decision (null: flat settings, or recorded before migration 5). */
  readonly policyVersion: number | null;
}

export interface NewLedgerEntry {
  readonly decisionKey: string;
  readonly ticketId: number;
  readonly userId: number | null;
  readonly action: string;
  readonly priority: string | null;
  readonly tier: string | null;
  readonly expectedValue: number | null;
  readonly cost: number | null;
  readonly summary: string;
  readonly decidedAt: Date;
  readonly dueAt: Date | null;
  /** The compensation tier of a compensation. */
  readonly compensationTier?: string | null;
  readonly agentMinutes?: number | null;
  /** The (parsed) input the decision was made on, kept so a draft policy can decide it again. */
  readonly input?: DecisionInput;
  /** The policy version that made the decision (null: flat settings or a settings file). */
  readonly policyVersion?: number | null;
}

/** What a ledger entry keeps of the decision itself: the same fields wherever a decision is recorded. */
export function decisionFields(
  decision: Decision,
): Pick<
  NewLedgerEntry,
  'action' | 'priority' | 'tier' | 'compensationTier' | 'expectedValue' | 'cost' | 'agentMinutes'
> {
  return {
    action: decision.action,
    priority: decision.priority,
    tier: decision.tier,
    compensationTier: decision.compensationTier,
    expectedValue: decision.expectedValue,
    cost: decision.cost,
    agentMinutes: decision.agentMinutes,
  };
}

/** Whether a stored entry holds the same decision as a new one (what the closed loop applies and the ledger says). */
export function sameDecision(stored: LedgerEntry, entry: NewLedgerEntry): boolean {
  return (
    stored.action === entry.action &&
    stored.priority === entry.priority &&
    stored.tier === entry.tier &&
    stored.compensationTier === (entry.compensationTier ?? null) &&
    stored.expectedValue === entry.expectedValue &&
    stored.cost === entry.cost &&
    stored.agentMinutes === (entry.agentMinutes ?? null) &&
    stored.summary === entry.summary &&
    (stored.dueAt?.getTime() ?? null) === (entry.dueAt?.getTime() ?? null) &&
    stored.policyVersion === (entry.policyVersion ?? null)
  );
}

export interface TicketState {
  readonly ticketId: number;
  readonly fingerprint: string | null;
  /** The priority Boucle last set (null: Boucle never set one). */
  readonly bouclePriority: TicketPriority | null;
  /** The priority the ticket had before Boucle changed it. */
  readonly basePriority: TicketPriority | null;
  readonly interventionId: number | null;
  /** The `boucle_` tags of the last decision applied. */
  readonly tags: readonly string[];
}

interface EntryRow {
  id: number;
  decision_key: string;
  ticket_id: number;
  user_id: number | null;
  action: string;
  priority: string | null;
  tier: string | null;
  compensation_tier: string | null;
  expected_value: number | null;
  cost: number | null;
  agent_minutes: number | null;
  summary: string;
  status: string;
  decided_at: number;
  due_at: number | null;
  reminded_at: number | null;
  first_contact_at: number | null;
  outcome: Outcome | null;
  outcome_at: number | null;
  recovered: number | null;
  record_id: string | null;
  policy_version: number | null;
}

/** A row of `readStoredIncidents`, read as an array (cheaper than an object per row). */
type StoredRow = [
  inputCompact: string | null,
  decidedAt: number,
  action: string,
  compensationTier: string | null,
  cost: number | null,
  expectedValue: number | null,
  agentMinutes: number | null,
  dueAt: number | null,
];

interface StoredObjectRow {
  id: number;
  ticket_id: number;
  input_compact: string | null;
  decided_at: number;
  action: string;
  compensation_tier: string | null;
  cost: number | null;
  expected_value: number | null;
  agent_minutes: number | null;
  due_at: number | null;
}

/**
 * The stored input back. It was written by `record` from the parsed `DecisionInput` (or converted from the JSON
 * of such an input by migration 4), so it is read as such without validating it again: that would cost more than
 * deciding. Text that is not a compact input is not previewable.
 */
function readInput(text: string | null): DecisionInput | null {
  if (text === null) return null;
  try {
    return decodeDecisionInput(text);
  } catch {
    return null;
  }
}

/**
 * Automation migration 4's data step: the compact form of every input stored as JSON (migration 3's `input`),
 * one page of rows at a time. The JSON stays where it is; an input whose JSON does not read stays without a
 * compact form (not previewable, as before).
 */
export function backfillCompactInputs(db: DatabaseSync, pageSize = 2_000): number {
  const page = db.prepare(
    `SELECT id, input FROM automation_interventions
     WHERE id > ? AND input IS NOT NULL AND input_compact IS NULL ORDER BY id LIMIT ?`,
  );
  const update = db.prepare('UPDATE automation_interventions SET input_compact = ? WHERE id = ?');
  let converted = 0;
  let last = 0;
  for (;;) {
    const rows = page.all(last, pageSize) as unknown as { id: number; input: string }[];
    if (rows.length === 0) return converted;
    for (const row of rows) {
      last = row.id;
      let compact: string;
      try {
        compact = encodeDecisionInput(JSON.parse(row.input) as DecisionInput);
      } catch {
        continue;
      }
      update.run(compact, row.id);
      converted += 1;
    }
  }
}

const date = (ms: number | null): Date | null => (ms === null ? null : new Date(ms));

function toEntry(row: EntryRow): LedgerEntry {
  return {
    id: row.id,
    decisionKey: row.decision_key,
    ticketId: row.ticket_id,
    userId: row.user_id,
    action: row.action,
    priority: row.priority,
    tier: row.tier,
    compensationTier: row.compensation_tier,
    expectedValue: row.expected_value,
    cost: row.cost,
    agentMinutes: row.agent_minutes,
    summary: row.summary,
    status: row.status,
    decidedAt: new Date(row.decided_at),
    dueAt: date(row.due_at),
    remindedAt: date(row.reminded_at),
    firstContactAt: date(row.first_contact_at),
    outcome: row.outcome,
    outcomeAt: date(row.outcome_at),
    recovered: row.recovered === null ? null : row.recovered === 1,
    recordId: row.record_id,
    policyVersion: row.policy_version,
  };
}

/** Every column but the stored input: what the ledger's readers list. */
const ENTRY_COLUMNS = `id, decision_key, ticket_id, user_id, action, priority, tier, compensation_tier, expected_value, cost,
  agent_minutes, summary, status, decided_at, due_at, reminded_at, first_contact_at, outcome, outcome_at, recovered, record_id,
  policy_version`;

const ENTRY_COLUMNS_OF_I = ENTRY_COLUMNS.split(',')
  .map((column) => `i.${column.trim()}`)
  .join(', ');

/** A window of decision times, ms since the epoch: `from` inclusive, `to` exclusive. */
export interface DecisionWindow {
  readonly from?: number;
  readonly to?: number;
}

const toIncident = (row: StoredRow): StoredIncident => ({
  input: readInput(row[0]),
  decidedAt: row[1],
  recorded: {
    action: row[2],
    compensationTier: row[3],
    cost: row[4],
    expectedValue: row[5],
    agentMinutes: row[6],
    dueAt: row[7],
  },
});

/**
 * The ledger's stored incidents decided within `window` through the `Sql` port, oldest first, with the ticket of
 * each, read `pageSize` rows at a time (keyset pages on the `decided_at` index): what
 * `InterventionLedger.storedIncidents` and the policy preview's route read.
 */
export async function* pageStoredIncidents(
  sql: Sql,
  window: DecisionWindow = {},
  pageSize = 2_000,
): AsyncGenerator<{ readonly ticketId: number; readonly incident: StoredIncident }> {
  const from = window.from ?? Number.MIN_SAFE_INTEGER;
  const to = window.to ?? Number.MAX_SAFE_INTEGER;
  let after = { decidedAt: from, id: 0 };
  let first = true;
  for (;;) {
    const rows = await sql.all<StoredObjectRow>(
      `SELECT id, ticket_id, input_compact, decided_at, action, compensation_tier, cost, expected_value,
              agent_minutes, due_at
       FROM automation_interventions
       WHERE decided_at < ? AND ${first ? 'decided_at >= ?' : '(decided_at > ? OR (decided_at = ? AND id > ?))'}
       ORDER BY decided_at, id LIMIT ?`,
      first ? [to, after.decidedAt, pageSize] : [to, after.decidedAt, after.decidedAt, after.id, pageSize],
    );
    first = false;
    for (const row of rows)
      yield {
        ticketId: row.ticket_id,
        incident: toIncident([
          row.input_compact,
          row.decided_at,
          row.action,
          row.compensation_tier,
          row.cost,
          row.expected_value,
          row.agent_minutes,
          row.due_at,
        ]),
      };
    if (rows.length < pageSize) return;
    const last = rows.at(-1)!;
    after = { decidedAt: last.decided_at, id: last.id };
  }
}

/**
 * The stored incidents of the ledger in the SQLite file `db` decided within `window`, oldest first, read one row
 * at a time from a cursor (the memory stays flat however many there are): what the preview pool's threads read
 * through their own read-only connection (preview-policy.ts). A row stored without its input (before schema
 * version 3), or whose input does not read, comes with `input: null`: not previewable.
 */
export function* readStoredIncidents(
  db: DatabaseSync,
  window: DecisionWindow = {},
): Generator<StoredIncident> {
  // Its own statement: two previews may iterate at the same time. Only the columns a preview reads, as arrays.
  const statement = db.prepare(
    `SELECT input_compact, decided_at, action, compensation_tier, cost, expected_value, agent_minutes, due_at
     FROM automation_interventions WHERE decided_at >= ? AND decided_at < ? ORDER BY decided_at, id`,
  );
  statement.setReturnArrays(true);
  const rows = statement.iterate(
    window.from ?? Number.MIN_SAFE_INTEGER,
    window.to ?? Number.MAX_SAFE_INTEGER,
  ) as unknown as Iterable<StoredRow>;
  for (const row of rows) yield toIncident(row);
}

/**
 * `window` cut into `parts` consecutive windows holding about as many incidents each (the cuts read the
 * `decided_at` index only), for parallel readers of the SQLite file `db`: each reads a range of the index, and
 * together they cover the window exactly once, whatever is written meanwhile.
 */
export function splitDecisionWindow(
  db: DatabaseSync,
  window: DecisionWindow,
  parts: number,
): DecisionWindow[] {
  const from = window.from ?? Number.MIN_SAFE_INTEGER;
  const to = window.to ?? Number.MAX_SAFE_INTEGER;
  const { count } = db
    .prepare(
      'SELECT COUNT(*) AS count FROM automation_interventions WHERE decided_at >= ? AND decided_at < ?',
    )
    .get(from, to) as { count: number };
  const cut = db.prepare(
    `SELECT decided_at FROM automation_interventions WHERE decided_at >= ? AND decided_at < ?
     ORDER BY decided_at LIMIT 1 OFFSET ?`,
  );
  const bounds = [from];
  for (let part = 1; part < parts; part += 1) {
    const row = cut.get(from, to, Math.floor((part * count) / parts)) as { decided_at: number } | undefined;
    bounds.push(Math.max(bounds[part - 1]!, row?.decided_at ?? to));
  }
  bounds.push(to);
  return Array.from({ length: parts }, (_, part) => ({ from: bounds[part]!, to: bounds[part + 1]! }));
}

/**
 * The local mirror of the intervention ledger (the `boucle_intervention` custom object is the shared copy):
 * one entry per decision, keyed by the event that produced it, so a replayed event finds its entry again. With
 * the per-ticket decision state and the loop's cursors, on the `Sql` port: the SQLite file, or PostgreSQL with
 * BOUCLE_DATABASE_URL (several `boucle serve` on several hosts then share one ledger). Every statement is one
 * statement, so two workers recording the same decision key keep one entry (`ON CONFLICT DO NOTHING`).
 */
export class InterventionLedger {
  readonly #sql: Sql;

  constructor(sql: Sql) {
    this.#sql = sql;
  }

  /** Where the ledger lives, for messages. */
  get where(): string {
    return this.#sql.where;
  }

  /** Records a decision once; the same key again returns the entry already recorded. */
  async record(entry: NewLedgerEntry): Promise<LedgerEntry> {
    await this.#sql.run(
      `INSERT INTO automation_interventions
         (decision_key, ticket_id, user_id, action, priority, tier, compensation_tier, expected_value, cost,
          agent_minutes, summary, status, decided_at, due_at, input_compact, policy_version)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'recommended', ?, ?, ?, ?) ON CONFLICT (decision_key) DO NOTHING`,
      [
        entry.decisionKey,
        entry.ticketId,
        entry.userId,
        entry.action,
        entry.priority,
        entry.tier,
        entry.compensationTier ?? null,
        entry.expectedValue,
        entry.cost,
        entry.agentMinutes ?? null,
        entry.summary,
        entry.decidedAt.getTime(),
        entry.dueAt?.getTime() ?? null,
        entry.input === undefined ? null : encodeDecisionInput(entry.input),
        entry.policyVersion ?? null,
      ],
    );
    return (await this.byKey(entry.decisionKey))!;
  }

  /**
   * The entry of `entry.decisionKey`, its decision replaced by `entry`'s when they differ and no outcome is recorded
   * yet. An event that failed after its decision was recorded is decided again when it is retried (the customer's
   * value or the policy may have changed meanwhile); what is applied in Zendesk is the new decision, so the ledger
   * must say the same. The time it was first decided is kept.
   */
  async recordOrRedecide(entry: NewLedgerEntry): Promise<LedgerEntry> {
    const stored = await this.record(entry);
    if (sameDecision(stored, entry) || stored.outcome !== null) return stored;
    await this.#sql.run(
      `UPDATE automation_interventions
          SET action = ?, priority = ?, tier = ?, compensation_tier = ?, expected_value = ?, cost = ?,
              agent_minutes = ?, summary = ?, due_at = ?, input_compact = COALESCE(?, input_compact),
              policy_version = ?
        WHERE id = ? AND outcome IS NULL`,
      [
        entry.action,
        entry.priority,
        entry.tier,
        entry.compensationTier ?? null,
        entry.expectedValue,
        entry.cost,
        entry.agentMinutes ?? null,
        entry.summary,
        entry.dueAt?.getTime() ?? null,
        entry.input === undefined ? null : encodeDecisionInput(entry.input),
        entry.policyVersion ?? null,
        stored.id,
      ],
    );
    return (await this.byId(stored.id))!;
  }

  async byKey(decisionKey: string): Promise<LedgerEntry | undefined> {
    const row = await this.#sql.get<EntryRow>(
      `SELECT ${ENTRY_COLUMNS} FROM automation_interventions WHERE decision_key = ?`,
      [decisionKey],
    );
    return row === undefined ? undefined : toEntry(row);
  }

  async byId(id: number): Promise<LedgerEntry | undefined> {
    const row = await this.#sql.get<EntryRow>(
      `SELECT ${ENTRY_COLUMNS} FROM automation_interventions WHERE id = ?`,
      [id],
    );
    return row === undefined ? undefined : toEntry(row);
  }

  async forTicket(ticketId: number): Promise<LedgerEntry[]> {
    const rows = await this.#sql.all<EntryRow>(
      `SELECT ${ENTRY_COLUMNS} FROM automation_interventions WHERE ticket_id = ? ORDER BY id`,
      [ticketId],
    );
    return rows.map(toEntry);
  }

  async forUser(userId: number): Promise<LedgerEntry[]> {
    const rows = await this.#sql.all<EntryRow>(
      `SELECT ${ENTRY_COLUMNS} FROM automation_interventions WHERE user_id = ? ORDER BY id`,
      [userId],
    );
    return rows.map(toEntry);
  }

  async all(): Promise<LedgerEntry[]> {
    const rows = await this.#sql.all<EntryRow>(
      `SELECT ${ENTRY_COLUMNS} FROM automation_interventions ORDER BY id`,
    );
    return rows.map(toEntry);
  }

  /**
   * The stored incidents decided within `window`, oldest first, read `pageSize` rows at a time (keyset pages on
   * the `decided_at` index: the memory stays flat however many there are). A row stored without its input
   * (before schema version 3), or whose input does not read, comes with `input: null`: not previewable.
   */
  async *storedIncidents(window: DecisionWindow = {}, pageSize = 2_000): AsyncGenerator<StoredIncident> {
    for await (const { incident } of pageStoredIncidents(this.#sql, window, pageSize)) yield incident;
  }

  async markApplied(id: number, recordId: string | null): Promise<void> {
    await this.#sql.run(
      `UPDATE automation_interventions SET status = CASE WHEN status = 'recommended' THEN 'applied' ELSE status END, record_id = COALESCE(?, record_id) WHERE id = ?`,
      [recordId, id],
    );
  }

  async markReminded(id: number, at: Date): Promise<void> {
    await this.#sql.run(
      'UPDATE automation_interventions SET reminded_at = ? WHERE id = ? AND reminded_at IS NULL',
      [at.getTime(), id],
    );
  }

  /** The agent closed the loop (or a survey told us): the first contact is kept and an outcome never goes back. */
  async recordOutcome(id: number, outcome: Outcome, at: Date): Promise<void> {
    const recovered = outcome === 'recovered' ? 1 : outcome === 'lost' ? 0 : null;
    const contact = outcome === 'contacted' || outcome === 'resolved' || outcome === 'compensated' ? 1 : 0;
    const final = outcome === 'recovered' || outcome === 'lost' ? 1 : 0;
    const closes = outcome === 'contacted' ? 0 : 1;
    await this.#sql.run(
      `UPDATE automation_interventions SET
         first_contact_at = CASE WHEN ? = 1 THEN COALESCE(first_contact_at, ?) ELSE first_contact_at END,
         outcome = CASE
           WHEN ? = 1 THEN COALESCE(outcome, ?)
           WHEN outcome IS NULL OR outcome = 'contacted' THEN ?
           ELSE outcome END,
         outcome_at = COALESCE(outcome_at, ?),
         recovered = COALESCE(?, recovered),
         status = CASE WHEN status = 'closed' OR ? = 1 THEN 'closed' ELSE 'contacted' END
       WHERE id = ?`,
      [contact, at.getTime(), final, outcome, outcome, at.getTime(), recovered, closes, id],
    );
  }

  /** Open callbacks (no first contact yet) whose deadline falls before `before`. */
  async dueBefore(before: Date): Promise<LedgerEntry[]> {
    const rows = await this.#sql.all<EntryRow>(
      `SELECT ${ENTRY_COLUMNS_OF_I} FROM automation_interventions i JOIN automation_tickets t ON t.intervention_id = i.id
       WHERE i.first_contact_at IS NULL AND i.outcome IS NULL AND i.due_at IS NOT NULL AND i.due_at <= ? ORDER BY i.due_at`,
      [before.getTime()],
    );
    return rows.map(toEntry);
  }

  async ticketState(ticketId: number): Promise<TicketState> {
    const row = await this.#sql.get<{
      fingerprint: string | null;
      boucle_priority: TicketPriority | null;
      base_priority: TicketPriority | null;
      intervention_id: number | null;
      tags: string;
    }>(
      'SELECT fingerprint, boucle_priority, base_priority, intervention_id, tags FROM automation_tickets WHERE ticket_id = ?',
      [ticketId],
    );
    return {
      ticketId,
      fingerprint: row?.fingerprint ?? null,
      bouclePriority: row?.boucle_priority ?? null,
      basePriority: row?.base_priority ?? null,
      interventionId: row?.intervention_id ?? null,
      tags: row === undefined ? [] : (JSON.parse(row.tags) as string[]),
    };
  }

  async saveTicketState(state: TicketState, at: Date): Promise<void> {
    await this.#sql.run(
      `INSERT INTO automation_tickets (ticket_id, fingerprint, boucle_priority, base_priority, intervention_id, tags, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (ticket_id) DO UPDATE SET fingerprint = excluded.fingerprint, boucle_priority = excluded.boucle_priority,
         base_priority = excluded.base_priority, intervention_id = excluded.intervention_id, tags = excluded.tags,
         updated_at = excluded.updated_at`,
      [
        state.ticketId,
        state.fingerprint,
        state.bouclePriority,
        state.basePriority,
        state.interventionId,
        JSON.stringify(state.tags),
        at.getTime(),
      ],
    );
  }

  async getState(key: string): Promise<string | undefined> {
    const row = await this.#sql.get<{ value: string }>('SELECT value FROM automation_state WHERE key = ?', [
      key,
    ]);
    return row?.value;
  }

  async setState(key: string, value: string): Promise<void> {
    await this.#sql.run(
      'INSERT INTO automation_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      [key, value],
    );
  }
}
