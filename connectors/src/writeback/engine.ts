/**
 * The write-back: Boucle's results (survey answers, decisions and their outcomes, Account roll-ups, Tasks for
 * account owners) written into Salesforce by idempotent upserts on an external id, from a durable outbox.
 *
 * - Capture is local (the store: SQLite, or PostgreSQL with BOUCLE_DATABASE_URL): the closed loop hands over answers and decision facts; the
 *   intervention ledger is read for decisions and outcomes. Nothing is lost while Salesforce is down.
 * - A flush links records to their Contact and Account (Boucle's sync mirror first, then one SOQL query per
 *   100 emails), computes roll-ups, then sends what changed: sObject Collections upserts of ≤ 200 records
 *   (live flow) or Bulk API 2.0 ingest jobs (backfill). Per-record refusals are retried with backoff and become
 *   dead letters after WRITEBACK_MAX_ATTEMPTS; REQUEST_LIMIT_EXCEEDED pauses the write-back for
 *   WRITEBACK_LIMIT_PAUSE; the SALESFORCE_MIN_REMAINING_REQUESTS floor stops a run (the sync's own budget).
 * - A record is marked written only with the hash Salesforce acknowledged: a replay stages nothing new, and a
 *   run killed mid-batch sends that batch again, which the upsert by external id turns into updates.
 */
import type { SalesforceSettings } from '../config/salesforce.ts';
import type { WritebackKind, WritebackSettings } from '../config/writeback.ts';
import type { LedgerEntry } from '../loop/intervention-ledger.ts';
import type { IngestResults, SfRecord, UpsertOutcome } from '../salesforce/client.ts';
import { SalesforceLimitError } from '../salesforce/errors.ts';
import type { Sql } from '../store/sql.ts';
import { WritebackOutbox, type OutboxRow } from './outbox.ts';
import {
  feedbackExternalId,
  feedbackRecord,
  interventionExternalId,
  interventionRecord,
  owesTask,
  rollupRecord,
  taskExternalId,
  taskRecord,
  type DecisionFacts,
  type FeedbackFacts,
  type FieldValues,
} from './records.ts';

/** The part of SalesforceClient the write-back uses. */
export interface WritebackSalesforce {
  connect(): Promise<void>;
  limits(): Promise<{ max: number; remaining: number }>;
  readonly budget: { max: number; remaining: number } | undefined;
  readonly calls: number;
  fieldsOf(object: string): Promise<Set<string>>;
  query(soql: string): Promise<SfRecord[]>;
  upsertCollection(
    object: string,
    externalIdField: string,
    records: readonly Record<string, unknown>[],
  ): Promise<UpsertOutcome[]>;
  bulkUpsert(
    object: string,
    externalIdField: string,
    records: readonly Record<string, unknown>[],
    onOpen?: (jobId: string) => void,
  ): Promise<IngestResults>;
}

/** A field the org lacks, or an object it does not have: fix the configuration (exit 2). */
export class WritebackConfigError extends Error {
  override readonly name = 'WritebackConfigError';
}

export interface FlushOptions {
  /** `collections` (live flow, ≤ 200 per call) or `bulk` (backfill, Bulk API 2.0 ingest jobs). */
  readonly mode: 'collections' | 'bulk';
  /** Read and compute, write nothing; what would be written is returned. */
  readonly dryRun?: boolean;
  readonly floor: SalesforceSettings['minRemainingRequests'];
  readonly now?: () => Date;
  /** Zendesk user ids → emails, for decisions whose customer email was not captured (backfill). */
  readonly emailsOfUsers?: (ids: readonly number[]) => Promise<ReadonlyMap<number, string>>;
  readonly onEvent?: (event: string, data: Record<string, unknown>) => void;
}

export interface PlannedWrite {
  readonly object: string;
  readonly externalIdField: string;
  readonly values: Record<string, unknown>;
}

export interface FlushResult {
  readonly outcome: 'done' | 'paused' | 'budget' | 'disabled';
  readonly written: number;
  readonly created: number;
  readonly updated: number;
  readonly failed: number;
  readonly dead: number;
  readonly pending: number;
  /** Salesforce HTTP calls this flush made. */
  readonly calls: number;
  /** Upsert calls (collections) or ingest jobs (bulk). */
  readonly batches: number;
  readonly byObject: Readonly<Record<string, number>>;
  readonly pausedUntil?: string;
  readonly planned?: readonly PlannedWrite[];
}

const KIND_ORDER: readonly WritebackKind[] = ['feedback', 'intervention', 'task', 'rollup'];
const PAUSE_KEY = 'paused_until';
const DAY_MS = 86_400_000;

/** Mirror of the sync (docs/sync.md): contacts by email, when the sync ran in the same database. */
async function mirrorLookup(
  sql: Sql,
): Promise<((email: string) => Promise<{ id: string; accountId: string } | undefined>) | null> {
  const table =
    sql.dialect === 'sqlite'
      ? await sql.get("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'sync_contact'")
      : await sql.get("SELECT 1 AS one WHERE to_regclass('sync_contact') IS NOT NULL");
  if (table === undefined) return null;
  // The sync stores Contact emails in lower case (sync/records.ts).
  const text =
    sql.dialect === 'sqlite'
      ? 'SELECT id, account_id AS "accountId" FROM sync_contact WHERE email = ? COLLATE NOCASE ORDER BY id LIMIT 1'
      : 'SELECT id, account_id AS "accountId" FROM sync_contact WHERE email = lower(?) ORDER BY id LIMIT 1';
  return (email) => sql.get<{ id: string; accountId: string }>(text, [email]);
}

/** What the write-back reads of the intervention ledger. */
export interface WritebackLedger {
  all(): Promise<readonly LedgerEntry[]>;
}

const soqlString = (text: string): string => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

export class Writeback {
  readonly outbox: WritebackOutbox;
  readonly #sql: Sql;
  readonly #settings: WritebackSettings;
  readonly #ledger: WritebackLedger | undefined;

  constructor(sql: Sql, settings: WritebackSettings, ledger?: WritebackLedger) {
    this.#sql = sql;
    this.#settings = settings;
    this.#ledger = ledger;
    this.outbox = new WritebackOutbox(sql);
  }

  get settings(): WritebackSettings {
    return this.#settings;
  }

  #on(kind: WritebackKind): boolean {
    return this.#settings.enabled && this.#settings.kinds.has(kind);
  }

  // ---- capture (local, in the store) -----------------------------------------------------------------------

  /** A survey answer: one Boucle_Feedback__c, on the Contact of `email`. Returns true when it changed. */
  async captureFeedback(facts: FeedbackFacts, now: Date): Promise<boolean> {
    if (!this.#on('feedback')) return false;
    return this.outbox.stage(
      {
        object: this.#settings.feedbackObject,
        externalId: feedbackExternalId(facts.response.id),
        kind: 'feedback',
        email: facts.email,
        ticketId: facts.ticketId,
        payload: feedbackRecord(facts, this.#settings.ticketUrl),
      },
      now,
    );
  }

  /** The facts of an applied decision that the ledger does not keep. */
  async captureDecision(facts: DecisionFacts, now: Date): Promise<void> {
    if (!this.#on('intervention') && !this.#on('task')) return;
    await this.outbox.saveDecisionFacts(facts, now);
  }

  /** Stages every applied decision of the ledger (with its current status and outcome). Returns changes. */
  async collect(now: Date): Promise<number> {
    const ledger = this.#ledger;
    if (ledger === undefined || (!this.#on('intervention') && !this.#on('task'))) return 0;
    const facts = await this.outbox.decisionFacts();
    const entries = await ledger.all();
    let changed = 0;
    await this.#sql.transaction(async () => {
      for (const entry of entries) {
        if (entry.status === 'recommended') continue; // not applied (yet)
        const f = facts.get(entry.decisionKey);
        const who = { email: f?.email ?? null, zendeskUserId: entry.userId, ticketId: entry.ticketId };
        if (this.#on('intervention')) {
          const staged = await this.outbox.stage(
            {
              object: this.#settings.interventionObject,
              externalId: interventionExternalId(entry.decisionKey),
              kind: 'intervention',
              ...who,
              payload: interventionRecord(entry, f, this.#settings.ticketUrl),
            },
            now,
          );
          if (staged) changed++;
        }
        if (this.#on('task') && owesTask(entry, this.#settings.taskTiers)) {
          const staged = await this.outbox.stage(
            {
              object: 'Task',
              externalId: taskExternalId(entry.decisionKey),
              kind: 'task',
              ...who,
              payload: taskRecord(entry, this.#settings.ticketUrl),
            },
            now,
          );
          if (staged) changed++;
        }
      }
    });
    return changed;
  }

  /** Stages each linked Account's roll-ups, computed from what Boucle wrote about it. Returns changes. */
  async stageRollups(now: Date): Promise<number> {
    if (!this.#on('rollup')) return 0;
    const cutoff = new Date(now.getTime() - 365 * DAY_MS).toISOString();
    // A JSON field of the payload: SQLite's json_extract keeps its JSON type; PostgreSQL's ->> gives text.
    const text = (field: string): string =>
      this.#sql.dialect === 'sqlite'
        ? `json_extract(payload, '$.${field}')`
        : `(payload::jsonb ->> '${field}')`;
    const num = (field: string): string =>
      this.#sql.dialect === 'sqlite' ? text(field) : `(${text(field)})::double precision`;
    const rows = await this.#sql.all<{
      accountId: string;
      lastNps: number | null;
      lastNpsAt: string | null;
      openIncidents: number;
      valueAtRisk: number;
      recovered12m: number;
    }>(
      `WITH nps AS (
         SELECT account_id, ${num('Score__c')} AS score, ${text('Responded_At__c')} AS at,
                ROW_NUMBER() OVER (PARTITION BY account_id ORDER BY ${text('Responded_At__c')} DESC,
                                   external_id DESC) AS n
         FROM writeback_record WHERE kind = 'feedback' AND account_id IS NOT NULL
           AND ${text('Kind__c')} = 'nps'),
       iv AS (
         SELECT account_id,
           SUM(CASE WHEN ${text('Action__c')} != 'none'
                     AND ${text('Status__c')} != 'closed' THEN 1 ELSE 0 END) AS open_incidents,
           SUM(CASE WHEN ${text('Action__c')} != 'none'
                     AND ${text('Status__c')} != 'closed'
                    THEN COALESCE(${num('Value_At_Risk__c')}, 0) ELSE 0 END) AS at_risk,
           SUM(CASE WHEN ${text('Recovered_Value__c')} IS NOT NULL
                     AND ${text('Outcome_At__c')} >= ?
                    THEN COALESCE(${num('Recovered_Value__c')}, 0) ELSE 0 END) AS recovered
         FROM writeback_record WHERE kind = 'intervention' AND account_id IS NOT NULL GROUP BY account_id),
       accounts AS (
         SELECT DISTINCT account_id FROM writeback_record
         WHERE account_id IS NOT NULL AND kind IN ('feedback', 'intervention'))
       SELECT a.account_id AS "accountId", nps.score AS "lastNps", nps.at AS "lastNpsAt",
              COALESCE(iv.open_incidents, 0) AS "openIncidents", COALESCE(iv.at_risk, 0) AS "valueAtRisk",
              COALESCE(iv.recovered, 0) AS "recovered12m"
       FROM accounts a LEFT JOIN nps ON nps.account_id = a.account_id AND nps.n = 1
       LEFT JOIN iv ON iv.account_id = a.account_id`,
      [cutoff],
    );
    let changed = 0;
    await this.#sql.transaction(async () => {
      for (const row of rows) {
        const staged = await this.outbox.stage(
          {
            object: 'Account',
            externalId: row.accountId,
            kind: 'rollup',
            accountId: row.accountId,
            payload: rollupRecord(row),
          },
          now,
        );
        if (staged) changed++;
      }
    });
    return changed;
  }

  // ---- flush (network) ---------------------------------------------------------------------------------

  /** When write-back is paused after REQUEST_LIMIT_EXCEEDED, until when. */
  async pausedUntil(now: Date): Promise<Date | null> {
    const raw = await this.outbox.getState(PAUSE_KEY);
    if (raw === undefined) return null;
    const until = new Date(raw);
    return until.getTime() > now.getTime() ? until : null;
  }

  async flush(salesforce: WritebackSalesforce, options: FlushOptions): Promise<FlushResult> {
    const clock = options.now ?? (() => new Date());
    const emit = options.onEvent ?? (() => undefined);
    const counts = { written: 0, created: 0, updated: 0, failed: 0, dead: 0, batches: 0 };
    const byObject: Record<string, number> = {};
    const planned: PlannedWrite[] = [];
    const result = async (
      outcome: FlushResult['outcome'],
      extra: Partial<FlushResult> = {},
    ): Promise<FlushResult> => ({
      outcome,
      ...counts,
      pending: await this.outbox.countPending(),
      calls: salesforce.calls - callsBefore,
      byObject,
      ...(options.dryRun === true ? { planned } : {}),
      ...extra,
    });
    const callsBefore = salesforce.calls;
    if (!this.#settings.enabled) return await result('disabled');
    const start = clock();
    const paused = await this.pausedUntil(start);
    if (paused !== null) {
      emit('writeback.paused', { until: paused.toISOString() });
      return await result('paused', { pausedUntil: paused.toISOString() });
    }
    await this.collect(start);
    const runId = (await this.#sql.get<{ id: number }>(
      'INSERT INTO writeback_run (started_at, mode) VALUES (?, ?) RETURNING id',
      [start.getTime(), options.dryRun === true ? `${options.mode} (dry run)` : options.mode],
    ))!.id;
    const finish = async (pending: Promise<FlushResult>): Promise<FlushResult> => {
      const r = await pending;
      await this.#sql.run(
        'UPDATE writeback_run SET finished_at = ?, outcome = ?, written = ?, failed = ?, calls = ?, detail = ? WHERE id = ?',
        [clock().getTime(), r.outcome, r.written, r.failed, r.calls, JSON.stringify(r.byObject), runId],
      );
      return r;
    };

    try {
      await salesforce.connect();
      // The budget every response's Sforce-Limit-Info keeps current; /limits only on a fresh connection.
      const budget = salesforce.budget ?? (await salesforce.limits());
      const floor =
        options.floor.kind === 'count'
          ? options.floor.value
          : Math.ceil((budget.max * options.floor.value) / 100);
      const overBudget = (): boolean => {
        const now = salesforce.budget;
        return now !== undefined && now.remaining <= floor;
      };
      if (overBudget()) return await finish(result('budget'));
      const fields = await this.#checkFields(salesforce);
      await this.#resolve(salesforce, clock, options, emit);
      await this.stageRollups(clock());
      const owners = this.#on('task') ? await this.#owners(salesforce, clock()) : new Map<string, string>();

      for (const kind of KIND_ORDER) {
        if (!this.#on(kind)) continue;
        const chunk = options.mode === 'bulk' ? this.#settings.bulkJobSize : this.#settings.batchSize;
        for (;;) {
          const now = clock();
          const rows = await this.outbox.pending(kind, now, options.dryRun === true ? 1_000_000_000 : chunk);
          if (rows.length === 0) break;
          const batches = groupByObject(rows);
          for (const [objectName, group] of batches) {
            const extField = kind === 'rollup' ? 'Id' : this.#settings.externalIdField;
            const records = group.map((row) => this.#toSalesforce(row, fields.get(objectName), owners, now));
            if (options.dryRun === true) {
              for (const values of records)
                planned.push({ object: objectName, externalIdField: extField, values });
              continue;
            }
            for (let i = 0; i < group.length; i += chunk) {
              if (overBudget()) return await finish(result('budget'));
              const part = group.slice(i, i + chunk);
              const payload = records.slice(i, i + chunk);
              counts.batches++;
              if (options.mode === 'bulk')
                await this.#sendBulk(
                  salesforce,
                  objectName,
                  extField,
                  part,
                  payload,
                  clock,
                  counts,
                  byObject,
                  emit,
                );
              else
                await this.#sendCollection(
                  salesforce,
                  objectName,
                  extField,
                  part,
                  payload,
                  clock,
                  counts,
                  byObject,
                );
              emit('writeback.progress', {
                object: objectName,
                ...counts,
                calls: salesforce.calls - callsBefore,
              });
            }
          }
          if (options.dryRun === true) break;
        }
      }
      await this.outbox.setState(PAUSE_KEY, null);
      return await finish(result('done'));
    } catch (error) {
      if (error instanceof SalesforceLimitError) {
        const until = new Date(clock().getTime() + this.#settings.limitPauseMs);
        await this.outbox.setState(PAUSE_KEY, until.toISOString());
        emit('writeback.paused', { until: until.toISOString(), reason: 'REQUEST_LIMIT_EXCEEDED' });
        return await finish(result('paused', { pausedUntil: until.toISOString() }));
      }
      await this.#sql.run('UPDATE writeback_run SET finished_at = ?, outcome = ?, detail = ? WHERE id = ?', [
        clock().getTime(),
        'error',
        (error as Error).message,
        runId,
      ]);
      throw error;
    }
  }

  /** Fields the org has for each object written (describe); a missing one is a configuration error. */
  async #checkFields(salesforce: WritebackSalesforce): Promise<Map<string, Set<string>>> {
    const s = this.#settings;
    const wanted: [WritebackKind, string, string, FieldValues][] = [
      [
        'feedback',
        s.feedbackObject,
        'WRITEBACK_FEEDBACK_OBJECT',
        { ...sampleFeedback, Account__c: null, Contact__c: null },
      ],
      [
        'intervention',
        s.interventionObject,
        'WRITEBACK_INTERVENTION_OBJECT',
        { ...sampleIntervention, Account__c: null, Contact__c: null },
      ],
      ['task', 'Task', 'WRITEBACK_KINDS', { ...sampleTask, WhatId: null, WhoId: null, OwnerId: null }],
      ['rollup', 'Account', 'WRITEBACK_KINDS', { ...sampleRollup, Boucle_Rollup_At__c: null }],
    ];
    const out = new Map<string, Set<string>>();
    for (const [kind, object, key, sample] of wanted) {
      if (!this.#on(kind)) continue;
      let have: Set<string>;
      try {
        have = await salesforce.fieldsOf(object);
      } catch (error) {
        if ((error as { errorCode?: string }).errorCode === 'NOT_FOUND' || /NOT_FOUND/.test(String(error)))
          throw new WritebackConfigError(
            `Salesforce has no object ${object} (${key}): deploy force-app/ (docs/salesforce-writeback.md) or fix ${key}.`,
          );
        throw error;
      }
      const needed = [kind === 'rollup' ? 'Id' : s.externalIdField, ...Object.keys(sample)].filter(
        (f) => !s.omitFields.has(`${object}.${f}`),
      );
      const missing = needed.filter((f) => !have.has(f));
      if (missing.length > 0)
        throw new WritebackConfigError(
          `${object} lacks ${missing.join(', ')} (or the integration user cannot see ${missing.length > 1 ? 'them' : 'it'}): ` +
            `deploy force-app/ and assign the Boucle_Writeback permission set, or list ${missing.map((f) => `${object}.${f}`).join(', ')} in WRITEBACK_OMIT_FIELDS.`,
        );
      out.set(object, new Set(needed));
    }
    return out;
  }

  /** Links pending records to their Contact and Account: sync mirror first, then SOQL by email. */
  async #resolve(
    salesforce: WritebackSalesforce,
    clock: () => Date,
    options: FlushOptions,
    emit: (event: string, data: Record<string, unknown>) => void,
  ): Promise<void> {
    const retry = { baseMs: this.#settings.retryBaseMs, maxAttempts: this.#settings.maxAttempts };
    if (options.emailsOfUsers !== undefined) {
      const ids = await this.outbox.usersWithoutEmail(1_000_000);
      for (let i = 0; i < ids.length; i += 100) {
        const part = ids.slice(i, i + 100);
        const emails = await options.emailsOfUsers(part);
        for (const id of part) {
          const email = emails.get(id);
          if (email !== undefined) await this.outbox.setEmail(id, email);
        }
      }
    }
    for (const r of await this.outbox.unlinkable(clock(), 'no-email'))
      await this.outbox.markFailed(
        r.object,
        r.externalId,
        'the customer has no email in Zendesk: Boucle cannot find the Salesforce Contact',
        clock(),
        retry,
      );
    const mirror = await mirrorLookup(this.#sql);
    for (;;) {
      const emails = await this.outbox.unresolvedEmails(clock(), 100);
      if (emails.length === 0) break;
      const missing: string[] = [];
      for (const email of emails) {
        const hit = mirror === null ? undefined : await mirror(email);
        if (hit === undefined) missing.push(email);
        else await this.outbox.resolve(email, hit.id, hit.accountId);
      }
      if (missing.length > 0) {
        const rows = await salesforce.query(
          `SELECT Id, AccountId, Email FROM Contact WHERE Email IN (${missing.map(soqlString).join(', ')}) ORDER BY Id`,
        );
        const found = new Map<string, SfRecord>();
        for (const row of rows) {
          const email = typeof row.Email === 'string' ? row.Email.toLowerCase() : '';
          if (!found.has(email)) found.set(email, row);
        }
        for (const email of missing) {
          const row = found.get(email.toLowerCase());
          if (row !== undefined) {
            await this.outbox.resolve(
              email,
              row.Id as string,
              typeof row.AccountId === 'string' ? row.AccountId : null,
            );
            continue;
          }
          for (const r of await this.outbox.unlinkable(clock(), { email }))
            await this.outbox.markFailed(
              r.object,
              r.externalId,
              `no Salesforce Contact has the email ${email}`,
              clock(),
              retry,
            );
          emit('writeback.unlinked', { email });
        }
      }
    }
  }

  /** Account owners of pending tasks. */
  async #owners(salesforce: WritebackSalesforce, now: Date): Promise<Map<string, string>> {
    const ids = [
      ...new Set(
        (await this.outbox.pending('task', now, 1_000_000))
          .map((r) => r.accountId)
          .filter((id) => id !== null),
      ),
    ];
    const owners = new Map<string, string>();
    for (let i = 0; i < ids.length; i += 200) {
      const part = ids.slice(i, i + 200);
      const rows = await salesforce.query(
        `SELECT Id, OwnerId FROM Account WHERE Id IN (${part.map(soqlString).join(', ')})`,
      );
      for (const row of rows) if (typeof row.OwnerId === 'string') owners.set(String(row.Id), row.OwnerId);
    }
    return owners;
  }

  #toSalesforce(
    row: OutboxRow,
    allowed: Set<string> | undefined,
    owners: Map<string, string>,
    now: Date,
  ): Record<string, unknown> {
    const values: Record<string, unknown> = { ...row.payload };
    switch (row.kind) {
      case 'feedback':
      case 'intervention':
        values.Account__c = row.accountId;
        values.Contact__c = row.contactId;
        values[this.#settings.externalIdField] = row.externalId;
        break;
      case 'task': {
        values.WhatId = row.accountId;
        values.WhoId = row.contactId;
        const owner = row.accountId === null ? undefined : owners.get(row.accountId);
        if (owner !== undefined) values.OwnerId = owner;
        values[this.#settings.externalIdField] = row.externalId;
        break;
      }
      case 'rollup':
        values.Id = row.externalId;
        values.Boucle_Rollup_At__c = now.toISOString();
        break;
    }
    if (allowed === undefined) return values;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(values)) if (allowed.has(k)) out[k] = v;
    return out;
  }

  async #sendCollection(
    salesforce: WritebackSalesforce,
    object: string,
    extField: string,
    rows: readonly OutboxRow[],
    records: readonly Record<string, unknown>[],
    clock: () => Date,
    counts: { written: number; created: number; updated: number; failed: number; dead: number },
    byObject: Record<string, number>,
  ): Promise<void> {
    const outcomes = await salesforce.upsertCollection(object, extField, records);
    const now = clock();
    const retry = { baseMs: this.#settings.retryBaseMs, maxAttempts: this.#settings.maxAttempts };
    await this.#sql.transaction(async () => {
      for (const [i, row] of rows.entries()) {
        const outcome = outcomes[i];
        if (outcome?.success === true) {
          await this.outbox.markWritten(row.object, row.externalId, row.hash, outcome.id, now);
          counts.written++;
          if (outcome.created) counts.created++;
          else counts.updated++;
          byObject[object] = (byObject[object] ?? 0) + 1;
          continue;
        }
        const message =
          outcome === undefined
            ? 'Salesforce returned no result for this record'
            : outcome.errors.map((e) => `${e.statusCode}: ${e.message}`).join('; ');
        counts.failed++;
        if (await this.outbox.markFailed(row.object, row.externalId, message, now, retry)) counts.dead++;
      }
    });
  }

  async #sendBulk(
    salesforce: WritebackSalesforce,
    object: string,
    extField: string,
    rows: readonly OutboxRow[],
    records: readonly Record<string, unknown>[],
    clock: () => Date,
    counts: { written: number; created: number; updated: number; failed: number; dead: number },
    byObject: Record<string, number>,
    emit: (event: string, data: Record<string, unknown>) => void,
  ): Promise<void> {
    // Every column present in every row (CSV); null → #N/A clears the field (jsforce's nullValue).
    const columns = [...new Set(records.flatMap((r) => Object.keys(r)))];
    const csvRows = records.map((r) => Object.fromEntries(columns.map((c) => [c, r[c] ?? null])));
    const results = await salesforce.bulkUpsert(object, extField, csvRows, (jobId) =>
      emit('writeback.bulk', { object, jobId, records: rows.length }),
    );
    const now = clock();
    const retry = { baseMs: this.#settings.retryBaseMs, maxAttempts: this.#settings.maxAttempts };
    const byKey = new Map(rows.map((row) => [row.externalId.toLowerCase(), row]));
    const keyOf = (r: Record<string, string>): string =>
      String(
        Object.entries(r).find(([k]) => k.toLowerCase() === extField.toLowerCase())?.[1] ?? '',
      ).toLowerCase();
    await this.#sql.transaction(async () => {
      for (const r of results.successful) {
        const row = byKey.get(keyOf(r));
        if (row === undefined) continue;
        await this.outbox.markWritten(row.object, row.externalId, row.hash, r.sf__Id ?? null, now);
        counts.written++;
        if (r.sf__Created === 'true') counts.created++;
        else counts.updated++;
        byObject[object] = (byObject[object] ?? 0) + 1;
      }
      const seen = new Set<string>();
      for (const r of results.successful) seen.add(keyOf(r));
      for (const r of results.failed) {
        const row = byKey.get(keyOf(r));
        if (row === undefined) continue;
        seen.add(keyOf(r));
        counts.failed++;
        if (
          await this.outbox.markFailed(
            row.object,
            row.externalId,
            r.sf__Error ?? 'refused by Bulk API',
            now,
            retry,
          )
        )
          counts.dead++;
      }
      for (const row of rows) {
        if (seen.has(row.externalId.toLowerCase())) continue;
        counts.failed++;
        if (
          await this.outbox.markFailed(
            row.object,
            row.externalId,
            'not processed by the ingest job',
            now,
            retry,
          )
        )
          counts.dead++;
      }
    });
  }
}

function groupByObject(rows: readonly OutboxRow[]): Map<string, OutboxRow[]> {
  const out = new Map<string, OutboxRow[]>();
  for (const row of rows) {
    const list = out.get(row.object);
    if (list === undefined) out.set(row.object, [row]);
    else list.push(row);
  }
  return out;
}

// Field lists of each kind (the values are placeholders: only the keys are used).
const sampleEntry = {
  id: 0,
  decisionKey: '',
  ticketId: 0,
  userId: null,
  action: 'none',
  priority: null,
  tier: null,
  expectedValue: null,
  cost: null,
  summary: '',
  status: 'applied',
  decidedAt: new Date(0),
  dueAt: null,
  remindedAt: null,
  firstContactAt: null,
  outcome: null,
  outcomeAt: null,
  recovered: null,
  recordId: null,
  compensationTier: null,
  agentMinutes: null,
  policyVersion: null,
} as const;
const sampleFeedback = feedbackRecord(
  {
    response: { id: 'x', kind: 'nps', scale: '0-10', score: 0, respondedAt: '2026-01-01T00:00:00Z' },
    source: '',
    email: null,
    ticketId: null,
  },
  undefined,
);
const sampleIntervention = interventionRecord(sampleEntry, undefined, undefined);
const sampleTask = taskRecord(sampleEntry, undefined);
const sampleRollup = rollupRecord({
  lastNps: null,
  lastNpsAt: null,
  openIncidents: 0,
  valueAtRisk: 0,
  recovered12m: 0,
});
