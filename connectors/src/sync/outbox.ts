import type { Sql } from '../store/sql.ts';
import { chunks, list, placeholders } from './mirror.ts';

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
 * Pending Zendesk writes, durable in the store (SQLite or PostgreSQL). A batch of ≤100 is claimed and committed
 * before the call; the job id is committed as soon as Zendesk returns it, so a restarted process waits for that job
 * instead of sending the records again; results are applied (hash recorded, or dead letter) in one transaction.
 */
export class Outbox {
  readonly #sql: Sql;

  constructor(sql: Sql) {
    this.#sql = sql;
  }

  /** Queues a write unless the same content was already written (or is already queued). Returns true if queued. */
  async enqueue(
    kind: ZendeskKind,
    externalId: string,
    hash: string,
    payload: Record<string, unknown>,
  ): Promise<boolean> {
    return (await this.enqueueMany(kind, [{ externalId, hash, payload }])) > 0;
  }

  /**
   * Queues writes of one kind (a batch): one read of what was written, one delete of what needs no write, one
   * multi-row upsert of the rest, per chunk. Later entries for the same record win. Returns how many were queued.
   */
  async enqueueMany(
    kind: ZendeskKind,
    entries: readonly { externalId: string; hash: string; payload: Record<string, unknown> }[],
  ): Promise<number> {
    const latest = new Map<string, (typeof entries)[number]>();
    for (const entry of entries) latest.set(entry.externalId, entry);
    let queued = 0;
    for (const part of chunks([...latest.values()])) {
      const written = new Map(
        (
          await this.#sql.all<{ external_id: string; hash: string; zendesk_id: number | null }>(
            `SELECT external_id, hash, zendesk_id FROM sync_written WHERE kind = ? AND external_id IN (${list(part.length)})`,
            [kind, ...part.map((e) => e.externalId)],
          )
        ).map((r) => [r.external_id, r]),
      );
      const unchanged: string[] = [];
      const rows: [string, string, string][] = [];
      for (const { externalId, hash, payload } of part) {
        const done = written.get(externalId);
        if (done?.hash === hash) {
          unchanged.push(externalId);
          continue;
        }
        if (hash === '' && done === undefined) continue; // clearing a record never written: nothing to do
        // Organisations have no create_or_update_many: the Zendesk id (known once created) makes it an update.
        const withId =
          kind === 'organization' && typeof done?.zendesk_id === 'number'
            ? { id: done.zendesk_id, ...payload }
            : payload;
        rows.push([externalId, hash, JSON.stringify(withId)]);
      }
      if (unchanged.length > 0)
        await this.#sql.run(
          `DELETE FROM sync_outbox WHERE kind = ? AND external_id IN (${list(unchanged.length)}) AND batch_id IS NULL`,
          [kind, ...unchanged],
        );
      if (rows.length > 0)
        queued += (
          await this.#sql.run(
            `INSERT INTO sync_outbox (kind, external_id, hash, payload) VALUES ${placeholders(rows.length, 4)}
             ON CONFLICT (kind, external_id) DO UPDATE SET hash = excluded.hash, payload = excluded.payload
             WHERE sync_outbox.batch_id IS NULL AND sync_outbox.hash <> excluded.hash`,
            rows.flatMap((r) => [kind, ...r]),
          )
        ).changes;
    }
    return queued;
  }

  async pending(kind?: ZendeskKind): Promise<number> {
    const row =
      kind === undefined
        ? await this.#sql.get<{ n: number }>('SELECT COUNT(*) AS n FROM sync_outbox')
        : await this.#sql.get<{ n: number }>('SELECT COUNT(*) AS n FROM sync_outbox WHERE kind = ?', [kind]);
    return row?.n ?? 0;
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
    for (const batch of await this.#sql.all<{ id: number; job_id: string | null }>(
      'SELECT id, job_id FROM sync_batch WHERE kind = ? ORDER BY id',
      [kind],
    )) {
      await room();
      start(batch.id, batch.job_id, true);
    }
    for (;;) {
      await room();
      const waiting = await this.#sql.get<{ n: number }>(
        'SELECT COUNT(*) AS n FROM sync_outbox WHERE kind = ? AND batch_id IS NULL',
        [kind],
      );
      const n = waiting?.n ?? 0;
      if (n === 0 || (!flush && n < BULK_LIMIT)) break;
      const batchId = await this.#sql.transaction(async (tx) => {
        const row = await tx.get<{ id: number }>(
          'INSERT INTO sync_batch (kind, created_at) VALUES (?, ?) RETURNING id',
          [kind, now()],
        );
        const id = row!.id;
        await tx.run(
          `UPDATE sync_outbox SET batch_id = ? WHERE seq IN (
               SELECT seq FROM sync_outbox WHERE kind = ? AND batch_id IS NULL ORDER BY seq LIMIT ${BULK_LIMIT})`,
          [id, kind],
        );
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
    const select = async (): Promise<OutboxRow[]> =>
      this.#sql.all<OutboxRow>(
        'SELECT seq, external_id, hash, payload FROM sync_outbox WHERE batch_id = ? ORDER BY seq',
        [batchId],
      );
    let rows = await select();
    if (recovered && knownJobId === null && rows.length > 0) {
      // The interrupted run may have sent this batch before it could record the job id: skip what Zendesk holds.
      const applied = await sink.applied(
        kind,
        rows.map((row) => JSON.parse(row.payload) as Record<string, unknown>),
      );
      if (applied.size > 0) {
        await this.#sql.transaction(async (tx) => {
          const done: { row: OutboxRow; id: number | undefined }[] = [];
          rows.forEach((row, index) => {
            const id = applied.get(index);
            if (id !== undefined) done.push({ row, id });
          });
          await this.#recordSuccesses(tx, kind, done, now());
          for (const part of chunks(done))
            await tx.run(
              `DELETE FROM sync_outbox WHERE seq IN (${list(part.length)})`,
              part.map((d) => d.row.seq),
            );
          stats.written += done.length;
        });
        rows = await select();
      }
    }
    if (rows.length === 0) {
      await this.#sql.run('DELETE FROM sync_batch WHERE id = ?', [batchId]);
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
        await this.#sql.run('UPDATE sync_batch SET job_id = ? WHERE id = ?', [jobId, batchId]);
      }
      results = await sink.results(jobId, rows.length);
      if (results === undefined) {
        if (attempt >= 2) throw new Error(`Zendesk lost job ${jobId} three times`);
        jobId = null; // the job expired before we read it: send the same records again (upserts are idempotent)
      }
    }
    const byIndex = new Map(results.map((r) => [r.index, r]));
    await this.#sql.transaction(async (tx) => {
      const at = now();
      const done: { row: OutboxRow; id: number | undefined }[] = [];
      const dead: OutboxRow[] = [];
      const errors = new Map<OutboxRow, string>();
      rows.forEach((row, index) => {
        const result = byIndex.get(index);
        if (result?.success === true) done.push({ row, id: result.id });
        else {
          dead.push(row);
          errors.set(row, result?.error ?? 'no result for this record');
        }
      });
      await this.#recordSuccesses(tx, kind, done, at);
      stats.written += done.length;
      for (const part of chunks(dead))
        await tx.run(
          `INSERT INTO sync_dead_letter (kind, external_id, hash, payload, error, attempts, last_at)
             VALUES ${placeholders(part.length, 7)} ON CONFLICT (kind, external_id) DO UPDATE SET hash = excluded.hash,
             payload = excluded.payload, error = excluded.error, attempts = sync_dead_letter.attempts + 1,
             last_at = excluded.last_at`,
          part.flatMap((row) => [kind, row.external_id, row.hash, row.payload, errors.get(row)!, 1, at]),
        );
      stats.failed += dead.length;
      await tx.run('DELETE FROM sync_outbox WHERE batch_id = ?', [batchId]);
      await tx.run('DELETE FROM sync_batch WHERE id = ?', [batchId]);
    });
  }

  /** Records what Zendesk acknowledged (or forgets a cleared record), and drops their dead letters. */
  async #recordSuccesses(
    tx: Sql,
    kind: ZendeskKind,
    done: readonly { row: OutboxRow; id: number | undefined }[],
    at: number,
  ): Promise<void> {
    const latest = new Map<string, { row: OutboxRow; id: number | undefined }>();
    for (const d of done) latest.set(d.row.external_id, d);
    for (const part of chunks([...latest.values()])) {
      const cleared = part.filter((d) => d.row.hash === '').map((d) => d.row.external_id);
      const kept = part.filter((d) => d.row.hash !== '');
      if (cleared.length > 0)
        await tx.run(`DELETE FROM sync_written WHERE kind = ? AND external_id IN (${list(cleared.length)})`, [
          kind,
          ...cleared,
        ]);
      if (kept.length > 0)
        await tx.run(
          `INSERT INTO sync_written (kind, external_id, hash, zendesk_id, written_at) VALUES ${placeholders(kept.length, 5)}
           ON CONFLICT (kind, external_id) DO UPDATE SET hash = excluded.hash,
             zendesk_id = COALESCE(excluded.zendesk_id, sync_written.zendesk_id), written_at = excluded.written_at`,
          kept.flatMap((d) => [kind, d.row.external_id, d.row.hash, d.id ?? null, at]),
        );
      await tx.run(`DELETE FROM sync_dead_letter WHERE kind = ? AND external_id IN (${list(part.length)})`, [
        kind,
        ...part.map((d) => d.row.external_id),
      ]);
    }
  }

  /** Puts dead letters with fewer than `maxAttempts` attempts, last tried before `before`, back in the outbox. */
  async requeueDeadLetters(maxAttempts: number, before: number): Promise<number> {
    const result = await this.#sql.run(
      `INSERT INTO sync_outbox (kind, external_id, hash, payload)
         SELECT kind, external_id, hash, payload FROM sync_dead_letter WHERE attempts < ? AND last_at < ?
         ON CONFLICT (kind, external_id) DO NOTHING`,
      [maxAttempts, before],
    );
    return result.changes;
  }
}
