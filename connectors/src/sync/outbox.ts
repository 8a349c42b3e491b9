import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { Store } from '../store/database.ts';

export type ZendeskKind = 'organization' | 'user';

/** Result of one record of a bulk job, in the order the records were sent. */
export interface ZendeskItemResult {
  readonly index: number;
  readonly success: boolean;
  readonly id?: number | undefined;
  readonly error?: string | undefined;
}

/** What the sync needs from Zendesk: submit ≤100 upserts keyed by external_id, then read the job's results. */
export interface ZendeskSink {
  /** Starts a create_or_update_many job; returns its id. */
  submit(kind: ZendeskKind, records: readonly Record<string, unknown>[]): Promise<string>;
  /** Waits for the job and returns per-record results; `undefined` when Zendesk no longer knows the job. */
  results(jobId: string, count: number): Promise<readonly ZendeskItemResult[] | undefined>;
  /**
   * Which of these records Zendesk already holds exactly (positions → Zendesk id). Used only for a batch an
   * interrupted run may have sent without recording its job id, so it is not written twice.
   */
  applied(
    kind: ZendeskKind,
    records: readonly Record<string, unknown>[],
  ): Promise<ReadonlyMap<number, number>>;
  /** Zendesk calls made so far, and the last rate-limit headers seen. */
  readonly calls: number;
  readonly budget: { readonly limit: number; readonly remaining: number } | undefined;
}

export const BULK_LIMIT = 100;

interface OutboxRow {
  seq: number;
  external_id: string;
  hash: string;
  payload: string;
}

export interface OutboxStats {
  written: number;
  failed: number;
  jobs: number;
}

/**
 * Pending Zendesk writes, durable in SQLite. A batch of ≤100 is claimed and committed before the call; the job
 * id is committed as soon as Zendesk returns it, so a restarted process waits for that job instead of sending the
 * records again; results are applied (hash recorded, or dead letter) in one transaction.
 */
export class Outbox {
  readonly #store: Store;
  readonly #db: DatabaseSync;
  readonly #statements = new Map<string, StatementSync>();

  constructor(store: Store) {
    this.#store = store;
    this.#db = store.db;
  }

  /** Prepared once per SQL text (preparing costs more than running on hot paths). */
  #sql(sql: string): StatementSync {
    let statement = this.#statements.get(sql);
    if (statement === undefined) {
      statement = this.#db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  /** Queues a write unless the same content was already written (or is already queued). Returns true if queued. */
  enqueue(kind: ZendeskKind, externalId: string, hash: string, payload: Record<string, unknown>): boolean {
    const written = this.#sql(
      'SELECT hash, zendesk_id FROM sync_written WHERE kind = ? AND external_id = ?',
    ).get(kind, externalId) as { hash: string; zendesk_id: number | null } | undefined;
    if (written?.hash === hash) {
      this.#sql('DELETE FROM sync_outbox WHERE kind = ? AND external_id = ? AND batch_id IS NULL').run(
        kind,
        externalId,
      );
      return false;
    }
    if (hash === '' && written === undefined) return false; // clearing a record never written: nothing to do
    // Organisations have no create_or_update_many: the Zendesk id (known once created) makes it an update.
    const withId =
      kind === 'organization' && typeof written?.zendesk_id === 'number'
        ? { id: written.zendesk_id, ...payload }
        : payload;
    const result = this.#sql(
      `INSERT INTO sync_outbox (kind, external_id, hash, payload) VALUES (?, ?, ?, ?)
         ON CONFLICT (kind, external_id) DO UPDATE SET hash = excluded.hash, payload = excluded.payload
         WHERE sync_outbox.batch_id IS NULL AND sync_outbox.hash <> excluded.hash`,
    ).run(kind, externalId, hash, JSON.stringify(withId));
    return Number(result.changes) > 0;
  }

  pending(kind?: ZendeskKind): number {
    const row = (
      kind === undefined
        ? this.#sql('SELECT COUNT(*) AS n FROM sync_outbox').get()
        : this.#sql('SELECT COUNT(*) AS n FROM sync_outbox WHERE kind = ?').get(kind)
    ) as { n: number };
    return row.n;
  }

  /** Sends full batches of `kind` (all remaining ones when `flush`), finishing batches left by a crash first. */
  async drain(
    sink: ZendeskSink,
    kind: ZendeskKind,
    flush: boolean,
    stats: OutboxStats,
    now: () => number,
    concurrency = 1,
  ): Promise<void> {
    const inFlight = new Set<Promise<void>>();
    let failure: Error | undefined;
    const start = (batchId: number, jobId: string | null, recovered = false): void => {
      const task = this.#settle(sink, kind, batchId, jobId, stats, now, recovered).then(
        () => {
          inFlight.delete(task);
        },
        (error: unknown) => {
          inFlight.delete(task);
          failure ??= error instanceof Error ? error : new Error(String(error));
        },
      );
      inFlight.add(task);
    };
    const room = async (): Promise<void> => {
      while (inFlight.size >= concurrency) await Promise.race(inFlight);
      if (failure !== undefined) {
        await Promise.allSettled(inFlight);
        throw failure;
      }
    };
    // Batches left by an interrupted run first: wait for their jobs rather than sending again.
    for (const batch of this.#sql('SELECT id, job_id FROM sync_batch WHERE kind = ? ORDER BY id').all(
      kind,
    ) as { id: number; job_id: string | null }[]) {
      await room();
      start(batch.id, batch.job_id, true);
    }
    for (;;) {
      await room();
      const waiting = this.#sql(
        'SELECT COUNT(*) AS n FROM sync_outbox WHERE kind = ? AND batch_id IS NULL',
      ).get(kind) as { n: number };
      if (waiting.n === 0 || (!flush && waiting.n < BULK_LIMIT)) break;
      const batchId = this.#store.transaction(() => {
        const id = Number(
          this.#sql('INSERT INTO sync_batch (kind, created_at) VALUES (?, ?)').run(kind, now())
            .lastInsertRowid,
        );
        this.#sql(
          `UPDATE sync_outbox SET batch_id = ? WHERE seq IN (
               SELECT seq FROM sync_outbox WHERE kind = ? AND batch_id IS NULL ORDER BY seq LIMIT ${BULK_LIMIT})`,
        ).run(id, kind);
        return id;
      });
      start(batchId, null);
    }
    await Promise.allSettled(inFlight);
    if (failure !== undefined) throw failure;
  }

  async #settle(
    sink: ZendeskSink,
    kind: ZendeskKind,
    batchId: number,
    knownJobId: string | null,
    stats: OutboxStats,
    now: () => number,
    recovered = false,
  ): Promise<void> {
    const select = this.#sql(
      'SELECT seq, external_id, hash, payload FROM sync_outbox WHERE batch_id = ? ORDER BY seq',
    );
    let rows = select.all(batchId) as unknown as OutboxRow[];
    if (recovered && knownJobId === null && rows.length > 0) {
      // The interrupted run may have sent this batch before it could record the job id: skip what Zendesk holds.
      const applied = await sink.applied(
        kind,
        rows.map((row) => JSON.parse(row.payload) as Record<string, unknown>),
      );
      if (applied.size > 0) {
        this.#store.transaction(() => {
          rows.forEach((row, index) => {
            const id = applied.get(index);
            if (id === undefined) return;
            this.#recordSuccess(kind, row, id, now());
            this.#sql('DELETE FROM sync_outbox WHERE seq = ?').run(row.seq);
            stats.written++;
          });
        });
        rows = select.all(batchId) as unknown as OutboxRow[];
      }
    }
    if (rows.length === 0) {
      this.#sql('DELETE FROM sync_batch WHERE id = ?').run(batchId);
      return;
    }
    let jobId = knownJobId;
    let results: readonly ZendeskItemResult[] | undefined;
    for (let attempt = 0; results === undefined; attempt++) {
      if (jobId === null) {
        jobId = await sink.submit(
          kind,
          rows.map((row) => JSON.parse(row.payload) as Record<string, unknown>),
        );
        stats.jobs++;
        this.#sql('UPDATE sync_batch SET job_id = ? WHERE id = ?').run(jobId, batchId);
      }
      results = await sink.results(jobId, rows.length);
      if (results === undefined) {
        if (attempt >= 2) throw new Error(`Zendesk lost job ${jobId} three times`);
        jobId = null; // the job expired before we read it: send the same records again (upserts are idempotent)
      }
    }
    const byIndex = new Map(results.map((r) => [r.index, r]));
    this.#store.transaction(() => {
      const at = now();
      rows.forEach((row, index) => {
        const result = byIndex.get(index);
        if (result?.success === true) {
          this.#recordSuccess(kind, row, result.id, at);
          stats.written++;
        } else {
          this.#sql(
            `INSERT INTO sync_dead_letter (kind, external_id, hash, payload, error, attempts, last_at)
               VALUES (?, ?, ?, ?, ?, 1, ?) ON CONFLICT (kind, external_id) DO UPDATE SET hash = excluded.hash,
               payload = excluded.payload, error = excluded.error, attempts = sync_dead_letter.attempts + 1,
               last_at = excluded.last_at`,
          ).run(
            kind,
            row.external_id,
            row.hash,
            row.payload,
            result?.error ?? 'no result for this record',
            at,
          );
          stats.failed++;
        }
      });
      this.#sql('DELETE FROM sync_outbox WHERE batch_id = ?').run(batchId);
      this.#sql('DELETE FROM sync_batch WHERE id = ?').run(batchId);
    });
  }

  #recordSuccess(kind: ZendeskKind, row: OutboxRow, zendeskId: number | undefined, at: number): void {
    if (row.hash === '')
      this.#sql('DELETE FROM sync_written WHERE kind = ? AND external_id = ?').run(kind, row.external_id);
    else
      this.#sql(
        `INSERT INTO sync_written (kind, external_id, hash, zendesk_id, written_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (kind, external_id) DO UPDATE SET hash = excluded.hash,
           zendesk_id = COALESCE(excluded.zendesk_id, sync_written.zendesk_id), written_at = excluded.written_at`,
      ).run(kind, row.external_id, row.hash, zendeskId ?? null, at);
    this.#sql('DELETE FROM sync_dead_letter WHERE kind = ? AND external_id = ?').run(kind, row.external_id);
  }

  /** Puts dead letters with fewer than `maxAttempts` attempts, last tried before `before`, back in the outbox. */
  requeueDeadLetters(maxAttempts: number, before: number): number {
    const result = this.#sql(
      `INSERT OR IGNORE INTO sync_outbox (kind, external_id, hash, payload)
         SELECT kind, external_id, hash, payload FROM sync_dead_letter WHERE attempts < ? AND last_at < ?`,
    ).run(maxAttempts, before);
    return Number(result.changes);
  }
}
