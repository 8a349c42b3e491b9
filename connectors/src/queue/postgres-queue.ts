import type pg from 'pg';
import type { PostgresStore } from '../store/postgres.ts';
import {
  DEFAULT_RETRY_POLICY,
  computeBackoffMs,
  type EnqueueOutcome,
  type EventEffect,
  type EventQueue,
  type NewQueueEvent,
  type QueueEvent,
  type QueueStatus,
  type RetryPolicy,
} from './durable-queue.ts';

interface Row {
  id: string | number;
  idempotency_key: string;
  kind: string;
  group_key: string | null;
  payload: string;
  status: QueueStatus;
  attempts: number;
  accepted_at: string | number;
  available_at: string | number;
  last_error: string | null;
  lease_token: string | null;
}

function toEvent(row: Row): QueueEvent {
  return {
    id: Number(row.id),
    leaseToken: row.lease_token,
    idempotencyKey: row.idempotency_key,
    kind: row.kind,
    groupKey: row.group_key,
    payload: JSON.parse(row.payload) as unknown,
    status: row.status,
    attempts: row.attempts,
    acceptedAt: new Date(Number(row.accepted_at)),
    availableAt: new Date(Number(row.available_at)),
    lastError: row.last_error,
  };
}

interface Pending {
  readonly event: NewQueueEvent;
  readonly resolve: (outcome: EnqueueOutcome) => void;
  readonly reject: (error: unknown) => void;
}

// A claimable event: pending and due, or processing under a lease that ran out (its worker died or hung); and the
// oldest unfinished event of its group, so one ticket's events run one at a time, in order, whichever worker
// claims them. SKIP LOCKED: workers claiming at the same moment take different events instead of waiting.
const CLAIM = `
  WITH candidates AS (
    SELECT e.id FROM queue_events e
    WHERE ((e.status = 'pending' AND e.available_at <= $1) OR (e.status = 'processing' AND e.lease_until <= $1))
      AND (e.group_key IS NULL OR NOT EXISTS (
        SELECT 1 FROM queue_events f
        WHERE f.group_key = e.group_key AND f.status IN ('pending', 'processing') AND f.id < e.id))
    ORDER BY e.id
    LIMIT $3
    FOR UPDATE SKIP LOCKED)
  UPDATE queue_events q
  SET status = 'processing', lease_until = $2, attempts = q.attempts + 1, lease_token = gen_random_uuid()::text
  FROM candidates c WHERE q.id = c.id
  RETURNING q.*`;

/**
 * The durable queue on PostgreSQL, shared by several worker processes: accept with group commit (one INSERT per
 * turn of the event loop), claim with leases (`FOR UPDATE SKIP LOCKED`), lease tokens fencing completion, lease
 * expiry when a worker dies. Same contract as the SQLite `DurableQueue` (`EventQueue`).
 */
export class PostgresQueue implements EventQueue<pg.ClientBase> {
  readonly #store: PostgresStore;
  readonly #clock: () => Date;
  readonly #policy: RetryPolicy;
  #pending: Pending[] = [];
  #flushScheduled = false;
  #inFlight = 0;

  constructor(store: PostgresStore, options: { clock?: () => Date; retry?: RetryPolicy } = {}) {
    this.#store = store;
    this.#clock = options.clock ?? (() => new Date());
    this.#policy = options.retry ?? DEFAULT_RETRY_POLICY;
  }

  get retryPolicy(): RetryPolicy {
    return this.#policy;
  }

  enqueue(event: NewQueueEvent): Promise<EnqueueOutcome> {
    return new Promise((resolve, reject) => {
      this.#pending.push({ event, resolve, reject });
      this.#schedule();
    });
  }

  // One batch in flight at a time: ids follow arrival order within this process, and batches grow under load.
  #schedule(): void {
    if (this.#flushScheduled || this.#inFlight > 0) return;
    this.#flushScheduled = true;
    setImmediate(() => void this.#flush());
  }

  async #flush(): Promise<void> {
    this.#flushScheduled = false;
    const batch = this.#pending;
    this.#pending = [];
    if (batch.length === 0) return;
    this.#inFlight++;
    try {
      const outcomes = await this.#insertBatch(batch.map((waiter) => waiter.event));
      batch.forEach((waiter, index) => waiter.resolve(outcomes[index]!));
    } catch (error) {
      for (const waiter of batch) waiter.reject(error);
    } finally {
      this.#inFlight--;
      if (this.#pending.length > 0) this.#schedule();
    }
  }

  /**
   * One statement for the whole batch (one round trip, all durable or none): refuses stored replays, inserts the
   * rest, and reads the id of keys already there. Replays and repeated keys inside the batch are settled here.
   */
  async #insertBatch(events: readonly NewQueueEvent[]): Promise<EnqueueOutcome[]> {
    const now = this.#clock().getTime();
    const signed = new Set<string>();
    const first = new Map<string, NewQueueEvent>();
    // 'replay' | 'repeat' (same key as an earlier event of this batch) | 'send'
    const plan = events.map((event) => {
      if (event.signature !== undefined && event.signature !== null) {
        const pair = `${event.signature}\u0000${event.idempotencyKey}`;
        if (signed.has(pair)) return 'replay' as const;
        signed.add(pair);
      }
      if (first.has(event.idempotencyKey)) return 'repeat' as const;
      first.set(event.idempotencyKey, event);
      return 'send' as const;
    });
    const sent = [...first.values()];
    const { rows } = await this.#store.pool.query<{
      key: string;
      replay: boolean;
      inserted_id: string | null;
      existing_id: string | null;
    }>(
      `WITH input AS (
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) WITH ORDINALITY
                AS t(key, kind, grp, payload, sig, ord)
       ), marked AS (
         SELECT i.*, (i.sig IS NOT NULL AND EXISTS (
                  SELECT 1 FROM queue_events q WHERE q.signature = i.sig AND q.idempotency_key = i.key)) AS replay
         FROM input i
       ), inserted AS (
         INSERT INTO queue_events (idempotency_key, kind, group_key, payload, signature, accepted_at, available_at)
         SELECT key, kind, grp, payload, sig, $6, $6 FROM marked WHERE NOT replay ORDER BY ord
         ON CONFLICT (idempotency_key) DO NOTHING
         RETURNING id, idempotency_key
       )
       SELECT m.key, m.replay, ins.id AS inserted_id, q.id AS existing_id
       FROM marked m
       LEFT JOIN inserted ins ON ins.idempotency_key = m.key
       LEFT JOIN queue_events q ON q.idempotency_key = m.key`,
      [
        sent.map((e) => e.idempotencyKey),
        sent.map((e) => e.kind),
        sent.map((e) => e.groupKey ?? null),
        sent.map((e) => JSON.stringify(e.payload)),
        sent.map((e) => e.signature ?? null),
        now,
      ],
    );
    const outcomes = new Map<string, EnqueueOutcome>();
    const ids = new Map<string, number>();
    const unseen: string[] = [];
    for (const row of rows) {
      const id = row.inserted_id ?? row.existing_id;
      if (id !== null) ids.set(row.key, Number(id));
      if (row.replay) outcomes.set(row.key, { outcome: 'replay' });
      else if (row.inserted_id !== null)
        outcomes.set(row.key, { outcome: 'accepted', id: Number(row.inserted_id) });
      else if (row.existing_id !== null)
        outcomes.set(row.key, { outcome: 'duplicate', id: Number(row.existing_id) });
      else unseen.push(row.key); // inserted by another process after this statement's snapshot
    }
    if (unseen.length > 0) {
      const { rows: late } = await this.#store.pool.query<{ id: string; idempotency_key: string }>(
        'SELECT id, idempotency_key FROM queue_events WHERE idempotency_key = ANY($1::text[])',
        [unseen],
      );
      for (const row of late) {
        ids.set(row.idempotency_key, Number(row.id));
        outcomes.set(row.idempotency_key, { outcome: 'duplicate', id: Number(row.id) });
      }
    }
    return events.map((event, index): EnqueueOutcome => {
      const step = plan[index];
      if (step === 'replay') return { outcome: 'replay' };
      if (step === 'send') {
        const outcome = outcomes.get(event.idempotencyKey);
        if (outcome === undefined) throw new Error(`No outcome for ${event.idempotencyKey}.`);
        return outcome;
      }
      const id = ids.get(event.idempotencyKey);
      if (id === undefined) throw new Error(`No id for ${event.idempotencyKey}.`);
      return { outcome: 'duplicate', id };
    });
  }

  async claim(limit: number, leaseMs: number): Promise<QueueEvent[]> {
    if (limit <= 0) return [];
    const now = this.#clock().getTime();
    const { rows } = await this.#store.pool.query<Row>(CLAIM, [now, now + leaseMs, limit]);
    return rows.map(toEvent).sort((a, b) => a.id - b.id);
  }

  async complete(event: QueueEvent, effect?: EventEffect<pg.ClientBase>): Promise<boolean> {
    const finish = `UPDATE queue_events
      SET status = 'done', done_at = $1, lease_until = NULL, last_error = NULL, lease_token = NULL
      WHERE id = $2 AND status = 'processing' AND lease_token = $3`;
    const now = this.#clock().getTime();
    if (effect === undefined) {
      const result = await this.#store.pool.query(finish, [now, event.id, event.leaseToken]);
      return result.rowCount === 1;
    }
    return this.#store.transaction(async (client) => {
      // Lock the event first: a worker that took the lease over waits here, then finds it done.
      const held = await client.query(
        `SELECT 1 FROM queue_events WHERE id = $1 AND status = 'processing' AND lease_token = $2 FOR UPDATE`,
        [event.id, event.leaseToken],
      );
      if (held.rowCount !== 1) return false;
      await effect(client);
      await client.query(finish, [now, event.id, event.leaseToken]);
      return true;
    });
  }

  async fail(event: QueueEvent, error: string, permanent = false): Promise<'retry' | 'dead' | 'lost'> {
    const now = this.#clock().getTime();
    const dead = permanent || event.attempts >= this.#policy.maxAttempts;
    const availableAt = dead ? now : now + computeBackoffMs(event.attempts, this.#policy);
    const result = await this.#store.pool.query(
      `UPDATE queue_events SET status = $1, available_at = $2, lease_until = NULL, last_error = $3, lease_token = NULL
       WHERE id = $4 AND status = 'processing' AND lease_token = $5`,
      [dead ? 'dead' : 'pending', availableAt, error.slice(0, 2000), event.id, event.leaseToken],
    );
    if (result.rowCount !== 1) return 'lost';
    return dead ? 'dead' : 'retry';
  }

  async depth(): Promise<number> {
    const { rows } = await this.#store.pool.query<{ n: string }>(
      `SELECT COUNT(*) AS n FROM queue_events WHERE status IN ('pending', 'processing')`,
    );
    return Number(rows[0]?.n ?? 0);
  }

  async countByStatus(): Promise<Record<QueueStatus, number>> {
    const counts: Record<QueueStatus, number> = { pending: 0, processing: 0, done: 0, dead: 0 };
    const { rows } = await this.#store.pool.query<{ status: QueueStatus; n: string }>(
      'SELECT status, COUNT(*) AS n FROM queue_events GROUP BY status',
    );
    for (const row of rows) counts[row.status] = Number(row.n);
    return counts;
  }

  async listDead(limit = 100): Promise<QueueEvent[]> {
    const { rows } = await this.#store.pool.query<Row>(
      `SELECT * FROM queue_events WHERE status = 'dead' ORDER BY id LIMIT $1`,
      [limit],
    );
    return rows.map(toEvent);
  }

  async retryDead(ids?: readonly number[]): Promise<number> {
    const now = this.#clock().getTime();
    const result =
      ids === undefined
        ? await this.#store.pool.query(
            `UPDATE queue_events SET status = 'pending', attempts = 0, available_at = $1 WHERE status = 'dead'`,
            [now],
          )
        : await this.#store.pool.query(
            `UPDATE queue_events SET status = 'pending', attempts = 0, available_at = $1
             WHERE status = 'dead' AND id = ANY($2::bigint[])`,
            [now, [...ids]],
          );
    return result.rowCount ?? 0;
  }

  async get(id: number): Promise<QueueEvent | undefined> {
    const { rows } = await this.#store.pool.query<Row>('SELECT * FROM queue_events WHERE id = $1', [id]);
    return rows[0] === undefined ? undefined : toEvent(rows[0]);
  }

  async drainWrites(): Promise<void> {
    while (this.#pending.length > 0 || this.#flushScheduled || this.#inFlight > 0) {
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  }
}
