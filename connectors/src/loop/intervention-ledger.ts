import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { decodeDecisionInput, encodeDecisionInput } from '../../../shared/src/index.ts';
import type { Decision, DecisionInput, StoredIncident } from '../../../shared/src/index.ts';
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

/** A row of `storedIncidents`, read as an array (cheaper than an object per row). */
type StoredRow = [
  inputCompact: string | null,
  decidedAt: number,
  action: string,
  compensationTier: string | null,
  cost: number | null,
  expectedValue: number | null,
  agentMinutes: number | null,
];

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

/**
 * The local mirror of the intervention ledger (the `boucle_intervention` custom object is the shared copy):
 * one entry per decision, keyed by the event that produced it, so a replayed event finds its entry again.
 */
export class InterventionLedger {
  /** The database, each statement prepared once per ledger (preparing one costs more than running it). */
  readonly #db: Pick<DatabaseSync, 'prepare'>;
  readonly #uncached: DatabaseSync;

  constructor(db: DatabaseSync) {
    this.#uncached = db;
    const statements = new Map<string, StatementSync>();
    this.#db = {
      prepare(sql: string): StatementSync {
        let statement = statements.get(sql);
        if (statement === undefined) {
          statement = db.prepare(sql);
          statements.set(sql, statement);
        }
        return statement;
      },
    };
  }

  /** Records a decision once; the same key again returns the entry already recorded. */
  record(entry: NewLedgerEntry): LedgerEntry {
    this.#db
      .prepare(
        `INSERT INTO automation_interventions
           (decision_key, ticket_id, user_id, action, priority, tier, compensation_tier, expected_value, cost,
            agent_minutes, summary, status, decided_at, due_at, input_compact, policy_version)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'recommended', ?, ?, ?, ?) ON CONFLICT (decision_key) DO NOTHING`,
      )
      .run(
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
      );
    return this.byKey(entry.decisionKey)!;
  }

  byKey(decisionKey: string): LedgerEntry | undefined {
    const row = this.#db
      .prepare(`SELECT ${ENTRY_COLUMNS} FROM automation_interventions WHERE decision_key = ?`)
      .get(decisionKey) as EntryRow | undefined;
    return row === undefined ? undefined : toEntry(row);
  }

  byId(id: number): LedgerEntry | undefined {
    const row = this.#db
      .prepare(`SELECT ${ENTRY_COLUMNS} FROM automation_interventions WHERE id = ?`)
      .get(id) as EntryRow | undefined;
    return row === undefined ? undefined : toEntry(row);
  }

  forTicket(ticketId: number): LedgerEntry[] {
    const rows = this.#db
      .prepare(`SELECT ${ENTRY_COLUMNS} FROM automation_interventions WHERE ticket_id = ? ORDER BY id`)
      .all(ticketId) as unknown as EntryRow[];
    return rows.map(toEntry);
  }

  forUser(userId: number): LedgerEntry[] {
    const rows = this.#db
      .prepare(`SELECT ${ENTRY_COLUMNS} FROM automation_interventions WHERE user_id = ? ORDER BY id`)
      .all(userId) as unknown as EntryRow[];
    return rows.map(toEntry);
  }

  all(): LedgerEntry[] {
    const rows = this.#db
      .prepare(`SELECT ${ENTRY_COLUMNS} FROM automation_interventions ORDER BY id`)
      .all() as unknown as EntryRow[];
    return rows.map(toEntry);
  }

  /**
   * The stored incidents decided within `window`, oldest first, read one row at a time from a cursor (the
   * memory stays flat however many there are). A row stored without its input (before schema version 3), or
   * whose input does not read, comes with `input: null`: not previewable.
   */
  *storedIncidents(window: DecisionWindow = {}): Generator<StoredIncident> {
    // Its own statement: two previews may iterate at the same time. Only the columns a preview reads, as arrays.
    const statement = this.#uncached.prepare(
      `SELECT input_compact, decided_at, action, compensation_tier, cost, expected_value, agent_minutes
       FROM automation_interventions WHERE decided_at >= ? AND decided_at < ? ORDER BY decided_at, id`,
    );
    statement.setReturnArrays(true);
    const rows = statement.iterate(
      window.from ?? Number.MIN_SAFE_INTEGER,
      window.to ?? Number.MAX_SAFE_INTEGER,
    ) as unknown as Iterable<StoredRow>;
    for (const row of rows) {
      yield {
        input: readInput(row[0]),
        decidedAt: row[1],
        recorded: {
          action: row[2],
          compensationTier: row[3],
          cost: row[4],
          expectedValue: row[5],
          agentMinutes: row[6],
        },
      };
    }
  }

  /**
   * `window` cut into `parts` consecutive windows holding about as many incidents each (the cuts read the
   * `decided_at` index only), for parallel readers: each reads a range of the index, and together they cover the
   * window exactly once, whatever is written meanwhile.
   */
  splitWindow(window: DecisionWindow, parts: number): DecisionWindow[] {
    const from = window.from ?? Number.MIN_SAFE_INTEGER;
    const to = window.to ?? Number.MAX_SAFE_INTEGER;
    const { count } = this.#db
      .prepare(
        'SELECT COUNT(*) AS count FROM automation_interventions WHERE decided_at >= ? AND decided_at < ?',
      )
      .get(from, to) as { count: number };
    const cut = this.#db.prepare(
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

  markApplied(id: number, recordId: string | null): void {
    this.#db
      .prepare(
        `UPDATE automation_interventions SET status = CASE WHEN status = 'recommended' THEN 'applied' ELSE status END, record_id = COALESCE(?, record_id) WHERE id = ?`,
      )
      .run(recordId, id);
  }

  markReminded(id: number, at: Date): void {
    this.#db
      .prepare('UPDATE automation_interventions SET reminded_at = ? WHERE id = ? AND reminded_at IS NULL')
      .run(at.getTime(), id);
  }

  /** The agent closed the loop (or a survey told us): the first contact is kept and an outcome never goes back. */
  recordOutcome(id: number, outcome: Outcome, at: Date): void {
    const recovered = outcome === 'recovered' ? 1 : outcome === 'lost' ? 0 : null;
    this.#db
      .prepare(
        `UPDATE automation_interventions SET
           first_contact_at = CASE WHEN ? IN ('contacted', 'resolved', 'compensated') THEN COALESCE(first_contact_at, ?) ELSE first_contact_at END,
           outcome = CASE
             WHEN ? IN ('recovered', 'lost') THEN COALESCE(outcome, ?)
             WHEN outcome IS NULL OR outcome = 'contacted' THEN ?
             ELSE outcome END,
           outcome_at = COALESCE(outcome_at, ?),
           recovered = COALESCE(?, recovered),
           status = CASE WHEN status = 'closed' OR ? IN ('resolved', 'compensated', 'recovered', 'lost') THEN 'closed' ELSE 'contacted' END
         WHERE id = ?`,
      )
      .run(outcome, at.getTime(), outcome, outcome, outcome, at.getTime(), recovered, outcome, id);
  }

  /** Open callbacks (no first contact yet) whose deadline falls before `before`. */
  dueBefore(before: Date): LedgerEntry[] {
    const rows = this.#db
      .prepare(
        `SELECT ${ENTRY_COLUMNS_OF_I} FROM automation_interventions i JOIN automation_tickets t ON t.intervention_id = i.id
         WHERE i.first_contact_at IS NULL AND i.outcome IS NULL AND i.due_at IS NOT NULL AND i.due_at <= ? ORDER BY i.due_at`,
      )
      .all(before.getTime()) as unknown as EntryRow[];
    return rows.map(toEntry);
  }

  ticketState(ticketId: number): TicketState {
    const row = this.#db.prepare('SELECT * FROM automation_tickets WHERE ticket_id = ?').get(ticketId) as
      | {
          fingerprint: string | null;
          boucle_priority: TicketPriority | null;
          base_priority: TicketPriority | null;
          intervention_id: number | null;
          tags: string;
        }
      | undefined;
    return {
      ticketId,
      fingerprint: row?.fingerprint ?? null,
      bouclePriority: row?.boucle_priority ?? null,
      basePriority: row?.base_priority ?? null,
      interventionId: row?.intervention_id ?? null,
      tags: row === undefined ? [] : (JSON.parse(row.tags) as string[]),
    };
  }

  saveTicketState(state: TicketState, at: Date): void {
    this.#db
      .prepare(
        `INSERT INTO automation_tickets (ticket_id, fingerprint, boucle_priority, base_priority, intervention_id, tags, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (ticket_id) DO UPDATE SET fingerprint = excluded.fingerprint, boucle_priority = excluded.boucle_priority,
           base_priority = excluded.base_priority, intervention_id = excluded.intervention_id, tags = excluded.tags,
           updated_at = excluded.updated_at`,
      )
      .run(
        state.ticketId,
        state.fingerprint,
        state.bouclePriority,
        state.basePriority,
        state.interventionId,
        JSON.stringify(state.tags),
        at.getTime(),
      );
  }

  getState(key: string): string | undefined {
    const row = this.#db.prepare('SELECT value FROM automation_state WHERE key = ?').get(key) as
      { value: string } | undefined;
    return row?.value;
  }

  setState(key: string, value: string): void {
    this.#db
      .prepare(
        'INSERT INTO automation_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      )
      .run(key, value);
  }
}
