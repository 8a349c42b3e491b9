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

  /** One INSERT for the whole batch (a single statement: all durable or none), plus two lookups. */
  async #insertBatch(events: readonly NewQueueEvent[]): Promise<EnqueueOutcome[]> {
    const now = this.#clock().getTime();
    const pool = this.#store.pool;
    const signatures = [
      ...new Set(
        events.flatMap((e) => (e.signature === undefined || e.signature === null ? [] : [e.signature])),
      ),
    ];
    const seen = new Set<string>();
    if (signatures.length > 0) {
      const { rows } = await pool.query<{ signature: string; idempotency_key: string }>(
        'SELECT signature, idempotency_key FROM queue_events WHERE signature = ANY($1::text[])',
        [signatures],
      );
      for (const row of rows) seen.add(`${row.signature}\u0000${row.idempotency_key}`);
    }
    // Replays (same signature and key as a stored or earlier request) are refused; the rest go in one statement.
    const replay = events.map((event) => {
      if (event.signature === undefined || event.signature === null) return false;
      const pair = `${event.signature}\u0000${event.idempotencyKey}`;
      if (seen.has(pair)) return true;
      seen.add(pair);
      return false;
    });
    const keys = new Set<string>();
    const toInsert = events.filter((event, index) => {
      if (replay[index] || keys.has(event.idempotencyKey)) return false;
      keys.add(event.idempotencyKey);
      return true;
    });
    const ids = new Map<string, number>();
    if (toInsert.length > 0) {
      const { rows } = await pool.query<{ id: string; idempotency_key: string }>(
        `INSERT INTO queue_events (idempotency_key, kind, group_key, payload, signature, accepted_at, available_at)
         SELECT t.key, t.kind, t.grp, t.payload, t.sig, $6, $6
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) WITH ORDINALITY
              AS t(key, kind, grp, payload, sig, ord)
         ORDER BY t.ord
         ON CONFLICT (idempotency_key) DO NOTHING
         RETURNING id, idempotency_key`,
        [
          toInsert.map((e) => e.idempotencyKey),
          toInsert.map((e) => e.kind),
          toInsert.map((e) => e.groupKey ?? null),
          toInsert.map((e) => JSON.stringify(e.payload)),
          toInsert.map((e) => e.signature ?? null),
          now,
        ],
      );
      for (const row of rows) ids.set(row.idempotency_key, Number(row.id));
    }
    const accepted = new Set(ids.keys());
    const missing = [...keys].filter((key) => !ids.has(key));
    if (missing.length > 0) {
      const { rows } = await pool.query<{ id: string; idempotency_key: string }>(
        'SELECT id, idempotency_key FROM queue_events WHERE idempotency_key = ANY($1::text[])',
        [missing],
      );
      for (const row of rows) ids.set(row.idempotency_key, Number(row.id));
    }
    return events.map((event, index): EnqueueOutcome => {
      if (replay[index]) return { outcome: 'replay' };
      const id = ids.get(event.idempotencyKey)!;
      // The first event of a key in this batch was the one inserted; later ones are duplicates.
      if (accepted.delete(event.idempotencyKey)) return { outcome: 'accepted', id };
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
