import type { SalesforceSettings } from '../config/salesforce.ts';
import type { SyncObject, SyncSettings } from '../config/sync.ts';
import { SYNC_OBJECTS } from '../config/sync.ts';
import type { SalesforceClient, SfRecord } from '../salesforce/client.ts';
import type { Sql } from '../store/sql.ts';
import { CRM_FIELD_KEYS } from '../../../shared/src/index.ts';
import { Mirror, list, placeholders } from './mirror.ts';
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
  /** The store: the SQLite file, or PostgreSQL with BOUCLE_DATABASE_URL (store/sql.ts). */
  readonly sql: Sql;
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
    this.#mirror = new Mirror(deps.sql);
    this.#outbox = new Outbox(deps.sql);
    this.#started = this.#now();
  }

  get #sql(): Sql {
    return this.#d.sql;
  }

  async #kv(key: string): Promise<string | undefined> {
    const row = await this.#sql.get<{ value: string }>('SELECT value FROM sync_kv WHERE key = ?', [key]);
    return row?.value;
  }

  async #setKv(key: string, value: string | undefined): Promise<void> {
    if (value === undefined) await this.#sql.run('DELETE FROM sync_kv WHERE key = ?', [key]);
    else
      await this.#sql.run(
        'INSERT INTO sync_kv (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
        [key, value],
      );
  }

  async #progress(): Promise<SyncProgress> {
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
      pending: await this.#outbox.pending(),
      salesforceCalls: this.#d.salesforce.calls,
      zendeskCalls: this.#d.zendesk.calls,
      salesforceBudget: this.#d.salesforce.budget,
      zendeskBudget: this.#d.zendesk.budget,
    };
  }

  async #emit(phase: SyncProgress['phase'], object?: SyncObject): Promise<void> {
    this.#phase = phase;
    this.#object = object;
    if (this.#d.onProgress !== undefined) this.#d.onProgress(await this.#progress());
  }

  async run(): Promise<SyncReport> {
    const { settings } = this.#d;
    const objects = this.#o.objects ?? settings.objects;
    const unknown = objects.filter((o) => !settings.objects.includes(o));
    if (unknown.length > 0)
      throw new SyncMappingError([
        `--objects ${unknown.join(', ')}: not in SYNC_OBJECTS (${settings.objects.join(', ')})`,
      ]);

    const pausedUntil = Number((await this.#kv('paused_until')) ?? 0);
    if (pausedUntil > this.#now())
      throw new SyncBudgetError(
        `Salesforce answered REQUEST_LIMIT_EXCEEDED earlier: the org is paused until ${new Date(pausedUntil).toISOString()}.`,
      );
    const runId = (await this.#sql.get<{ id: number }>(
      'INSERT INTO sync_run (started_at) VALUES (?) RETURNING id',
      [this.#started],
    ))!.id;
    try {
      await this.#emit('connect');
      await this.#d.salesforce.connect();
      const budget = await this.#d.salesforce.limits();
      const floor = this.#d.floor;
      this.#floorValue = floor.kind === 'count' ? floor.value : Math.ceil((budget.max * floor.value) / 100);
      this.#checkBudget();
      await this.#validateMapping();

      if (!this.#o.dryRun) {
        await this.#emit('resume');
        await this.#outbox.requeueDeadLetters(
          this.#d.deadLetterAttempts ?? 3,
          this.#now() - (this.#d.deadLetterRetryMs ?? 3_600_000),
        );
        await this.#drain('organization', true);
        await this.#drain('user', true);
      }
      await this.#markWindowShift();

      for (const object of SYNC_OBJECTS) {
        if (!objects.includes(object)) {
          this.#mode[object] = 'skipped';
          continue;
        }
        const watermark = await this.#watermark(object);
        const checkpoint = await this.#sql.get('SELECT 1 AS one FROM sync_full_checkpoint WHERE object = ?', [
          object,
        ]);
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
      await this.#emit('done');
      const report = await this.#report();
      await this.#sql.run('UPDATE sync_run SET finished_at = ?, outcome = ?, stats = ? WHERE id = ?', [
        this.#now(),
        'ok',
        JSON.stringify(report),
        runId,
      ]);
      return report;
    } catch (error) {
      if ((error as Error).name === 'SalesforceLimitError') {
        await this.#setKv('paused_until', String(this.#now() + (this.#d.pauseMs ?? 3_600_000)));
        await this.#sql.run('UPDATE sync_run SET finished_at = ?, outcome = ? WHERE id = ?', [
          this.#now(),
          'paused',
          runId,
        ]);
        throw new SyncBudgetError((error as Error).message, { cause: error });
      }
      await this.#sql.run('UPDATE sync_run SET finished_at = ?, outcome = ? WHERE id = ?', [
        this.#now(),
        `failed: ${(error as Error).message.slice(0, 500)}`,
        runId,
      ]);
      throw error;
    }
  }

  async #report(): Promise<SyncReport> {
    return {
      ...(await this.#progress()),
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

  async #watermark(
    object: SyncObject,
  ): Promise<{ modstamp: number; deleted_covered_until: number } | undefined> {
    return this.#sql.get<{ modstamp: number; deleted_covered_until: number }>(
      'SELECT modstamp, deleted_covered_until FROM sync_watermark WHERE object = ?',
      [object],
    );
  }

  /** Bulk API 2.0 read of every record, resumable from `(jobId, locator)`; then unseen rows count as deleted. */
  async #fullRead(object: SyncObject): Promise<void> {
    const { salesforce, settings } = this.#d;
    await this.#emit('read', object);
    type Checkpoint = {
      job_id: string | null;
      locator: string | null;
      generation: number;
      max_modstamp: number;
      started_at: number;
    };
    let cp = await this.#sql.get<Checkpoint>(
      'SELECT job_id, locator, generation, max_modstamp, started_at FROM sync_full_checkpoint WHERE object = ?',
      [object],
    );
    if (cp === undefined) {
      const generation = Number((await this.#kv('generation')) ?? 0) + 1;
      await this.#sql.transaction(async (tx) => {
        await this.#setKv('generation', String(generation));
        await tx.run(
          'INSERT INTO sync_full_checkpoint (object, job_id, locator, generation, max_modstamp, started_at) VALUES (?, NULL, NULL, ?, 0, ?)',
          [object, generation, this.#now()],
        );
      });
      cp = { job_id: null, locator: null, generation, max_modstamp: 0, started_at: this.#now() };
    }
    const soql = `SELECT ${fieldsFor(object, settings.mapping).join(', ')} FROM ${object}`;
    let jobId = cp.job_id;
    if (jobId === null) {
      jobId = await salesforce.openBulkQuery(soql);
      await this.#sql.run('UPDATE sync_full_checkpoint SET job_id = ?, locator = NULL WHERE object = ?', [
        jobId,
        object,
      ]);
    }
    let maxModstamp = cp.max_modstamp;
    const generation = cp.generation;
    for await (const page of salesforce.bulkPages(jobId, settings.bulkPageSize, cp.locator ?? undefined)) {
      const entries = page.rows.map((record) => toMirrorRow(object, record, settings.mapping));
      for (const entry of entries) if (entry.row.modstamp > maxModstamp) maxModstamp = entry.row.modstamp;
      await this.#sql.transaction(async (tx) => {
        this.#changed[object] += await this.#mirror.putMany(entries, generation);
        this.#read[object] += page.rows.length;
        await tx.run('UPDATE sync_full_checkpoint SET locator = ?, max_modstamp = ? WHERE object = ?', [
          page.nextLocator ?? '',
          maxModstamp,
          object,
        ]);
      });
      await this.#emit('read', object);
      this.#checkBudget();
      if (page.nextLocator === undefined) break;
    }
    const startedAt = cp.started_at;
    await this.#sql.transaction(async (tx) => {
      this.#deleted += await this.#mirror.removeUnseen(object, generation);
      const previous = await this.#watermark(object);
      await tx.run(
        `INSERT INTO sync_watermark (object, modstamp, deleted_covered_until) VALUES (?, ?, ?)
         ON CONFLICT (object) DO UPDATE SET modstamp = excluded.modstamp, deleted_covered_until = excluded.deleted_covered_until`,
        [object, Math.max(maxModstamp, previous?.modstamp ?? 0), startedAt - settings.overlapMs],
      );
      await tx.run('DELETE FROM sync_full_checkpoint WHERE object = ?', [object]);
    });
  }

  /** REST pages of records changed since the watermark (minus the overlap), keyset-paged on (SystemModstamp, Id). */
  async #incrementalRead(object: SyncObject, modstamp: number): Promise<void> {
    const { salesforce, settings } = this.#d;
    await this.#emit('read', object);
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
      const entries = rows.map((record) => toMirrorRow(object, record, settings.mapping));
      await this.#sql.transaction(async (tx) => {
        let max = (await this.#watermark(object))?.modstamp ?? 0;
        for (const entry of entries) {
          if (entry.row.modstamp > max) max = entry.row.modstamp;
          cursor = { at: entry.row.modstamp, id: entry.row.id };
        }
        this.#changed[object] += await this.#mirror.putMany(entries, 0);
        this.#read[object] += rows.length;
        await tx.run('UPDATE sync_watermark SET modstamp = ? WHERE object = ?', [max, object]);
      });
      await this.#emit('read', object);
      this.#checkBudget();
      if (rows.length < settings.restPageSize) return;
    }
  }

  /** Records deleted since the last covered instant; a missed window means a full reconciliation. */
  async #deletions(object: SyncObject): Promise<void> {
    const { salesforce } = this.#d;
    const watermark = await this.#watermark(object);
    if (watermark === undefined) return;
    await this.#emit('deletions', object);
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
    const coveredUntil = Math.max(start, covered);
    await this.#sql.transaction(async (tx) => {
      this.#deleted += await this.#mirror.removeMany(
        object,
        records.map((record) => record.id),
      );
      await tx.run('UPDATE sync_watermark SET deleted_covered_until = ? WHERE object = ?', [
        coveredUntil,
        object,
      ]);
    });
    this.#checkBudget();
  }

  /** When the day changed, accounts whose 12-month window lost or gained a transaction are recomputed. */
  async #markWindowShift(): Promise<void> {
    const today = new Date(this.#now()).toISOString().slice(0, 10);
    const last = await this.#kv('profile_day');
    if (last === undefined || last === today) return;
    await this.#sql.run(
      `INSERT INTO sync_dirty (account_id) SELECT DISTINCT account_id FROM sync_txn
       WHERE revenue = 1 AND ((date >= ? AND date < ?) OR (date > ? AND date <= ?))
       ON CONFLICT (account_id) DO NOTHING`,
      [windowStart(last), windowStart(today), last, today],
    );
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
    const { settings } = this.#d;
    const sql = this.#sql;
    const today = new Date(this.#now()).toISOString().slice(0, 10);
    const syncedAt = new Date(this.#now()).toISOString();
    this.#accountsTotal = (await sql.get<{ n: number }>('SELECT COUNT(*) AS n FROM sync_dirty'))?.n ?? 0;
    const next = async (cursor: string): Promise<string[]> =>
      (
        await sql.all<{ account_id: string }>(
          'SELECT account_id FROM sync_dirty WHERE account_id > ? ORDER BY account_id LIMIT ?',
          [cursor, settings.batchSize],
        )
      ).map((r) => r.account_id);
    const phase = (await this.#kv('pass')) ?? 'A';

    if (phase === 'A') {
      await this.#emit('organizations');
      let cursor = (await this.#kv('pass_cursor')) ?? '';
      for (;;) {
        const ids = await next(cursor);
        if (ids.length === 0) break;
        const profiles = await computeProfiles(sql, ids, today, settings);
        // Zendesk organisation names are unique: accounts sharing a name get their Salesforce Id appended.
        const names = [...new Set([...profiles.values()].map((p) => p.name))];
        const sharedNames = new Set(
          names.length === 0
            ? []
            : (
                await sql.all<{ name: string }>(
                  `SELECT name FROM sync_account WHERE name IN (${list(names.length)}) GROUP BY name HAVING COUNT(*) > 1`,
                  names,
                )
              ).map((r) => r.name),
        );
        await sql.transaction(async (tx) => {
          const gone = ids.filter((id) => !profiles.has(id));
          if (gone.length > 0)
            await tx.run(`DELETE FROM sync_profile WHERE account_id IN (${list(gone.length)})`, gone);
          const kept = ids.filter((id) => profiles.has(id));
          if (kept.length > 0) {
            const at = this.#now();
            await tx.run(
              `INSERT INTO sync_profile (account_id, profile, computed_at) VALUES ${placeholders(kept.length, 3)}
               ON CONFLICT (account_id) DO UPDATE SET profile = excluded.profile, computed_at = excluded.computed_at`,
              kept.flatMap((id) => [id, JSON.stringify(profiles.get(id)), at]),
            );
          }
          const writes = ids.map((id) => {
            const profile = profiles.get(id);
            if (profile === undefined)
              return {
                externalId: id,
                hash: '',
                payload: {
                  external_id: id,
                  organization_fields: { ...emptyCrmFields(), [CRM_FIELD_KEYS.crmSyncedAt]: syncedAt },
                },
              };
            const fields = crmFields(profile);
            const name = sharedNames.has(profile.name) ? `${profile.name} (${id})` : profile.name;
            return {
              externalId: id,
              hash: payloadHash({ name, fields }),
              payload: {
                external_id: id,
                name,
                organization_fields: { ...fields, [CRM_FIELD_KEYS.crmSyncedAt]: syncedAt },
              },
            };
          });
          await this.#outbox.enqueueMany('organization', writes);
          cursor = ids.at(-1) ?? cursor;
          await this.#setKv('pass_cursor', cursor);
          await this.#setKv('profile_day', today);
        });
        this.#accountsDone += ids.length;
        await this.#emit('organizations');
        await this.#drain('organization', false);
      }
      await this.#drain('organization', true);
      await this.#setKv('pass', 'B');
      await this.#setKv('pass_cursor', '');
    }

    await this.#emit('users');
    this.#accountsDone = 0;
    let cursor = (await this.#kv('pass_cursor')) ?? '';
    // Each account's profile and organisation id are read and turned into field values once per batch; its
    // contacts share them (and their serialisation, see payloadHash).
    for (;;) {
      const accounts = await sql.all<{
        account_id: string;
        profile: string | null;
        zendesk_id: number | null;
      }>(
        `SELECT d.account_id, p.profile, w.zendesk_id
         FROM (SELECT account_id FROM sync_dirty WHERE account_id > ? ORDER BY account_id LIMIT ?) d
         LEFT JOIN sync_profile p ON p.account_id = d.account_id
         LEFT JOIN sync_written w ON w.kind = 'organization' AND w.external_id = d.account_id`,
        [cursor, settings.batchSize],
      );
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
      const contacts = await sql.all<{
        id: string;
        account_id: string;
        name: string;
        email: string | null;
      }>(
        `SELECT c.id, c.account_id, c.name, c.email FROM sync_contact c
         WHERE c.account_id IN (${list(accounts.length)})`,
        accounts.map((a) => a.account_id),
      );
      await sql.transaction(async () => {
        const writes = contacts.map((c) => {
          const account = byAccount.get(c.account_id);
          const fields = account?.fields ?? crmFields(undefined);
          const base: Record<string, unknown> = { external_id: c.id, name: c.name };
          if (c.email !== null) base.email = c.email;
          if (typeof account?.zendeskId === 'number') base.organization_id = account.zendeskId;
          return {
            externalId: c.id,
            hash: payloadHash({ ...base, fields }),
            payload: { ...base, user_fields: { ...fields, [CRM_FIELD_KEYS.crmSyncedAt]: syncedAt } },
          };
        });
        await this.#outbox.enqueueMany('user', writes);
        cursor = accounts.at(-1)?.account_id ?? cursor;
        await this.#setKv('pass_cursor', cursor);
      });
      this.#accountsDone += accounts.length;
      await this.#emit('users');
      await this.#drain('user', false);
    }
    await sql.transaction(async (tx) => {
      const deleted = await tx.all<{ id: string }>('SELECT id FROM sync_deleted_contact');
      await this.#outbox.enqueueMany(
        'user',
        deleted.map(({ id }) => ({
          externalId: id,
          hash: '',
          payload: {
            external_id: id,
            user_fields: { ...emptyCrmFields(), [CRM_FIELD_KEYS.crmSyncedAt]: syncedAt },
          },
        })),
      );
      await tx.run('DELETE FROM sync_deleted_contact');
    });
    await this.#drain('user', true);
    if (this.#o.dryRun === true) {
      // Keep the dirty set: the next real run recomputes and writes.
      await sql.transaction(async () => {
        await this.#setKv('pass', undefined);
        await this.#setKv('pass_cursor', undefined);
      });
      return;
    }
    await sql.transaction(async (tx) => {
      await tx.run('DELETE FROM sync_dirty');
      await this.#setKv('pass', undefined);
      await this.#setKv('pass_cursor', undefined);
    });
  }
}

function zeroCounts(): Record<SyncObject, number> {
  return { Account: 0, Contact: 0, Opportunity: 0, Order: 0 };
}
