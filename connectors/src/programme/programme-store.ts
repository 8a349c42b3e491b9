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
import { openStore, type FeatureSchema, type Store } from '../store/index.ts';
import { openPostgresStore } from '../store/postgres.ts';
import { postgresSql, sqliteSql, type Sql } from '../store/sql.ts';
import { SYNC_SCHEMA } from '../sync/schema.ts';
import {
  readCutDictionaries,
  FACTS_VERSION,
  applyRefresh,
  planRefresh,
  readProgrammeCounts,
  readSignalCounts,
  rebuildFacts,
  integerList,
  jsonNumber,
  jsonText,
  signalEvidence,
  type CutDictionaries,
  type RefreshPlan,
  insertRows,
} from './programme-facts-sql.ts';

/** What a refresh of the facts did: how many answers and tickets it (re)built, and whether all of them. */
export interface FactsRefresh {
  readonly answers: number;
  readonly tickets: number;
  readonly full: boolean;
}
import { PROGRAMME_SCHEMA } from './programme-schema.ts';

/** Every table the programme reads: its own, the sync mirror, the queue and the ledgers. */
export const PROGRAMME_SCHEMAS: readonly FeatureSchema[] = [
  QUEUE_SCHEMA,
  AUTOMATION_SCHEMA,
  SYNC_SCHEMA,
  PROGRAMME_SCHEMA,
  EXPERIMENT_SCHEMA,
];

/** Opens Boucle's SQLite file with every table the programme reads. */
export function openProgrammeStore(path: string): Store {
  return openStore(path, PROGRAMME_SCHEMAS);
}

/** The programme's database as an `Sql`: PostgreSQL's with a URL (BOUCLE_DATABASE_URL), else the SQLite file. */
export async function openProgrammeSql(
  where: { readonly path: string; readonly databaseUrl?: string | undefined },
  schemas: readonly FeatureSchema[] = PROGRAMME_SCHEMAS,
): Promise<{ readonly sql: Sql; close(): Promise<void> }> {
  if (where.databaseUrl !== undefined) {
    const store = await openPostgresStore(where.databaseUrl, schemas);
    return { sql: postgresSql(store), close: () => store.close() };
  }
  const store = openStore(where.path, schemas);
  return {
    sql: sqliteSql(store),
    close: () => {
      store.close();
      return Promise.resolve();
    },
  };
}

/** Advisory-lock key of the facts' refreshes on PostgreSQL (several `boucle serve` share the facts). */
const REFRESH_LOCK = 0x70726f67n; // "prog"

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

/** Where the programme's facts live (SQLite or PostgreSQL, through `Sql`), and the SQL that resolves their cuts. */
export class ProgrammeStore {
  readonly #sql: Sql;
  /** The data version at the last check of the facts' sources, and the cut sets read for them. */
  #checkedAt: string | null = null;
  readonly #background: boolean;
  readonly #onError: (error: unknown) => void;
  readonly #refreshBatch: number | undefined;
  #refreshing: Promise<void> | null = null;
  #dictionaries: { readonly source: string; readonly values: CutDictionaries } | null = null;
  /** Rows this connection wrote to its temporary tables (SQLite: counted by total_changes(), not data). */
  #scratchChanges = 0;

  /**
   * `background`: refresh the facts in steps between queries (`boucle serve`, whose event loop also accepts the
   * webhooks), `onError` told when such a refresh fails (the next query tries again), `refreshBatch` the rows an
   * incremental refresh reads per step (REFRESH_BATCH; tests make it small to cross batch edges).
   */
  constructor(
    sql: Sql,
    options: {
      readonly background?: boolean;
      readonly onError?: (error: unknown) => void;
      readonly refreshBatch?: number;
    } = {},
  ) {
    this.#sql = sql;
    this.#background = options.background === true;
    this.#onError = options.onError ?? (() => undefined);
    this.#refreshBatch = options.refreshBatch;
  }

  /** The database it reads and writes. */
  get sql(): Sql {
    return this.#sql;
  }

  /** Inserts or replaces answers by id (a re-pulled answer replaces its older copy). */
  async putAnswers(rows: readonly AnswerRow[]): Promise<void> {
    if (rows.length === 0) return;
    await this.#sql.transaction(() =>
      insertRows(
        this.#sql,
        `INSERT INTO programme_answers (id, responded_at, kind, scale, score, comment, channel, touchpoint, ticket_id,
           interaction_id, user_id, email, source)`,
        // One row per id per statement (PostgreSQL refuses to update a row twice in one): copies of one id merged
        // as one after the other would be (the last wins; its missing interaction, user and e-mail kept).
        [
          ...rows
            .reduce((byId, r) => {
              const before = byId.get(r.id);
              byId.set(
                r.id,
                before === undefined
                  ? r
                  : {
                      ...r,
                      interactionId: r.interactionId ?? before.interactionId,
                      userId: r.userId ?? before.userId,
                      email: r.email ?? before.email,
                    },
              );
              return byId;
            }, new Map<string, AnswerRow>())
            .values(),
        ].map((r) => [
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
        ]),
        `ON CONFLICT (id) DO UPDATE SET responded_at = excluded.responded_at, kind = excluded.kind,
           scale = excluded.scale, score = excluded.score, comment = excluded.comment, channel = excluded.channel,
           touchpoint = excluded.touchpoint, ticket_id = excluded.ticket_id,
           interaction_id = COALESCE(excluded.interaction_id, programme_answers.interaction_id),
           user_id = COALESCE(excluded.user_id, programme_answers.user_id),
           email = COALESCE(excluded.email, programme_answers.email), source = excluded.source`,
      ),
    );
  }

  async putTickets(rows: readonly TicketRow[]): Promise<void> {
    if (rows.length === 0) return;
    await this.#sql.transaction(() =>
      insertRows(
        this.#sql,
        'INSERT INTO programme_tickets (id, created_at, requester_id, group_id, status, incident, product, tags)',
        [...new Map(rows.map((r) => [r.id, r])).values()].map((r) => [
          r.id,
          r.createdAt,
          r.requesterId,
          r.groupId,
          r.status,
          r.incident ? 1 : 0,
          r.product,
          JSON.stringify(r.tags),
        ]),
        `ON CONFLICT (id) DO UPDATE SET created_at = excluded.created_at, requester_id = excluded.requester_id,
           group_id = excluded.group_id, status = excluded.status, incident = excluded.incident,
           product = excluded.product, tags = excluded.tags`,
      ),
    );
  }

  async putUsers(rows: readonly UserRow[]): Promise<void> {
    if (rows.length === 0) return;
    await this.#sql.transaction(() =>
      insertRows(
        this.#sql,
        'INSERT INTO programme_users (id, external_id, email, locale)',
        [...new Map(rows.map((r) => [r.id, r])).values()].map((r) => [r.id, r.externalId, r.email, r.locale]),
        `ON CONFLICT (id) DO UPDATE SET external_id = excluded.external_id, email = excluded.email,
           locale = excluded.locale`,
      ),
    );
  }

  /** On PostgreSQL, one refresh at a time across every process sharing the facts (held until the commit). */
  async #lockRefresh(): Promise<void> {
    if (this.#sql.dialect === 'postgres')
      await this.#sql.get('SELECT pg_advisory_xact_lock(?)', [REFRESH_LOCK.toString()]);
  }

  /**
   * Brings the programme's facts up to date, in one transaction: incrementally (the answers and tickets changed
   * since the last refresh, and those of the customers whose CRM cuts or locale changed: see planRefresh), or in
   * full with `{ full: true }`, when the facts were never built by this layout (a migration), or when more than
   * a quarter of the answers and tickets changed (a first pull). The pull runs it; queries run it when something
   * changed since (ensureFacts).
   */
  async refreshFacts(options: { readonly full?: boolean } = {}): Promise<FactsRefresh> {
    for (;;) {
      if (options.full === true || (await this.#needsFullBuild())) return this.#rebuild();
      const plan = await planRefresh(
        this.#sql,
        await this.#cutResolver({ lazy: true }),
        (await this.getState('facts_generation')) ?? null,
        this.#refreshBatch,
      );
      const applied = await this.#apply(plan);
      if (applied !== null) return applied;
    }
  }

  async #rebuild(): Promise<FactsRefresh> {
    const built = await this.#sql.transaction(async () => {
      await this.#lockRefresh();
      const counts = await rebuildFacts(this.#sql, await this.#cutResolver());
      await this.setState('facts_version', FACTS_VERSION);
      await this.#nextGeneration();
      return counts;
    });
    await this.#afterRefresh();
    return { ...built, full: true };
  }

  /**
   * The same incremental refresh for `boucle serve`: it plans by reads of a few thousand rows, yielding to the
   * event loop between them (queries keep answering from the facts as they were), then writes the plan in one
   * short transaction. A full build (see refreshFacts) is not split: it runs as one transaction.
   */
  async refreshFactsInSteps(): Promise<FactsRefresh> {
    for (;;) {
      if (await this.#needsFullBuild()) return this.refreshFacts();
      const plan = await planRefresh(
        this.#sql,
        await this.#cutResolver({ lazy: true }),
        (await this.getState('facts_generation')) ?? null,
        this.#refreshBatch,
        () => new Promise((resolve) => setImmediate(resolve)),
      );
      const applied = await this.#apply(plan);
      if (applied !== null) return applied;
    }
  }

  /** Writes a plan; null when another refresh committed since it was planned (plan again). */
  async #apply(plan: RefreshPlan | null): Promise<FactsRefresh | null> {
    if (plan === null) return { answers: 0, tickets: 0, full: false };
    const written = await this.#sql.transaction(async () => {
      await this.#lockRefresh();
      if (((await this.getState('facts_generation')) ?? null) !== plan.generation) return false;
      await applyRefresh(this.#sql, plan);
      await this.#nextGeneration();
      return true;
    });
    if (!written) return null;
    await this.#afterRefresh();
    return { answers: plan.answers, tickets: plan.tickets, full: false };
  }

  async #nextGeneration(): Promise<void> {
    await this.setState(
      'facts_generation',
      String(Number((await this.getState('facts_generation')) ?? '0') + 1),
    );
  }

  async #afterRefresh(): Promise<void> {
    this.#dictionaries = null;
    this.#checkedAt = await this.dataVersion();
  }

  /** Facts of another layout (or none), or so many changes that reading everything once is cheaper. */
  async #needsFullBuild(): Promise<boolean> {
    if ((await this.getState('facts_version')) !== FACTS_VERSION) return true;
    const row = (await this.#sql.get<{ changed: number; facts: number }>(
      `SELECT (SELECT COUNT(*) FROM programme_dirty WHERE kind IN ('a', 't')) AS changed,
         (SELECT COUNT(*) FROM programme_facts) + (SELECT COUNT(*) FROM programme_ticket_facts) AS facts`,
    ))!;
    return row.changed > 10_000 && row.changed > row.facts / 4;
  }

  /** Something changed since the facts were refreshed. */
  async #stale(): Promise<boolean> {
    return (
      (await this.getState('facts_version')) !== FACTS_VERSION ||
      (await this.#sql.get('SELECT 1 AS one FROM programme_dirty LIMIT 1')) !== undefined
    );
  }

  /**
   * Brings the facts up to date when something changed since they were refreshed; checked only when the
   * database changed since the last check. True when it refreshed them. A store made with `{ background: true }`
   * (`boucle serve`) starts refreshFactsInSteps instead and answers from the facts as they are until it is
   * done (false), except when there are no facts yet.
   */
  async ensureFacts(): Promise<boolean> {
    const version = await this.dataVersion();
    if (version === this.#checkedAt) return false;
    if (!(await this.#stale())) {
      this.#checkedAt = version;
      return false;
    }
    if (this.#background && (await this.getState('facts_version')) === FACTS_VERSION) {
      this.#refreshing ??= this.refreshFactsInSteps()
        .then(() => undefined)
        .catch((error: unknown) => this.#onError(error))
        .finally(() => (this.#refreshing = null));
      return false;
    }
    await this.refreshFacts();
    return true;
  }

  /** The background refresh running now (`{ background: true }`), if any. */
  get refreshing(): Promise<void> | null {
    return this.#refreshing;
  }

  async #readDictionaries(): Promise<CutDictionaries> {
    const source = (await this.getState('facts_generation')) ?? '';
    if (this.#dictionaries === null || this.#dictionaries.source !== source)
      this.#dictionaries = { source, values: await readCutDictionaries(this.#sql) };
    return this.#dictionaries.values;
  }

  /**
   * The report's counts per cut set and bucket, summed by SQL over the facts (brought up to date first): the
   * shared engine's computeProgrammeFromCounts turns them into the report.
   */
  async programmeCounts(
    query: ProgrammeQuery,
  ): Promise<{ cells: ProgrammeCountedCell[]; totalPairs: ProgrammePairCount[] }> {
    await this.ensureFacts();
    const dictionaries = await this.#readDictionaries();
    if (this.#sql.dialect !== 'sqlite')
      return this.#sql.snapshot(() => readProgrammeCounts(this.#sql, dictionaries, query));
    // SQLite counts into a temporary table: not a change of the data (dataVersion leaves it out). Its reads see
    // one state of the file (a deferred transaction: the queue's writers are not held back).
    return this.#sql.snapshot(async () => {
      const before = await this.#totalChanges();
      try {
        return await readProgrammeCounts(this.#sql, dictionaries, query);
      } finally {
        this.#scratchChanges += (await this.#totalChanges()) - before;
      }
    });
  }

  /** The signal scan's monthly counts per cut and its phrase counts (scanSignalCounts' input). */
  async signalCounts(
    window: SignalWindow,
    dimensions: readonly ProgrammeDimension[],
  ): Promise<{ cells: SignalCutCounts[]; keywords: KeywordCounts[] }> {
    await this.ensureFacts();
    const dictionaries = await this.#readDictionaries();
    // One state of the data, never half of a refresh.
    return this.#sql.snapshot(() => readSignalCounts(this.#sql, dictionaries, window, dimensions));
  }

  /** The answers and tickets behind the signs raised (read on demand from the recent months' facts). */
  async signalEvidence(
    window: SignalWindow,
  ): Promise<{ readonly evidence: SignalEvidence; load(): Promise<boolean> }> {
    return signalEvidence(this.#sql, await this.#readDictionaries(), window);
  }

  async getState(key: string): Promise<string | undefined> {
    const row = await this.#sql.get<{ value: string }>('SELECT value FROM programme_state WHERE key = ?', [
      key,
    ]);
    return row?.value;
  }

  async setState(key: string, value: string): Promise<void> {
    await this.#sql.run(
      'INSERT INTO programme_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      [key, value],
    );
  }

  /**
   * Changes whenever the data may have changed. SQLite: commits by other connections (`PRAGMA data_version`) and
   * by this one (`total_changes()`, less the rows of its own scratch tables). PostgreSQL: the server's current
   * snapshot (the next transaction id and those in progress), which moves with every write transaction that
   * starts or ends, on any connection. Repeated dashboard queries are answered from a cache while it stays the same.
   */
  async dataVersion(): Promise<string> {
    if (this.#sql.dialect === 'postgres')
      return (await this.#sql.get<{ v: string }>('SELECT CAST(pg_current_snapshot() AS text) AS v'))!.v;
    const version = (await this.#sql.get<{ data_version: number }>('PRAGMA data_version'))!;
    return `${version.data_version}:${(await this.#totalChanges()) - this.#scratchChanges}`;
  }

  async #totalChanges(): Promise<number> {
    return (await this.#sql.get<{ n: number }>('SELECT total_changes() AS n'))!.n;
  }

  /** When the latest answer was given (ms), null without answers. */
  async latestAnswerAt(): Promise<number | null> {
    const row = await this.#sql.get<{ at: number | null }>(
      'SELECT MAX(responded_at) AS at FROM programme_answers',
    );
    return row?.at ?? null;
  }

  async counts(): Promise<{ answers: number; tickets: number; users: number }> {
    const count = async (table: string): Promise<number> =>
      (await this.#sql.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`))!.n;
    return {
      answers: await count('programme_answers'),
      tickets: await count('programme_tickets'),
      users: await count('programme_users'),
    };
  }

  /**
   * The cuts of a user's answers and tickets: the CRM's (value tier, segment, region, product line) through
   * user → Salesforce contact → account in the sync's mirror, the customer's language (the Zendesk user's locale),
   * resolved once per user, equal cut sets shared. All users at once for a full pass; `lazy`: only the users
   * `prefetch` was given (an incremental refresh prefetches the users of each batch).
   */
  async #cutResolver(options: { readonly lazy?: boolean } = {}): Promise<CutResolver> {
    const users = new Map<number, UserCuts | null>();
    const sql = `SELECT u.id, u.locale, ${jsonText(this.#sql, 'p.profile', 'tier')} AS tier, acc.segment, acc.region,
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
    if (options.lazy !== true)
      for (const row of await this.#sql.all<Row>(sql)) users.set(row.id, userCuts(row));
    const prefetch = async (ids: readonly (number | null)[]): Promise<void> => {
      const missing = [...new Set(ids)].filter((id): id is number => id !== null && !users.has(id));
      if (missing.length === 0) return;
      for (const id of missing) users.set(id, null);
      for (const row of await this.#sql.all<Row>(`${sql} WHERE u.id IN ${integerList(this.#sql)}`, [
        JSON.stringify(missing),
      ]))
        users.set(row.id, userCuts(row));
    };
    const interned = new Map<string, ProgrammeCuts>();
    const cutsOf = (
      userId: number | null,
      group: number | null,
      ticketProduct: string | null,
      channel: string | null,
      touchpoint: string | null,
    ): ProgrammeCuts => {
      const user = userId === null ? undefined : (users.get(userId) ?? undefined);
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
    return Object.assign(cutsOf, { prefetch });
  }

  /** The cuts of every user, as readFacts resolves them (the experiment report's, which resolves synchronously). */
  async loadCutResolver(): Promise<CutResolver> {
    return this.#cutResolver();
  }

  /**
   * The answers and tickets of [fromMs, toMs) with their cuts (the per-answer path: the SQL path's reference).
   * `comments: false` leaves the comments out (the report does not read them; the signal scan does).
   */
  async readFacts(
    fromMs: number,
    toMs: number,
    options: { comments?: boolean } = {},
  ): Promise<ProgrammeFacts> {
    const cutsOf = await this.#cutResolver();
    const answers: ProgrammeAnswer[] = [];
    for (const r of await this.#sql.all<{
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
    }>(
      `SELECT a.id, a.responded_at, a.kind, a.scale, a.score, ${options.comments === false ? 'NULL' : 'a.comment'} AS comment,
         a.channel, a.touchpoint, a.ticket_id, a.interaction_id, COALESCE(a.user_id, t.requester_id) AS user_id,
         t.group_id, t.product
       FROM programme_answers a LEFT JOIN programme_tickets t ON t.id = a.ticket_id
       WHERE a.responded_at >= ? AND a.responded_at < ? ORDER BY a.responded_at, a.rowid`,
      [fromMs, toMs],
    ))
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
    for (const r of await this.#sql.all<{
      id: number;
      created_at: number;
      incident: number;
      requester_id: number | null;
      group_id: number | null;
      product: string | null;
    }>(
      `SELECT id, created_at, incident, requester_id, group_id, product FROM programme_tickets
       WHERE created_at >= ? AND created_at < ? ORDER BY created_at, id`,
      [fromMs, toMs],
    ))
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
  async readFunnel(): Promise<FunnelEntry[]> {
    const cutsOf = await this.#cutResolver();
    const decidedDay =
      this.#sql.dialect === 'sqlite'
        ? "strftime('%Y-%m-%d', i.decided_at / 1000, 'unixepoch')"
        : "to_char(to_timestamp(i.decided_at / 1000.0) AT TIME ZONE 'UTC', 'YYYY-MM-DD')";
    const rows = await this.#sql.all<{
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
    }>(
      `SELECT i.decided_at, i.action, i.status, i.first_contact_at, i.due_at, i.outcome, i.user_id,
         t.group_id, t.product, ${jsonNumber(this.#sql, 'p.profile', 'revenue12m')} AS value,
         (SELECT MIN(x.date) FROM sync_txn x WHERE x.account_id = c.account_id AND x.revenue = 1
            AND x.date > ${decidedDay}) AS next_revenue
       FROM automation_interventions i
       LEFT JOIN programme_tickets t ON t.id = i.ticket_id
       LEFT JOIN programme_users u ON u.id = COALESCE(i.user_id, t.requester_id)
       LEFT JOIN sync_contact c ON c.id = u.external_id
       LEFT JOIN sync_profile p ON p.account_id = c.account_id
       ORDER BY i.id`,
    );
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
}

/**
 * (user, group, ticket product, channel, touchpoint) → the cuts of a fact; `prefetch` reads the users given
 * first when the resolver reads users on demand (incremental refresh).
 */
export type CutResolver = ((
  userId: number | null,
  group: number | null,
  ticketProduct: string | null,
  channel: string | null,
  touchpoint: string | null,
) => ProgrammeCuts) & { readonly prefetch?: (userIds: readonly (number | null)[]) => Promise<void> };

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
