import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { EnqueueOutcome, NewQueueEvent } from './durable-queue.ts';

/** Stores a batch of accepted events in one SQLite transaction (one commit, one fsync), saying what each became. */
export class SqliteEventWriter {
  readonly #db: DatabaseSync;
  readonly #insert: StatementSync;
  readonly #byKey: StatementSync;
  readonly #bySignature: StatementSync;

  constructor(db: DatabaseSync) {
    this.#db = db;
    this.#insert = db.prepare(
      `INSERT INTO queue_events (idempotency_key, kind, group_key, payload, signature, accepted_at, available_at)
       VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (idempotency_key) DO NOTHING RETURNING id`,
    );
    this.#byKey = db.prepare('SELECT id FROM queue_events WHERE idempotency_key = ?');
    this.#bySignature = db.prepare('SELECT id FROM queue_events WHERE signature = ? AND idempotency_key = ?');
  }

  write(events: readonly NewQueueEvent[], now: number): EnqueueOutcome[] {
    const outcomes: EnqueueOutcome[] = [];
    this.#db.exec('BEGIN IMMEDIATE');
    try {
      for (const event of events) outcomes.push(this.#insertOne(event, now));
      this.#db.exec('COMMIT');
    } catch (error) {
      this.#db.exec('ROLLBACK');
      throw error;
    }
    return outcomes;
  }

  #insertOne(event: NewQueueEvent, now: number): EnqueueOutcome {
    const signature = event.signature ?? null;
    if (signature !== null && this.#bySignature.get(signature, event.idempotencyKey) !== undefined) {
      return { outcome: 'replay' };
    }
    const inserted = this.#insert.get(
      event.idempotencyKey,
      event.kind,
      event.groupKey ?? null,
      JSON.stringify(event.payload),
      signature,
      now,
      now,
    ) as { id: number } | undefined;
    if (inserted !== undefined) return { outcome: 'accepted', id: inserted.id };
    const existing = this.#byKey.get(event.idempotencyKey) as { id: number };
    return { outcome: 'duplicate', id: existing.id };
  }
}
