import type { DatabaseSync } from 'node:sqlite';
import type {
  FeedbackKind,
  FunnelEntry,
  KeywordCounts,
  ProgrammeAnswer,
  ProgrammeCountedCell,
  ProgrammeCuts,
  ProgrammeDimension,
  ProgrammeFacts,
  ProgrammePairCount,
  ProgrammeQuery,
  ProgrammeTicket,
  SignalCutCounts,
  SignalEvidence,
  SignalWindow,
} from '../../../shared/src/index.ts';
import { EXPERIMENT_SCHEMA } from '../experiment/experiment-schema.ts';
import { AUTOMATION_SCHEMA } from '../loop/automation-schema.ts';
import { QUEUE_SCHEMA } from '../queue/queue-schema.ts';
import { openStore, type Store } from '../store/index.ts';
import { SYNC_SCHEMA } from '../sync/schema.ts';
import {
  readCutDictionaries,
  FACTS_VERSION,
  applyRefresh,
  planRefresh,
  readProgrammeCounts,
  readSignalCounts,
  rebuildFacts,
  signalEvidence,
  type CutDictionaries,
  type RefreshPlan,
} from './programme-facts-sql.ts';

/** What a refresh of the facts did: how many answers and tickets it (re)built, and whether all of them. */
export interface FactsRefresh {
  readonly answers: number;
  readonly tickets: number;
  readonly full: boolean;
}
import { PROGRAMME_SCHEMA } from './programme-schema.ts';

/** Opens Boucle's database with every table the programme reads (its own, the sync mirror, queue and ledger). */
export function openProgrammeStore(path: string): Store {
  return openStore(path, [QUEUE_SCHEMA, AUTOMATION_SCHEMA, SYNC_SCHEMA, PROGRAMME_SCHEMA, EXPERIMENT_SCHEMA]);
}

export interface AnswerRow {
  readonly id: string;
  readonly respondedAt: number;
  readonly kind: FeedbackKind;
  readonly scale: string;
  readonly score: number;
  readonly comment: string | null;
  readonly channel: string | null;
  readonly touchpoint: string | null;
  readonly ticketId: number | null;
  readonly interactionId: string | null;
  readonly userId: number | null;
  readonly email: string | null;
  readonly source: string;
}

export interface TicketRow {
  readonly id: number;
  readonly createdAt: number;
  readonly requesterId: number | null;
  readonly groupId: number | null;
  readonly status: string | null;
  readonly incident: boolean;
  readonly product: string | null;
  readonly tags: readonly string[];
}

export interface UserRow {
  readonly id: number;
  readonly externalId: string | null;
  readonly email: string | null;
  readonly locale: string | null;
}

/** Where the programme's facts live locally, and the one SQL query that resolves their cuts. */
export class ProgrammeStore {
  readonly #db: DatabaseSync;
  /** The data version at the last check of the facts' sources, and the cut sets read for them. */
  #checkedAt: string | null = null;
  readonly #background: boolean;
  readonly #onError: (error: unknown) => void;
  readonly #refreshBatch: number | undefined;
  #refreshing: Promise<void> | null = null;
  #dictionaries: { readonly source: string; readonly values: CutDictionaries } | null = null;
  /** Rows this connection wrote to its temporary tables (counted by total_changes(), not data). */
  #scratchChanges = 0;

  /**
   * `background`: refresh the facts in steps between queries (`boucle serve`, whose event loop also accepts the
   * webhooks), `onError` told when such a refresh fails (the next query tries again), `refreshBatch` the rows an
   * incremental refresh reads per step (REFRESH_BATCH; tests make it small to cross batch edges).
   */
  constructor(
    db: DatabaseSync,
    options: {
      readonly background?: boolean;
      readonly onError?: (error: unknown) => void;
      readonly refreshBatch?: number;
    } = {},
  ) {
    this.#db = db;
    this.#background = options.background === true;
    this.#onError = options.onError ?? (() => undefined);
    this.#refreshBatch = options.refreshBatch;
  }

  /** Inserts or replaces answers by id (a re-pulled answer replaces its older copy). */
  putAnswers(rows: readonly AnswerRow[]): void {
    const insert = this.#db.prepare(
      `INSERT INTO programme_answers (id, responded_at, kind, scale, score, comment, channel, touchpoint, ticket_id,
         interaction_id, user_id, email, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET responded_at = excluded.responded_at, kind = excluded.kind,
         scale = excluded.scale, score = excluded.score, comment = excluded.comment, channel = excluded.channel,
         touchpoint = excluded.touchpoint, ticket_id = excluded.ticket_id,
         interaction_id = COALESCE(excluded.interaction_id, programme_answers.interaction_id),
         user_id = COALESCE(excluded.user_id, programme_answers.user_id),
         email = COALESCE(excluded.email, programme_answers.email), source = excluded.source`,
    );
    if (rows.length === 0) return;
    this.#transaction(() => {
      for (const r of rows)
        insert.run(
          r.id,
          r.respondedAt,
          r.kind,
          r.scale,
          r.score,
          r.comment,
          r.channel,
          r.touchpoint,
          r.ticketId,
          r.interactionId,
          r.userId,
          r.email,
          r.source,
        );
    });
  }

  putTickets(rows: readonly TicketRow[]): void {
    const insert = this.#db.prepare(
      `INSERT INTO programme_tickets (id, created_at, requester_id, group_id, status, incident, product, tags)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET created_at = excluded.created_at, requester_id = excluded.requester_id,
         group_id = excluded.group_id, status = excluded.status, incident = excluded.incident,
         product = excluded.product, tags = excluded.tags`,
    );
    if (rows.length === 0) return;
    this.#transaction(() => {
      for (const r of rows)
        insert.run(
          r.id,
          r.createdAt,
          r.requesterId,
          r.groupId,
          r.status,
          r.incident ? 1 : 0,
          r.product,
          JSON.stringify(r.tags),
        );
    });
  }

  putUsers(rows: readonly UserRow[]): void {
    const insert = this.#db.prepare(
      `INSERT INTO programme_users (id, external_id, email, locale) VALUES (?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET external_id = excluded.external_id, email = excluded.email,
         locale = excluded.locale`,
    );
    if (rows.length === 0) return;
    this.#transaction(() => {
      for (const r of rows) insert.run(r.id, r.externalId, r.email, r.locale);
    });
  }

  /**
   * Brings the programme's facts up to date, in one transaction: incrementally (the answers and tickets changed
   * since the last refresh, and those of the customers whose CRM cuts or locale changed: see planRefresh), or in
   * full with `{ full: true }`, when the facts were never built by this layout (a migration), or when more than
   * a quarter of the answers and tickets changed (a first pull). The pull runs it; queries run it when something
   * changed since (ensureFacts).
   */
  refreshFacts(options: { readonly full?: boolean } = {}): FactsRefresh {
    for (;;) {
      if (options.full === true || this.#needsFullBuild()) {
        const built = this.#transaction(() => {
          const counts = rebuildFacts(this.#db, this.#cutResolver());
          this.setState('facts_version', FACTS_VERSION);
          this.#nextGeneration();
          return counts;
        });
        this.#afterRefresh();
        return { ...built, full: true };
      }
      const planning = planRefresh(
        this.#db,
        this.#cutResolver({ lazy: true }),
        this.getState('facts_generation') ?? null,
        this.#refreshBatch,
      );
      let step = planning.next();
      while (step.done !== true) step = planning.next();
      const applied = this.#apply(step.value);
      if (applied !== null) return applied;
    }
  }

  /**
   * The same incremental refresh for `boucle serve`: it plans by reads of a few thousand rows, yielding to the
   * event loop between them (queries keep answering from the facts as they were), then writes the plan in one
   * short transaction. A full build (see refreshFacts) is not split: it runs as one transaction.
   */
  async refreshFactsInSteps(): Promise<FactsRefresh> {
    for (;;) {
      if (this.#needsFullBuild()) return this.refreshFacts();
      const planning = planRefresh(
        this.#db,
        this.#cutResolver({ lazy: true }),
        this.getState('facts_generation') ?? null,
        this.#refreshBatch,
      );
      let step = planning.next();
      while (step.done !== true) {
        await new Promise((resolve) => setImmediate(resolve));
        step = planning.next();
      }
      const applied = this.#apply(step.value);
      if (applied !== null) return applied;
    }
  }

  /** Writes a plan; null when another refresh committed since it was planned (plan again). */
  #apply(plan: RefreshPlan | null): FactsRefresh | null {
    if (plan === null) return { answers: 0, tickets: 0, full: false };
    const written = this.#transaction(() => {
      if ((this.getState('facts_generation') ?? null) !== plan.generation) return false;
      applyRefresh(this.#db, plan);
      this.#nextGeneration();
      return true;
    });
    if (!written) return null;
    this.#afterRefresh();
    return { answers: plan.answers, tickets: plan.tickets, full: false };
  }

  #nextGeneration(): void {
    this.setState('facts_generation', String(Number(this.getState('facts_generation') ?? '0') + 1));
  }

  #afterRefresh(): void {
    this.#dictionaries = null;
    this.#checkedAt = this.dataVersion();
  }

  /** Facts of another layout (or none), or so many changes that reading everything once is cheaper. */
  #needsFullBuild(): boolean {
    if (this.getState('facts_version') !== FACTS_VERSION) return true;
    const row = this.#db
      .prepare(
        `SELECT (SELECT COUNT(*) FROM programme_dirty WHERE kind IN ('a', 't')) AS changed,
           (SELECT COUNT(*) FROM programme_facts) + (SELECT COUNT(*) FROM programme_ticket_facts) AS facts`,
      )
      .get() as { changed: number; facts: number };
    return row.changed > 10_000 && row.changed > row.facts / 4;
  }

  /** Something changed since the facts were refreshed. */
  #stale(): boolean {
    return (
      this.getState('facts_version') !== FACTS_VERSION ||
      this.#db.prepare('SELECT 1 FROM programme_dirty LIMIT 1').get() !== undefined
    );
  }

  /**
   * Brings the facts up to date when something changed since they were refreshed; checked only when the
   * database changed since the last check. True when it refreshed them. A store made with `{ background: true }`
   * (`boucle serve`) starts refreshFactsInSteps instead and answers from the facts as they are until it is
   * done (false), except when there are no facts yet.
   */
  ensureFacts(): boolean {
    const version = this.dataVersion();
    if (version === this.#checkedAt) return false;
    if (!this.#stale()) {
      this.#checkedAt = version;
      return false;
    }
    if (this.#background && this.getState('facts_version') === FACTS_VERSION) {
      this.#refreshing ??= this.refreshFactsInSteps()
        .then(() => undefined)
        .catch((error: unknown) => this.#onError(error))
        .finally(() => (this.#refreshing = null));
      return false;
    }
    this.refreshFacts();
    return true;
  }

  /** The background refresh running now (`{ background: true }`), if any. */
  get refreshing(): Promise<void> | null {
    return this.#refreshing;
  }

  #readDictionaries(): CutDictionaries {
    const source = this.getState('facts_generation') ?? '';
    if (this.#dictionaries === null || this.#dictionaries.source !== source)
      this.#dictionaries = { source, values: readCutDictionaries(this.#db) };
    return this.#dictionaries.values;
  }

  /**
   * The report's counts per cut set and bucket, summed by SQL over the facts (brought up to date first), in one
   * read transaction: the shared engine's computeProgrammeFromCounts turns them into the report.
   */
  programmeCounts(query: ProgrammeQuery): {
    cells: ProgrammeCountedCell[];
    totalPairs: ProgrammePairCount[];
  } {
    this.ensureFacts();
    // The counting writes only to a temporary table: not a change of the data (dataVersion leaves it out).
    const before = this.#totalChanges();
    try {
      return this.#read(() => readProgrammeCounts(this.#db, this.#readDictionaries(), query));
    } finally {
      this.#scratchChanges += this.#totalChanges() - before;
    }
  }

  /** The signal scan's monthly counts per cut and its phrase counts (scanSignalCounts' input). */
  signalCounts(
    window: SignalWindow,
    dimensions: readonly ProgrammeDimension[],
  ): { cells: SignalCutCounts[]; keywords: KeywordCounts[] } {
    this.ensureFacts();
    return this.#read(() => readSignalCounts(this.#db, this.#readDictionaries(), window, dimensions));
  }

  /** The answers and tickets behind the signs raised (read on demand from the recent months' facts). */
  signalEvidence(window: SignalWindow): SignalEvidence {
    return signalEvidence(this.#db, this.#readDictionaries(), window);
  }

  /** Several reads seeing one state of the database. */
  #read<T>(work: () => T): T {
    if (this.#db.isTransaction) return work();
    this.#db.exec('BEGIN');
    try {
      return work();
    } finally {
      this.#db.exec('COMMIT');
    }
  }

  getState(key: string): string | undefined {
    const row = this.#db.prepare('SELECT value FROM programme_state WHERE key = ?').get(key) as
      { value: string } | undefined;
    return row?.value;
  }

  setState(key: string, value: string): void {
    this.#db
      .prepare(
        'INSERT INTO programme_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      )
      .run(key, value);
  }

  /**
   * Changes whenever the data may have changed: commits by other connections (`PRAGMA data_version`) and by this
   * one (`total_changes()`, less the rows of its own scratch tables). Repeated dashboard queries are answered
   * from a cache while it stays the same.
   */
  dataVersion(): string {
    const version = this.#db.prepare('PRAGMA data_version').get() as { data_version: number };
    return `${version.data_version}:${this.#totalChanges() - this.#scratchChanges}`;
  }

  #totalChanges(): number {
    return (this.#db.prepare('SELECT total_changes() AS n').get() as { n: number }).n;
  }

  /** When the latest answer was given (ms), null without answers. */
  latestAnswerAt(): number | null {
    const row = this.#db.prepare('SELECT MAX(responded_at) AS at FROM programme_answers').get() as {
      at: number | null;
    };
    return row.at;
  }

  counts(): { answers: number; tickets: number; users: number } {
    const count = (table: string): number =>
      (this.#db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
    return {
      answers: count('programme_answers'),
      tickets: count('programme_tickets'),
      users: count('programme_users'),
    };
  }

  /**
   * The answers and tickets of [fromMs, toMs) with their cuts: the CRM's (value tier, segment, region, product
   * line) through user → Salesforce contact → account in the sync's mirror, the ticket's (group, product tag),
   * the answer's own (channel, touchpoint) and the customer's language (the Zendesk user's locale).
   * The CRM cuts are resolved once per user, rows are streamed, and equal cut sets share one object, so memory
   * grows with the answers, not with their joins. `comments: false` leaves the comments out (the report does
   * not read them; the signal scan does).
   */
  /** The cuts of a user's answers and tickets: CRM values per user, resolved once, equal sets shared. */
  #cutResolver(
    options: { readonly lazy?: boolean } = {},
  ): (
    userId: number | null,
    group: number | null,
    ticketProduct: string | null,
    channel: string | null,
    touchpoint: string | null,
  ) => ProgrammeCuts {
    const users = new Map<number, UserCuts | null>();
    const sql = `SELECT u.id, u.locale, json_extract(p.profile, '$.tier') AS tier, acc.segment, acc.region,
           acc.product_line FROM programme_users u
         LEFT JOIN sync_contact c ON c.id = u.external_id
         LEFT JOIN sync_account acc ON acc.id = c.account_id
         LEFT JOIN sync_profile p ON p.account_id = acc.id`;
    const userCuts = (row: {
      locale: string | null;
      tier: string | null;
      segment: string | null;
      region: string | null;
      product_line: string | null;
    }): UserCuts => ({
      tier: row.tier,
      segment: row.segment,
      region: row.region,
      product: row.product_line,
      language: row.locale === null ? null : row.locale.toLowerCase().startsWith('fr') ? 'fr' : 'en',
    });
    type Row = Parameters<typeof userCuts>[0] & { id: number };
    // All users at once for a full pass; one user at a time (each once) for a few changed rows.
    const one = options.lazy === true ? this.#db.prepare(`${sql} WHERE u.id = ?`) : null;
    if (one === null)
      for (const row of this.#db.prepare(sql).iterate() as Iterable<Row>) users.set(row.id, userCuts(row));
    const userOf = (id: number): UserCuts | undefined => {
      if (one === null) return users.get(id) ?? undefined;
      let cuts = users.get(id);
      if (cuts === undefined) {
        const row = one.get(id) as Row | undefined;
        cuts = row === undefined ? null : userCuts(row);
        users.set(id, cuts);
      }
      return cuts ?? undefined;
    };
    const interned = new Map<string, ProgrammeCuts>();
    const cutsOf = (
      userId: number | null,
      group: number | null,
      ticketProduct: string | null,
      channel: string | null,
      touchpoint: string | null,
    ): ProgrammeCuts => {
      const user = userId === null ? undefined : userOf(userId);
      const values = [
        user?.tier ?? null,
        user?.segment ?? null,
        user?.region ?? null,
        user?.product ?? ticketProduct,
        group === null ? null : String(group),
        channel,
        touchpoint,
        user?.language ?? null,
      ];
      const key = values.join('\u0000');
      let cuts = interned.get(key);
      if (cuts === undefined) {
        const built: Record<string, string> = {};
        CUT_KEYS.forEach((name, index) => {
          const value = values[index];
          if (value !== null && value !== undefined && value !== '') built[name] = value;
        });
        cuts = Object.freeze(built);
        interned.set(key, cuts);
      }
      return cuts;
    };
    return cutsOf;
  }

  /** The cuts of users, groups and products as readFacts resolves them, for the experiment report. */
  cutResolver(): CutResolver {
    return this.#cutResolver();
  }

  readFacts(fromMs: number, toMs: number, options: { comments?: boolean } = {}): ProgrammeFacts {
    const cutsOf = this.#cutResolver();
    const answers: ProgrammeAnswer[] = [];
    for (const r of this.#db
      .prepare(
        `SELECT a.id, a.responded_at, a.kind, a.scale, a.score, ${options.comments === false ? 'NULL' : 'a.comment'} AS comment,
           a.channel, a.touchpoint, a.ticket_id, a.interaction_id, COALESCE(a.user_id, t.requester_id) AS user_id,
           t.group_id, t.product
         FROM programme_answers a LEFT JOIN programme_tickets t ON t.id = a.ticket_id
         WHERE a.responded_at >= ? AND a.responded_at < ?`,
      )
      .iterate(fromMs, toMs) as Iterable<{
      id: string;
      responded_at: number;
      kind: FeedbackKind;
      scale: string;
      score: number;
      comment: string | null;
      channel: string | null;
      touchpoint: string | null;
      ticket_id: number | null;
      interaction_id: string | null;
      user_id: number | null;
      group_id: number | null;
      product: string | null;
    }>)
      answers.push({
        id: r.id,
        at: r.responded_at,
        kind: r.kind,
        scale: r.scale,
        score: r.score,
        ticketId: r.ticket_id === null ? null : String(r.ticket_id),
        interactionId: r.interaction_id,
        comment: r.comment,
        cuts: cutsOf(r.user_id, r.group_id, r.product, r.channel, r.touchpoint),
      });
    const tickets: ProgrammeTicket[] = [];
    for (const r of this.#db
      .prepare(
        `SELECT id, created_at, incident, requester_id, group_id, product FROM programme_tickets
         WHERE created_at >= ? AND created_at < ?`,
      )
      .iterate(fromMs, toMs) as Iterable<{
      id: number;
      created_at: number;
      incident: number;
      requester_id: number | null;
      group_id: number | null;
      product: string | null;
    }>)
      tickets.push({
        id: String(r.id),
        at: r.created_at,
        incident: r.incident === 1,
        cuts: cutsOf(r.requester_id, r.group_id, r.product, null, null),
      });
    return { answers, tickets };
  }

  /**
   * The intervention ledger as funnel entries: applied and contacted from the ledger, the callback deadline,
   * the outcome, the customer's next revenue after the decision (won opportunity or activated order in the
   * sync's mirror) and the customer's 12-month revenue as the value at risk (the sync's profile).
   */
  readFunnel(): FunnelEntry[] {
    const cutsOf = this.#cutResolver();
    const rows = this.#db
      .prepare(
        `SELECT i.decided_at, i.action, i.status, i.first_contact_at, i.due_at, i.outcome, i.user_id,
           t.group_id, t.product, json_extract(p.profile, '$.revenue12m') AS value,
           (SELECT MIN(x.date) FROM sync_txn x WHERE x.account_id = c.account_id AND x.revenue = 1
              AND x.date > strftime('%Y-%m-%d', i.decided_at / 1000, 'unixepoch')) AS next_revenue
         FROM automation_interventions i
         LEFT JOIN programme_tickets t ON t.id = i.ticket_id
         LEFT JOIN programme_users u ON u.id = COALESCE(i.user_id, t.requester_id)
         LEFT JOIN sync_contact c ON c.id = u.external_id
         LEFT JOIN sync_profile p ON p.account_id = c.account_id
         ORDER BY i.id`,
      )
      .all() as unknown as {
      decided_at: number;
      action: string;
      status: string;
      first_contact_at: number | null;
      due_at: number | null;
      outcome: string | null;
      user_id: number | null;
      group_id: number | null;
      product: string | null;
      value: number | null;
      next_revenue: string | null;
    }[];
    return rows.map((r) => ({
      decidedAt: r.decided_at,
      action: r.action,
      applied: r.status !== 'recommended',
      firstContactAt: r.first_contact_at,
      dueAt: r.due_at,
      resolved: r.outcome === 'resolved' || r.outcome === 'compensated' || r.outcome === 'recovered',
      nextRevenueAt: r.next_revenue === null ? null : Date.parse(`${r.next_revenue}T00:00:00Z`),
      valueAtRisk: r.value,
      cuts: cutsOf(r.user_id, r.group_id, r.product, null, null),
    }));
  }

  #transaction<T>(work: () => T): T {
    if (this.#db.isTransaction) return work();
    this.#db.exec('BEGIN IMMEDIATE');
    try {
      const result = work();
      this.#db.exec('COMMIT');
      return result;
    } catch (error) {
      this.#db.exec('ROLLBACK');
      throw error;
    }
  }
}

/** (user, group, ticket product, channel, touchpoint) → the cuts of a fact. */
export type CutResolver = (
  userId: number | null,
  group: number | null,
  ticketProduct: string | null,
  channel: string | null,
  touchpoint: string | null,
) => ProgrammeCuts;

interface UserCuts {
  readonly tier: string | null;
  readonly segment: string | null;
  readonly region: string | null;
  readonly product: string | null;
  readonly language: string | null;
}

const CUT_KEYS = [
  'tier',
  'segment',
  'region',
  'product',
  'group',
  'channel',
  'touchpoint',
  'language',
] as const;
