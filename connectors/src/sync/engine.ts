import type { StatementSync } from 'node:sqlite';
import type { SalesforceSettings } from '../config/salesforce.ts';
import type { SyncObject, SyncSettings } from '../config/sync.ts';
import { SYNC_OBJECTS } from '../config/sync.ts';
import type { SalesforceClient, SfRecord } from '../salesforce/client.ts';
import type { Store } from '../store/database.ts';
import { CRM_FIELD_KEYS } from '../../../shared/src/index.ts';
import { Mirror } from './mirror.ts';
import { Outbox, type OutboxStats, type ZendeskKind, type ZendeskSink } from './outbox.ts';
import {
  computeProfiles,
  crmFields,
  emptyCrmFields,
  payloadHash,
  windowStart,
  type AccountProfile,
} from './profile.ts';
import { fieldsFor, soqlDateTime, soqlString, toMirrorRow, toMs } from './records.ts';

/** The run stopped because a budget floor was reached or Salesforce refused with REQUEST_LIMIT_EXCEEDED. */
export class SyncBudgetError extends Error {
  override readonly name = 'SyncBudgetError';
}

/** The field mapping names fields the org does not have. */
export class SyncMappingError extends Error {
  override readonly name = 'SyncMappingError';
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(
      `The Salesforce field mapping does not match the org:\n${problems.map((p) => `  ${p}`).join('\n')}`,
    );
    this.problems = problems;
  }
}

export interface SyncProgress {
  readonly phase: 'connect' | 'resume' | 'read' | 'deletions' | 'organizations' | 'users' | 'done';
  readonly object?: SyncObject | undefined;
  readonly read: Readonly<Record<SyncObject, number>>;
  readonly changed: Readonly<Record<SyncObject, number>>;
  readonly deleted: number;
  readonly accountsDone: number;
  readonly accountsTotal: number;
  readonly written: Readonly<Record<ZendeskKind, number>>;
  readonly failed: number;
  readonly pending: number;
  readonly salesforceCalls: number;
  readonly zendeskCalls: number;
  readonly salesforceBudget: { readonly max: number; readonly remaining: number } | undefined;
  readonly zendeskBudget: { readonly limit: number; readonly remaining: number } | undefined;
}

export interface SyncReport extends SyncProgress {
  readonly mode: Readonly<Record<string, 'full' | 'incremental' | 'skipped'>>;
  readonly dryRun: boolean;
  readonly jobs: number;
  readonly durationMs: number;
}

export interface SyncDeps {
  readonly store: Store;
  readonly salesforce: SalesforceClient;
  readonly zendesk: ZendeskSink;
  readonly settings: SyncSettings;
  readonly floor: SalesforceSettings['minRemainingRequests'];
  readonly now?: () => number;
  readonly onProgress?: (progress: SyncProgress) => void;
  /** How long REQUEST_LIMIT_EXCEEDED pauses the org (default 1 h). */
  readonly pauseMs?: number;
  /** Dead letters are retried on later runs until they failed this many times (default 3)… */
  readonly deadLetterAttempts?: number;
  /** …and not before this long after their last failure (default 1 h). */
  readonly deadLetterRetryMs?: number;
}

export interface SyncRunOptions {
  readonly full?: boolean;
  readonly dryRun?: boolean;
  /** Subset of the configured objects to read this run. */
  readonly objects?: readonly SyncObject[];
}

const DAY_MS = 86_400_000;
const DELETED_WINDOW_MS = 15 * DAY_MS;

/** Runs one sync: Salesforce → local mirror → profiles → Zendesk. Resumable at any point. */
export async function runSync(deps: SyncDeps, options: SyncRunOptions = {}): Promise<SyncReport> {
  return new SyncRun(deps, options).run();
}

class SyncRun {
  readonly #d: SyncDeps;
  readonly #o: SyncRunOptions;
  readonly #now: () => number;
  readonly #mirror: Mirror;
  readonly #outbox: Outbox;
  readonly #started: number;
  readonly #stats: OutboxStats = { written: 0, failed: 0, jobs: 0 };
  readonly #written: Record<ZendeskKind, number> = { organization: 0, user: 0 };
  readonly #read = zeroCounts();
  readonly #changed = zeroCounts();
  readonly #mode: Record<string, 'full' | 'incremental' | 'skipped'> = {};
  #deleted = 0;
  #phase: SyncProgress['phase'] = 'connect';
  #object: SyncObject | undefined;
  #accountsDone = 0;
  #accountsTotal = 0;
  #floorValue = 0;

  constructor(deps: SyncDeps, options: SyncRunOptions) {
    this.#d = deps;
    this.#o = options;
    this.#now = deps.now ?? Date.now;
    this.#mirror = new Mirror(deps.store.db);
    this.#outbox = new Outbox(deps.store);
    this.#started = this.#now();
  }

  get #db(): { prepare: (sql: string) => StatementSync; exec: (sql: string) => void } {
    return { prepare: (sql) => this.#sql(sql), exec: (sql) => this.#d.store.db.exec(sql) };
  }

  readonly #statements = new Map<string, StatementSync>();

  /** Prepared once per SQL text. */
  #sql(sql: string): StatementSync {
    let statement = this.#statements.get(sql);
    if (statement === undefined) {
      statement = this.#d.store.db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  #kv(key: string): string | undefined {
    const row = this.#db.prepare('SELECT value FROM sync_kv WHERE key = ?').get(key) as
      { value: string } | undefined;
    return row?.value;
  }

  #setKv(key: string, value: string | undefined): void {
    if (value === undefined) this.#db.prepare('DELETE FROM sync_kv WHERE key = ?').run(key);
    else
      this.#db
        .prepare(
          'INSERT INTO sync_kv (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
        )
        .run(key, value);
  }

  #progress(): SyncProgress {
    return {
      phase: this.#phase,
      object: this.#object,
      read: { ...this.#read },
      changed: { ...this.#changed },
      deleted: this.#deleted,
      accountsDone: this.#accountsDone,
      accountsTotal: this.#accountsTotal,
      written: { ...this.#written },
      failed: this.#stats.failed,
      pending: this.#outbox.pending(),
      salesforceCalls: this.#d.salesforce.calls,
      zendeskCalls: this.#d.zendesk.calls,
      salesforceBudget: this.#d.salesforce.budget,
      zendeskBudget: this.#d.zendesk.budget,
    };
  }

  #emit(phase: SyncProgress['phase'], object?: SyncObject): void {
    this.#phase = phase;
    this.#object = object;
    this.#d.onProgress?.(this.#progress());
  }

  async run(): Promise<SyncReport> {
    const { settings } = this.#d;
    const objects = this.#o.objects ?? settings.objects;
    const unknown = objects.filter((o) => !settings.objects.includes(o));
    if (unknown.length > 0)
      throw new SyncMappingError([
        `--objects ${unknown.join(', ')}: not in SYNC_OBJECTS (${settings.objects.join(', ')})`,
      ]);

    const pausedUntil = Number(this.#kv('paused_until') ?? 0);
    if (pausedUntil > this.#now())
      throw new SyncBudgetError(
        `Salesforce answered REQUEST_LIMIT_EXCEEDED earlier: the org is paused until ${new Date(pausedUntil).toISOString()}.`,
      );
    const runId = Number(
      this.#db.prepare('INSERT INTO sync_run (started_at) VALUES (?)').run(this.#started).lastInsertRowid,
    );
    try {
      this.#emit('connect');
      await this.#d.salesforce.connect();
      const budget = await this.#d.salesforce.limits();
      const floor = this.#d.floor;
      this.#floorValue = floor.kind === 'count' ? floor.value : Math.ceil((budget.max * floor.value) / 100);
      this.#checkBudget();
      await this.#validateMapping();

      if (!this.#o.dryRun) {
        this.#emit('resume');
        this.#outbox.requeueDeadLetters(
          this.#d.deadLetterAttempts ?? 3,
          this.#now() - (this.#d.deadLetterRetryMs ?? 3_600_000),
        );
        await this.#drain('organization', true);
        await this.#drain('user', true);
      }
      this.#markWindowShift();

      for (const object of SYNC_OBJECTS) {
        if (!objects.includes(object)) {
          this.#mode[object] = 'skipped';
          continue;
        }
        const watermark = this.#watermark(object);
        const checkpoint = this.#db
          .prepare('SELECT 1 FROM sync_full_checkpoint WHERE object = ?')
          .get(object);
        if (this.#o.full === true || watermark === undefined || checkpoint !== undefined) {
          this.#mode[object] = 'full';
          await this.#fullRead(object);
        } else {
          this.#mode[object] = 'incremental';
          await this.#incrementalRead(object, watermark.modstamp);
          await this.#deletions(object);
        }
      }
      await this.#computeAndWrite();
      this.#emit('done');
      const report = this.#report();
      this.#db
        .prepare('UPDATE sync_run SET finished_at = ?, outcome = ?, stats = ? WHERE id = ?')
        .run(this.#now(), 'ok', JSON.stringify(report), runId);
      return report;
    } catch (error) {
      if ((error as Error).name === 'SalesforceLimitError') {
        this.#setKv('paused_until', String(this.#now() + (this.#d.pauseMs ?? 3_600_000)));
        this.#db
          .prepare('UPDATE sync_run SET finished_at = ?, outcome = ? WHERE id = ?')
          .run(this.#now(), 'paused', runId);
        throw new SyncBudgetError((error as Error).message, { cause: error });
      }
      this.#db
        .prepare('UPDATE sync_run SET finished_at = ?, outcome = ? WHERE id = ?')
        .run(this.#now(), `failed: ${(error as Error).message.slice(0, 500)}`, runId);
      throw error;
    }
  }

  #report(): SyncReport {
    return {
      ...this.#progress(),
      mode: { ...this.#mode },
      dryRun: this.#o.dryRun === true,
      jobs: this.#stats.jobs,
      durationMs: this.#now() - this.#started,
    };
  }

  #checkBudget(): void {
    const budget = this.#d.salesforce.budget;
    if (budget !== undefined && budget.remaining <= this.#floorValue)
      throw new SyncBudgetError(
        `Salesforce API budget floor reached: ${budget.remaining} of ${budget.max} daily requests left, floor ${this.#floorValue} (SALESFORCE_MIN_REMAINING_REQUESTS). Progress is saved; the next run resumes.`,
      );
  }

  async #validateMapping(): Promise<void> {
    const { settings } = this.#d;
    const problems: string[] = [];
    const keyOf: Record<string, string> = {
      [settings.mapping.accountSegment ?? '']: 'SYNC_ACCOUNT_SEGMENT_FIELD',
      [settings.mapping.accountRegion ?? '']: 'SYNC_ACCOUNT_REGION_FIELD',
      [settings.mapping.accountProductLine ?? '']: 'SYNC_ACCOUNT_PRODUCT_LINE_FIELD',
      [settings.mapping.accountMarginRate ?? '']: 'SYNC_ACCOUNT_MARGIN_RATE_FIELD',
    };
    for (const object of settings.objects) {
      const fields = await this.#d.salesforce.fieldsOf(object);
      for (const field of fieldsFor(object, settings.mapping)) {
        if (fields.has(field)) continue;
        const key =
          object === 'Opportunity' && field === settings.mapping.opportunityAmount
            ? 'SYNC_OPPORTUNITY_AMOUNT_FIELD'
            : object === 'Order' && field === settings.mapping.orderAmount
              ? 'SYNC_ORDER_AMOUNT_FIELD'
              : object === 'Order' && field === settings.mapping.orderDate
                ? 'SYNC_ORDER_DATE_FIELD'
                : object === 'Account'
                  ? keyOf[field]
                  : undefined;
        problems.push(
          `${key === undefined ? '' : `${key}: `}${object}.${field} does not exist (or is not visible to the integration user)`,
        );
      }
    }
    if (problems.length > 0) throw new SyncMappingError(problems);
  }

  #watermark(object: SyncObject): { modstamp: number; deleted_covered_until: number } | undefined {
    return this.#db
      .prepare('SELECT modstamp, deleted_covered_until FROM sync_watermark WHERE object = ?')
      .get(object) as { modstamp: number; deleted_covered_until: number } | undefined;
  }

  /** Bulk API 2.0 read of every record, resumable from `(jobId, locator)`; then unseen rows count as deleted. */
  async #fullRead(object: SyncObject): Promise<void> {
    const { salesforce, settings, store } = this.#d;
    this.#emit('read', object);
    type Checkpoint = {
      job_id: string | null;
      locator: string | null;
      generation: number;
      max_modstamp: number;
      started_at: number;
    };
    let cp = this.#db
      .prepare(
        'SELECT job_id, locator, generation, max_modstamp, started_at FROM sync_full_checkpoint WHERE object = ?',
      )
      .get(object) as Checkpoint | undefined;
    if (cp === undefined) {
      const generation = Number(this.#kv('generation') ?? 0) + 1;
      store.transaction(() => {
        this.#setKv('generation', String(generation));
        this.#db
          .prepare(
            'INSERT INTO sync_full_checkpoint (object, job_id, locator, generation, max_modstamp, started_at) VALUES (?, NULL, NULL, ?, 0, ?)',
          )
          .run(object, generation, this.#now());
      });
      cp = { job_id: null, locator: null, generation, max_modstamp: 0, started_at: this.#now() };
    }
    const soql = `SELECT ${fieldsFor(object, settings.mapping).join(', ')} FROM ${object}`;
    let jobId = cp.job_id;
    if (jobId === null) {
      jobId = await salesforce.openBulkQuery(soql);
      this.#db
        .prepare('UPDATE sync_full_checkpoint SET job_id = ?, locator = NULL WHERE object = ?')
        .run(jobId, object);
    }
    let maxModstamp = cp.max_modstamp;
    const generation = cp.generation;
    for await (const page of salesforce.bulkPages(jobId, settings.bulkPageSize, cp.locator ?? undefined)) {
      store.transaction(() => {
        for (const record of page.rows) {
          const entry = toMirrorRow(object, record, settings.mapping);
          if (this.#mirror.put(entry, generation)) this.#changed[object]++;
          if (entry.row.modstamp > maxModstamp) maxModstamp = entry.row.modstamp;
        }
        this.#read[object] += page.rows.length;
        this.#db
          .prepare('UPDATE sync_full_checkpoint SET locator = ?, max_modstamp = ? WHERE object = ?')
          .run(page.nextLocator ?? '', maxModstamp, object);
      });
      this.#emit('read', object);
      this.#checkBudget();
      if (page.nextLocator === undefined) break;
    }
    store.transaction(() => {
      this.#deleted += this.#mirror.removeUnseen(object, generation);
      const previous = this.#watermark(object);
      this.#db
        .prepare(
          `INSERT INTO sync_watermark (object, modstamp, deleted_covered_until) VALUES (?, ?, ?)
           ON CONFLICT (object) DO UPDATE SET modstamp = excluded.modstamp, deleted_covered_until = excluded.deleted_covered_until`,
        )
        .run(object, Math.max(maxModstamp, previous?.modstamp ?? 0), cp.started_at - settings.overlapMs);
      this.#db.prepare('DELETE FROM sync_full_checkpoint WHERE object = ?').run(object);
    });
  }

  /** REST pages of records changed since the watermark (minus the overlap), keyset-paged on (SystemModstamp, Id). */
  async #incrementalRead(object: SyncObject, modstamp: number): Promise<void> {
    const { salesforce, settings, store } = this.#d;
    this.#emit('read', object);
    const fields = fieldsFor(object, settings.mapping).join(', ');
    let cursor = { at: Math.max(0, modstamp - settings.overlapMs), id: '' };
    for (;;) {
      const at = soqlDateTime(cursor.at);
      const where =
        cursor.id === ''
          ? `SystemModstamp > ${at}`
          : `(SystemModstamp > ${at} OR (SystemModstamp = ${at} AND Id > ${soqlString(cursor.id)}))`;
      const rows: SfRecord[] = await salesforce.query(
        `SELECT ${fields} FROM ${object} WHERE ${where} ORDER BY SystemModstamp, Id LIMIT ${settings.restPageSize}`,
      );
      store.transaction(() => {
        let max = this.#watermark(object)?.modstamp ?? 0;
        for (const record of rows) {
          const entry = toMirrorRow(object, record, settings.mapping);
          if (this.#mirror.put(entry, 0)) this.#changed[object]++;
          if (entry.row.modstamp > max) max = entry.row.modstamp;
          cursor = { at: entry.row.modstamp, id: entry.row.id };
        }
        this.#read[object] += rows.length;
        this.#db.prepare('UPDATE sync_watermark SET modstamp = ? WHERE object = ?').run(max, object);
      });
      this.#emit('read', object);
      this.#checkBudget();
      if (rows.length < settings.restPageSize) return;
    }
  }

  /** Records deleted since the last covered instant; a missed window means a full reconciliation. */
  async #deletions(object: SyncObject): Promise<void> {
    const { salesforce, store } = this.#d;
    const watermark = this.#watermark(object);
    if (watermark === undefined) return;
    this.#emit('deletions', object);
    let start = watermark.deleted_covered_until;
    const end = Math.max(this.#now(), watermark.modstamp);
    if (end - start < 60_000) return;
    if (this.#now() - start > DELETED_WINDOW_MS) {
      this.#mode[object] = 'full';
      await this.#fullRead(object);
      return;
    }
    let result = await salesforce.deleted(object, new Date(start), new Date(end));
    const earliest = toMs(result.earliestDateAvailable) ?? 0;
    if (earliest > start && earliest <= start + this.#d.settings.overlapMs) {
      // The delete log starts inside our own safety overlap: nothing we need was purged.
      start = earliest;
      result = await salesforce.deleted(object, new Date(start), new Date(end));
    } else if (earliest > start) {
      // The delete log no longer reaches back to our last covered instant: reconcile with a full read.
      this.#mode[object] = 'full';
      await this.#fullRead(object);
      return;
    }
    const covered = toMs(result.latestDateCovered) ?? start;
    const records = result.records;
    store.transaction(() => {
      for (const record of records) if (this.#mirror.remove(object, record.id)) this.#deleted++;
      this.#db
        .prepare('UPDATE sync_watermark SET deleted_covered_until = ? WHERE object = ?')
        .run(Math.max(start, covered), object);
    });
    this.#checkBudget();
  }

  /** When the day changed, accounts whose 12-month window lost or gained a transaction are recomputed. */
  #markWindowShift(): void {
    const today = new Date(this.#now()).toISOString().slice(0, 10);
    const last = this.#kv('profile_day');
    if (last === undefined || last === today) return;
    this.#db
      .prepare(
        `INSERT OR IGNORE INTO sync_dirty (account_id) SELECT DISTINCT account_id FROM sync_txn
         WHERE revenue = 1 AND ((date >= ? AND date < ?) OR (date > ? AND date <= ?))`,
      )
      .run(windowStart(last), windowStart(today), last, today);
  }

  async #drain(kind: ZendeskKind, flush: boolean): Promise<void> {
    if (this.#o.dryRun === true) return;
    const before = this.#stats.written;
    await this.#outbox.drain(
      this.#d.zendesk,
      kind,
      flush,
      this.#stats,
      this.#now,
      this.#d.settings.zendeskConcurrency,
    );
    this.#written[kind] += this.#stats.written - before;
  }

  /** Pass A: profiles and organisations of dirty accounts; pass B: their contacts as users. Resumable by cursor. */
  async #computeAndWrite(): Promise<void> {
    const { settings, store } = this.#d;
    const today = new Date(this.#now()).toISOString().slice(0, 10);
    const syncedAt = new Date(this.#now()).toISOString();
    this.#accountsTotal = (this.#db.prepare('SELECT COUNT(*) AS n FROM sync_dirty').get() as { n: number }).n;
    const next = this.#db.prepare(
      'SELECT account_id FROM sync_dirty WHERE account_id > ? ORDER BY account_id LIMIT ?',
    );
    const phase = this.#kv('pass') ?? 'A';

    if (phase === 'A') {
      this.#emit('organizations');
      let cursor = this.#kv('pass_cursor') ?? '';
      for (;;) {
        const ids = (next.all(cursor, settings.batchSize) as { account_id: string }[]).map(
          (r) => r.account_id,
        );
        if (ids.length === 0) break;
        const profiles = computeProfiles(this.#d.store.db, ids, today, settings);
        store.transaction(() => {
          for (const id of ids) {
            const profile = profiles.get(id);
            if (profile === undefined) {
              this.#db.prepare('DELETE FROM sync_profile WHERE account_id = ?').run(id);
              this.#outbox.enqueue('organization', id, '', {
                external_id: id,
                organization_fields: { ...emptyCrmFields(), [CRM_FIELD_KEYS.crmSyncedAt]: syncedAt },
              });
              continue;
            }
            this.#db
              .prepare(
                `INSERT INTO sync_profile (account_id, profile, computed_at) VALUES (?, ?, ?)
                 ON CONFLICT (account_id) DO UPDATE SET profile = excluded.profile, computed_at = excluded.computed_at`,
              )
              .run(id, JSON.stringify(profile), this.#now());
            const fields = crmFields(profile);
            // Zendesk organisation names are unique: accounts sharing a name get their Salesforce Id appended.
            const shared = this.#db
              .prepare('SELECT COUNT(*) AS n FROM sync_account WHERE name = ?')
              .get(profile.name) as {
              n: number;
            };
            const name = shared.n > 1 ? `${profile.name} (${id})` : profile.name;
            const hash = payloadHash({ name, fields });
            this.#outbox.enqueue('organization', id, hash, {
              external_id: id,
              name,
              organization_fields: { ...fields, [CRM_FIELD_KEYS.crmSyncedAt]: syncedAt },
            });
          }
          cursor = ids.at(-1) ?? cursor;
          this.#setKv('pass_cursor', cursor);
          this.#setKv('profile_day', today);
        });
        this.#accountsDone += ids.length;
        this.#emit('organizations');
        await this.#drain('organization', false);
      }
      await this.#drain('organization', true);
      this.#setKv('pass', 'B');
      this.#setKv('pass_cursor', '');
    }

    this.#emit('users');
    this.#accountsDone = 0;
    let cursor = this.#kv('pass_cursor') ?? '';
    // Each account's profile and organisation id are read and turned into field values once per batch; its
    // contacts share them (and their serialisation, see payloadHash).
    const accountsOf = this.#db.prepare(
      `SELECT d.account_id, p.profile, w.zendesk_id
       FROM (SELECT account_id FROM sync_dirty WHERE account_id > ? ORDER BY account_id LIMIT ?) d
       LEFT JOIN sync_profile p ON p.account_id = d.account_id
       LEFT JOIN sync_written w ON w.kind = 'organization' AND w.external_id = d.account_id`,
    );
    const contactsOf = this.#db.prepare(
      `SELECT c.id, c.account_id, c.name, c.email FROM sync_contact c
       WHERE c.account_id IN (SELECT account_id FROM sync_dirty WHERE account_id > ? ORDER BY account_id LIMIT ?)`,
    );
    for (;;) {
      const accounts = accountsOf.all(cursor, settings.batchSize) as {
        account_id: string;
        profile: string | null;
        zendesk_id: number | null;
      }[];
      if (accounts.length === 0) break;
      const byAccount = new Map(
        accounts.map((a) => [
          a.account_id,
          {
            fields: crmFields(a.profile === null ? undefined : (JSON.parse(a.profile) as AccountProfile)),
            zendeskId: a.zendesk_id,
          },
        ]),
      );
      const contacts = contactsOf.all(cursor, settings.batchSize) as {
        id: string;
        account_id: string;
        name: string;
        email: string | null;
      }[];
      store.transaction(() => {
        for (const c of contacts) {
          const account = byAccount.get(c.account_id);
          const fields = account?.fields ?? crmFields(undefined);
          const base: Record<string, unknown> = { external_id: c.id, name: c.name };
          if (c.email !== null) base.email = c.email;
          if (typeof account?.zendeskId === 'number') base.organization_id = account.zendeskId;
          const hash = payloadHash({ ...base, fields });
          this.#outbox.enqueue('user', c.id, hash, {
            ...base,
            user_fields: { ...fields, [CRM_FIELD_KEYS.crmSyncedAt]: syncedAt },
          });
        }
        cursor = accounts.at(-1)?.account_id ?? cursor;
        this.#setKv('pass_cursor', cursor);
      });
      this.#accountsDone += accounts.length;
      this.#emit('users');
      await this.#drain('user', false);
    }
    store.transaction(() => {
      for (const { id } of this.#db.prepare('SELECT id FROM sync_deleted_contact').all() as { id: string }[])
        this.#outbox.enqueue('user', id, '', {
          external_id: id,
          user_fields: { ...emptyCrmFields(), [CRM_FIELD_KEYS.crmSyncedAt]: syncedAt },
        });
      this.#db.exec('DELETE FROM sync_deleted_contact');
    });
    await this.#drain('user', true);
    if (this.#o.dryRun === true) {
      // Keep the dirty set: the next real run recomputes and writes.
      store.transaction(() => {
        this.#setKv('pass', undefined);
        this.#setKv('pass_cursor', undefined);
      });
      return;
    }
    store.transaction(() => {
      this.#db.exec('DELETE FROM sync_dirty');
      this.#setKv('pass', undefined);
      this.#setKv('pass_cursor', undefined);
    });
  }
}

function zeroCounts(): Record<SyncObject, number> {
  return { Account: 0, Contact: 0, Opportunity: 0, Order: 0 };
}
