import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { Worker } from 'node:worker_threads';
import { SqliteEventWriter } from './sqlite-event-writer.ts';

export type QueueStatus = 'pending' | 'processing' | 'done' | 'dead';

export interface NewQueueEvent {
  /** Same key twice = same event: the second is recognised as a duplicate and never applied again. */
  readonly idempotencyKey: string;
  readonly kind: string;
  /** Events of one group (e.g. one ticket) are never processed at the same time. */
  readonly groupKey?: string | null;
  readonly payload: unknown;
  /**
   * A webhook's signature. The same signature with the same idempotency key is a replayed request (refused);
   * with another key it is a distinct invocation that happens to carry the same body in the same second.
   */
  readonly signature?: string | null;
}

export type EnqueueOutcome =
  | { readonly outcome: 'accepted'; readonly id: number }
  | { readonly outcome: 'duplicate'; readonly id: number }
  | { readonly outcome: 'replay' };

export interface QueueEvent {
  readonly id: number;
  /** Set by `claim`: completing or failing the event needs it, so a worker whose lease was taken over cannot. */
  readonly leaseToken: string | null;
  readonly idempotencyKey: string;
  readonly kind: string;
  readonly groupKey: string | null;
  readonly payload: unknown;
  readonly status: QueueStatus;
  readonly attempts: number;
  readonly acceptedAt: Date;
  readonly availableAt: Date;
  readonly lastError: string | null;
}

export interface RetryPolicy {
  /** After this many failed attempts the event goes to the dead-letter list. */
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 8,
  baseDelayMs: 1000,
  maxDelayMs: 5 * 60_000,
};

/** Exponential backoff: base, 2·base, 4·base… capped. */
export function computeBackoffMs(attempts: number, policy: RetryPolicy): number {
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempts - 1));
}

interface Row {
  id: number;
  idempotency_key: string;
  kind: string;
  group_key: string | null;
  payload: string;
  status: QueueStatus;
  attempts: number;
  accepted_at: number;
  available_at: number;
  last_error: string | null;
  lease_token: string | null;
}

function toEvent(row: Row): QueueEvent {
  return {
    id: row.id,
    leaseToken: row.lease_token,
    idempotencyKey: row.idempotency_key,
    kind: row.kind,
    groupKey: row.group_key,
    payload: JSON.parse(row.payload) as unknown,
    status: row.status,
    attempts: row.attempts,
    acceptedAt: new Date(row.accepted_at),
    availableAt: new Date(row.available_at),
    lastError: row.last_error,
  };
}

export type Awaitable<T> = T | Promise<T>;

/**
 * What an event's handler may give back: its database effect, committed in the same transaction as the event's
 * completion (so it happens once even if the event runs twice). `Tx` is the queue's connection: a `DatabaseSync`
 * for SQLite (synchronous), a `pg` client for PostgreSQL.
 */
export type EventEffect<Tx> = (tx: Tx) => Awaitable<void>;

/**
 * The durable queue, whichever database holds it: `DurableQueue` (SQLite, one process) or `PostgresQueue`
 * (connectors/src/queue/postgres-queue.ts, several processes). Callers `await` every method.
 */
export interface EventQueue<Tx = unknown> {
  readonly retryPolicy: RetryPolicy;
  /** Resolves once the event is durable (committed). */
  enqueue(event: NewQueueEvent): Promise<EnqueueOutcome>;
  /** Leases up to `limit` ready events, the oldest unfinished one of each group only. */
  claim(limit: number, leaseMs: number): Awaitable<QueueEvent[]>;
  /** Marks a claimed event done (with its effect, atomically). False: the lease was lost, nothing was written. */
  complete(event: QueueEvent, effect?: EventEffect<Tx>): Awaitable<boolean>;
  /** Retry later with backoff, or dead-letter. 'lost': the lease was lost, nothing was written. */
  fail(event: QueueEvent, error: string, permanent?: boolean): Awaitable<'retry' | 'dead' | 'lost'>;
  depth(): Awaitable<number>;
  countByStatus(): Awaitable<Record<QueueStatus, number>>;
  listDead(limit?: number): Awaitable<QueueEvent[]>;
  retryDead(ids?: readonly number[]): Awaitable<number>;
  get(id: number): Awaitable<QueueEvent | undefined>;
  /** Resolves once every event handed to `enqueue` so far is committed (or failed). */
  drainWrites(): Promise<void>;
}

interface Pending {
  readonly event: NewQueueEvent;
  readonly resolve: (outcome: EnqueueOutcome) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * A durable, at-least-once queue in SQLite (one process). `enqueue` resolves only once the event is committed (group commit:
 * every event that arrived in the same turn of the event loop shares one transaction and one fsync).
 */
export class DurableQueue implements EventQueue<DatabaseSync> {
  readonly #db: DatabaseSync;
  readonly #clock: () => Date;
  readonly #policy: RetryPolicy;
  #pending: Pending[] = [];
  #flushScheduled = false;
  readonly #writer: SqliteEventWriter;
  readonly #thread: Worker | undefined;
  #threadSeq = 0;
  #inFlight = 0;
  readonly #waiting = new Map<number, Pending[]>();
  readonly #claim: StatementSync;
  readonly #complete: StatementSync;
  readonly #fail: StatementSync;

  constructor(
    db: DatabaseSync,
    options: {
      clock?: () => Date;
      retry?: RetryPolicy;
      /**
       * Commit accepted events from a worker thread with its own connection to this file, so that the event loop
       * never waits for their fsync (`synchronous` of that connection: FULL by default).
       */
      acceptThread?: { readonly path: string; readonly synchronous?: 'FULL' | 'NORMAL' };
    } = {},
  ) {
    this.#db = db;
    this.#clock = options.clock ?? (() => new Date());
    this.#policy = options.retry ?? DEFAULT_RETRY_POLICY;
    if (options.acceptThread !== undefined) {
      const thread = new Worker(new URL('./sqlite-accept-thread.ts', import.meta.url), {
        workerData: {
          path: options.acceptThread.path,
          synchronous: options.acceptThread.synchronous ?? 'FULL',
        },
      });
      thread.on('message', (reply: { seq: number; outcomes?: EnqueueOutcome[]; error?: string }) =>
        this.#settle(reply),
      );
      thread.on('error', (error) => this.#failAll(error));
      this.#thread = thread;
    }
    this.#writer = new SqliteEventWriter(db);
    // Same rule as PostgreSQL's (postgres-queue.ts): pending and due, or processing under a lease that ran out;
    // and the oldest unfinished event of its group.
    this.#claim = db.prepare(
      `UPDATE queue_events SET status = 'processing', lease_until = ?, attempts = attempts + 1,
              lease_token = lower(hex(randomblob(8)))
       WHERE id IN (
         SELECT e.id FROM queue_events e
         WHERE ((e.status = 'pending' AND e.available_at <= ?) OR (e.status = 'processing' AND e.lease_until <= ?))
           AND (e.group_key IS NULL OR NOT EXISTS (
             SELECT 1 FROM queue_events f
             WHERE f.group_key = e.group_key AND f.status IN ('pending', 'processing') AND f.id < e.id))
         ORDER BY e.id LIMIT ?)
       RETURNING *`,
    );
    this.#complete = db.prepare(
      `UPDATE queue_events SET status = 'done', done_at = ?, lease_until = NULL, last_error = NULL, lease_token = NULL
       WHERE id = ? AND (? IS NULL OR lease_token = ?)`,
    );
    this.#fail = db.prepare(
      `UPDATE queue_events SET status = ?, available_at = ?, lease_until = NULL, last_error = ?, lease_token = NULL
       WHERE id = ? AND (? IS NULL OR lease_token = ?)`,
    );
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

  #schedule(): void {
    // With a writer thread, one batch at a time: what arrives meanwhile forms the next (group commit).
    if (this.#flushScheduled || this.#inFlight > 0) return;
    this.#flushScheduled = true;
    setImmediate(() => this.#flush());
  }

  /** Commits every waiting event in one transaction, then answers each caller. */
  #flush(): void {
    this.#flushScheduled = false;
    const batch = this.#pending;
    this.#pending = [];
    if (batch.length === 0) return;
    const now = this.#clock().getTime();
    if (this.#thread !== undefined) {
      const seq = ++this.#threadSeq;
      this.#waiting.set(seq, batch);
      this.#inFlight++;
      this.#thread.postMessage({ seq, events: batch.map((waiter) => waiter.event), now });
      return;
    }
    let outcomes: EnqueueOutcome[];
    try {
      outcomes = this.#writer.write(
        batch.map((waiter) => waiter.event),
        now,
      );
    } catch (error) {
      for (const waiter of batch) waiter.reject(error);
      return;
    }
    batch.forEach((waiter, index) => waiter.resolve(outcomes[index]!));
  }

  #settle(reply: { seq: number; outcomes?: EnqueueOutcome[]; error?: string }): void {
    const batch = this.#waiting.get(reply.seq) ?? [];
    this.#waiting.delete(reply.seq);
    this.#inFlight--;
    if (reply.outcomes === undefined) {
      const error = new Error(reply.error ?? 'the accept writer failed');
      for (const waiter of batch) waiter.reject(error);
    } else batch.forEach((waiter, index) => waiter.resolve(reply.outcomes![index]!));
    if (this.#pending.length > 0) this.#schedule();
  }

  #failAll(error: unknown): void {
    for (const batch of this.#waiting.values()) for (const waiter of batch) waiter.reject(error);
    this.#waiting.clear();
    this.#inFlight = 0;
  }

  /** Stops the writer thread (after `drainWrites`). */
  async close(): Promise<void> {
    await this.drainWrites();
    if (this.#thread !== undefined) await this.#thread.terminate();
  }

  /** Leases up to `limit` ready events (one per group) for `leaseMs`. */
  claim(limit: number, leaseMs: number): QueueEvent[] {
    const now = this.#clock().getTime();
    const rows = this.#claim.all(now + leaseMs, now, now, limit) as unknown as Row[];
    return rows.sort((a, b) => a.id - b.id).map(toEvent);
  }

  /**
   * Marks the event done, with `effect` in the same transaction. A bare id skips the lease check (tools, tests);
   * a claimed event must still hold its lease.
   */
  complete(event: QueueEvent | number, effect?: EventEffect<DatabaseSync>): boolean {
    const [id, token] = typeof event === 'number' ? [event, null] : [event.id, event.leaseToken];
    const finish = (): boolean =>
      Number(this.#complete.run(this.#clock().getTime(), id, token, token).changes) === 1;
    if (effect === undefined) return finish();
    this.#db.exec('BEGIN IMMEDIATE');
    try {
      const done = finish();
      if (done) {
        const result = effect(this.#db);
        if (result instanceof Promise) throw new Error('A SQLite event effect must be synchronous.');
      }
      this.#db.exec(done ? 'COMMIT' : 'ROLLBACK');
      return done;
    } catch (error) {
      this.#db.exec('ROLLBACK');
      throw error;
    }
  }

  /** Schedules a retry with backoff, or dead-letters the event when its attempts are spent or `permanent`. */
  fail(event: QueueEvent, error: string, permanent = false): 'retry' | 'dead' | 'lost' {
    const now = this.#clock().getTime();
    const dead = permanent || event.attempts >= this.#policy.maxAttempts;
    const availableAt = dead ? now : now + computeBackoffMs(event.attempts, this.#policy);
    const token = event.leaseToken;
    const changes = this.#fail.run(
      dead ? 'dead' : 'pending',
      availableAt,
      error.slice(0, 2000),
      event.id,
      token,
      token,
    ).changes;
    if (Number(changes) !== 1) return 'lost';
    return dead ? 'dead' : 'retry';
  }

  /** After a crash: leases held by a previous run of this service are void (SQLite: one process owns the queue). */
  releaseAllLeases(): number {
    const result = this.#db
      .prepare(
        `UPDATE queue_events SET status = 'pending', lease_until = NULL, lease_token = NULL WHERE status = 'processing'`,
      )
      .run();
    return Number(result.changes);
  }

  /** Events that are not done yet (pending or processing). */
  depth(): number {
    const row = this.#db
      .prepare(`SELECT COUNT(*) AS n FROM queue_events WHERE status IN ('pending', 'processing')`)
      .get() as { n: number };
    return row.n;
  }

  countByStatus(): Record<QueueStatus, number> {
    const counts: Record<QueueStatus, number> = { pending: 0, processing: 0, done: 0, dead: 0 };
    const rows = this.#db.prepare('SELECT status, COUNT(*) AS n FROM queue_events GROUP BY status').all() as {
      status: QueueStatus;
      n: number;
    }[];
    for (const row of rows) counts[row.status] = row.n;
    return counts;
  }

  listDead(limit = 100): QueueEvent[] {
    const rows = this.#db
      .prepare(`SELECT * FROM queue_events WHERE status = 'dead' ORDER BY id LIMIT ?`)
      .all(limit) as unknown as Row[];
    return rows.map(toEvent);
  }

  /** Puts dead-lettered events back in the queue with fresh attempts. `ids` absent: every dead event. */
  retryDead(ids?: readonly number[]): number {
    const now = this.#clock().getTime();
    if (ids === undefined) {
      const result = this.#db
        .prepare(
          `UPDATE queue_events SET status = 'pending', attempts = 0, available_at = ? WHERE status = 'dead'`,
        )
        .run(now);
      return Number(result.changes);
    }
    const statement = this.#db.prepare(
      `UPDATE queue_events SET status = 'pending', attempts = 0, available_at = ? WHERE status = 'dead' AND id = ?`,
    );
    let changed = 0;
    for (const id of ids) changed += Number(statement.run(now, id).changes);
    return changed;
  }

  get(id: number): QueueEvent | undefined {
    const row = this.#db.prepare('SELECT * FROM queue_events WHERE id = ?').get(id) as Row | undefined;
    return row === undefined ? undefined : toEvent(row);
  }

  /** Resolves once every event handed to `enqueue` so far is committed. */
  async drainWrites(): Promise<void> {
    while (this.#pending.length > 0 || this.#flushScheduled || this.#inFlight > 0) {
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
}
