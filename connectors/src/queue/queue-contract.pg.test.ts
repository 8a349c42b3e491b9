import type { DatabaseSync } from 'node:sqlite';
import type pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../store/index.ts';
import { openPostgresStore } from '../store/postgres.ts';
import { freshPostgresDatabase } from '../store/testing-postgres.ts';
import { DurableQueue, type EventEffect, type EventQueue } from './durable-queue.ts';
import { PostgresQueue } from './postgres-queue.ts';
import { QUEUE_SCHEMA } from './queue-schema.ts';
import { startQueueWorkers } from './queue-workers.ts';

/** One queue under test, with a table its effects write to, whichever database holds it. */
interface Subject {
  readonly queue: EventQueue;
  advance(ms: number): void;
  /** An effect that records `key` (no unique constraint: a duplicate effect would show). */
  effect(key: string): EventEffect<unknown>;
  effects(): Promise<string[]>;
  close(): Promise<void>;
}

const RETRY = { maxAttempts: 3, baseDelayMs: 1000, maxDelayMs: 60_000 };

async function sqliteSubject(): Promise<Subject> {
  let now = Date.parse('2026-11-22T10:00:00Z');
  const store = openStore(':memory:', [QUEUE_SCHEMA]);
  store.db.exec('CREATE TABLE effects (n INTEGER PRIMARY KEY, key TEXT NOT NULL)');
  const queue = new DurableQueue(store.db, { clock: () => new Date(now), retry: RETRY });
  return Promise.resolve({
    queue,
    advance: (ms) => (now += ms),
    effect: (key) =>
      ((db: DatabaseSync) => void db.prepare('INSERT INTO effects (key) VALUES (?)').run(key)) as never,
    effects: () =>
      Promise.resolve(
        (store.db.prepare('SELECT key FROM effects ORDER BY n').all() as { key: string }[]).map((r) => r.key),
      ),
    close: () => Promise.resolve(store.close()),
  });
}

async function postgresSubject(): Promise<Subject> {
  let now = Date.parse('2026-11-22T10:00:00Z');
  const store = await openPostgresStore(await freshPostgresDatabase(), [QUEUE_SCHEMA]);
  await store.pool.query('CREATE TABLE effects (n BIGSERIAL PRIMARY KEY, key TEXT NOT NULL)');
  const queue = new PostgresQueue(store, { clock: () => new Date(now), retry: RETRY });
  return {
    queue,
    advance: (ms) => (now += ms),
    effect: (key) => {
      const write = async (client: pg.ClientBase): Promise<void> => {
        await client.query('INSERT INTO effects (key) VALUES ($1)', [key]);
      };
      return write as EventEffect<unknown>;
    },
    effects: async () =>
      (await store.pool.query<{ key: string }>('SELECT key FROM effects ORDER BY n')).rows.map((r) => r.key),
    close: () => store.close(),
  };
}

const open: Subject[] = [];
afterEach(async () => {
  for (const subject of open.splice(0)) await subject.close();
});

describe.each([
  ['SQLite', sqliteSubject],
  ['PostgreSQL', postgresSubject],
])('the durable queue on %s', (_name, make) => {
  const subject = async (): Promise<Subject> => {
    const made = await make();
    open.push(made);
    return made;
  };

  it('accepts an event once, and recognises its duplicate and its replayed signature', async () => {
    const { queue } = await subject();
    const [first, again, replay, otherInvocation] = await Promise.all([
      queue.enqueue({ idempotencyKey: 'a', kind: 'k', payload: { n: 1 }, signature: 'sig-1' }),
      queue.enqueue({ idempotencyKey: 'a', kind: 'k', payload: { n: 1 }, signature: 'sig-2' }),
      queue.enqueue({ idempotencyKey: 'a', kind: 'k', payload: { n: 1 }, signature: 'sig-1' }),
      queue.enqueue({ idempotencyKey: 'b', kind: 'k', payload: { n: 1 }, signature: 'sig-1' }),
    ]);
    expect(first).toEqual({ outcome: 'accepted', id: 1 });
    expect(again).toEqual({ outcome: 'duplicate', id: 1 });
    expect(replay).toEqual({ outcome: 'replay' });
    // PostgreSQL's sequences may leave gaps: ids are only distinct and increasing.
    expect(otherInvocation).toMatchObject({ outcome: 'accepted' });
    const otherId = (otherInvocation as { id: number }).id;
    expect(otherId).toBeGreaterThan(1);
    // Later batches too.
    expect(await queue.enqueue({ idempotencyKey: 'a', kind: 'k', payload: null })).toEqual({
      outcome: 'duplicate',
      id: 1,
    });
    expect(
      await queue.enqueue({ idempotencyKey: 'b', kind: 'k', payload: { n: 1 }, signature: 'sig-1' }),
    ).toEqual({ outcome: 'replay' });
    expect(await queue.depth()).toBe(2);
    expect(await queue.get(1)).toMatchObject({ idempotencyKey: 'a', payload: { n: 1 }, status: 'pending' });
    expect(await queue.get(otherId)).toMatchObject({ idempotencyKey: 'b' });
  });

  it('hands out one event per group at a time, oldest first', async () => {
    const { queue } = await subject();
    for (const [key, group] of [
      ['1', 't1'],
      ['2', 't1'],
      ['3', 't2'],
      ['4', null],
    ] as const)
      await queue.enqueue({ idempotencyKey: key, kind: 'k', groupKey: group, payload: key });
    const claimed = await queue.claim(10, 60_000);
    expect(claimed.map((e) => e.payload)).toEqual(['1', '3', '4']);
    expect(await queue.claim(10, 60_000)).toEqual([]);
    expect(await queue.complete(claimed[0]!)).toBe(true);
    expect((await queue.claim(10, 60_000)).map((e) => e.payload)).toEqual(['2']);
  });

  it('keeps a group waiting behind an event that waits for its retry', async () => {
    const { queue, advance } = await subject();
    await queue.enqueue({ idempotencyKey: '1', kind: 'k', groupKey: 't', payload: 1 });
    await queue.enqueue({ idempotencyKey: '2', kind: 'k', groupKey: 't', payload: 2 });
    const [first] = await queue.claim(10, 60_000);
    expect(await queue.fail(first!, 'boom')).toBe('retry');
    expect(await queue.claim(10, 60_000)).toEqual([]);
    advance(1000);
    expect((await queue.claim(10, 60_000)).map((e) => [e.payload, e.attempts])).toEqual([[1, 2]]);
  });

  it('retries with backoff, dead-letters after the last attempt, and retries dead letters on demand', async () => {
    const { queue, advance } = await subject();
    await queue.enqueue({ idempotencyKey: 'x', kind: 'k', payload: null });
    for (let attempt = 1; attempt <= 3; attempt++) {
      const [event] = await queue.claim(1, 60_000);
      expect(event?.attempts).toBe(attempt);
      expect(await queue.fail(event!, 'boom')).toBe(attempt < 3 ? 'retry' : 'dead');
      expect(await queue.claim(1, 60_000)).toEqual([]);
      advance(10_000);
    }
    expect((await queue.listDead()).map((e) => e.lastError)).toEqual(['boom']);
    expect(await queue.countByStatus()).toEqual({ pending: 0, processing: 0, done: 0, dead: 1 });
    expect(await queue.retryDead([99])).toBe(0);
    expect(await queue.retryDead()).toBe(1);
    expect(await queue.claim(1, 60_000)).toHaveLength(1);
  });

  it('lets another worker take over an expired lease, and fences the first one out', async () => {
    const { queue, advance, effect, effects } = await subject();
    await queue.enqueue({ idempotencyKey: 'e', kind: 'k', groupKey: 't', payload: null });
    await queue.enqueue({ idempotencyKey: 'f', kind: 'k', groupKey: 't', payload: null });
    const [slow] = await queue.claim(1, 1000);
    advance(500);
    expect(await queue.claim(1, 1000)).toEqual([]); // lease still held, and 'f' waits behind 'e'
    advance(600);
    const [takeover] = await queue.claim(5, 1000);
    expect(takeover).toMatchObject({ id: slow!.id, attempts: 2 });
    expect(takeover!.leaseToken).not.toBe(slow!.leaseToken);
    // The first worker comes back: neither its completion nor its effect is recorded.
    expect(await queue.complete(slow!, effect('slow'))).toBe(false);
    expect(await queue.fail(slow!, 'late')).toBe('lost');
    expect(await queue.complete(takeover!, effect('takeover'))).toBe(true);
    expect(await queue.complete(takeover!, effect('again'))).toBe(false);
    expect(await effects()).toEqual(['takeover']);
    expect((await queue.claim(5, 1000)).map((e) => e.idempotencyKey)).toEqual(['f']);
  });

  it('runs workers that commit each effect with its completion', async () => {
    const { queue, effect, effects } = await subject();
    for (let n = 0; n < 20; n++)
      await queue.enqueue({ idempotencyKey: `k${n}`, kind: 'k', groupKey: `t${n % 3}`, payload: n });
    const workers = startQueueWorkers({
      queue,
      concurrency: 4,
      pollMs: 5,
      handle: (event) => Promise.resolve(effect(`e${String(event.payload)}`)),
    });
    await workers.idle();
    await workers.stop();
    const seen = await effects();
    expect([...seen].sort()).toEqual(Array.from({ length: 20 }, (_, n) => `e${n}`).sort());
    for (const group of [0, 1, 2]) {
      const order = seen.map((key) => Number(key.slice(1))).filter((n) => n % 3 === group);
      expect(order).toEqual([...order].sort((a, b) => a - b));
    }
    expect(await queue.countByStatus()).toMatchObject({ done: 20, pending: 0, processing: 0 });
  });
});
