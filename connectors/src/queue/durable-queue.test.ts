import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DurableQueue, computeBackoffMs } from './durable-queue.ts';
import { openStore } from '../store/index.ts';
import { QUEUE_SCHEMA } from './queue-schema.ts';
import { DatabaseUnavailableError } from '../store/postgres.ts';
import type { EventQueue } from './durable-queue.ts';
import { PermanentEventError, startQueueWorkers } from './queue-workers.ts';

function makeQueue(start = new Date('2026-11-22T10:00:00Z')) {
  let now = start.getTime();
  const db = openStore(':memory:', [QUEUE_SCHEMA]).db;
  const queue = new DurableQueue(db, {
    clock: () => new Date(now),
    retry: { maxAttempts: 3, baseDelayMs: 1000, maxDelayMs: 60_000 },
  });
  return { queue, db, advance: (ms: number) => (now += ms) };
}

describe('DurableQueue', () => {
  it('accepts an event once and recognises its duplicate and its replayed signature', async () => {
    const { queue } = makeQueue();
    const [first, again, replay, sameBodyOtherInvocation] = await Promise.all([
      queue.enqueue({ idempotencyKey: 'a', kind: 'k', payload: { n: 1 }, signature: 'sig-1' }),
      queue.enqueue({ idempotencyKey: 'a', kind: 'k', payload: { n: 1 }, signature: 'sig-2' }),
      queue.enqueue({ idempotencyKey: 'a', kind: 'k', payload: { n: 1 }, signature: 'sig-1' }),
      queue.enqueue({ idempotencyKey: 'b', kind: 'k', payload: { n: 1 }, signature: 'sig-1' }),
    ]);
    expect(first).toEqual({ outcome: 'accepted', id: 1 });
    expect(again).toEqual({ outcome: 'duplicate', id: 1 });
    expect(replay).toEqual({ outcome: 'replay' });
    expect(sameBodyOtherInvocation).toEqual({ outcome: 'accepted', id: 2 });
    expect(queue.depth()).toBe(2);
  });

  it('never hands out two events of one group at once, and keeps their order', async () => {
    const { queue } = makeQueue();
    await Promise.all([
      queue.enqueue({ idempotencyKey: '1', kind: 'k', groupKey: 't1', payload: 1 }),
      queue.enqueue({ idempotencyKey: '2', kind: 'k', groupKey: 't1', payload: 2 }),
      queue.enqueue({ idempotencyKey: '3', kind: 'k', groupKey: 't2', payload: 3 }),
    ]);
    const claimed = queue.claim(10, 1000);
    expect(claimed.map((event) => event.payload)).toEqual([1, 3]);
    expect(queue.claim(10, 1000)).toEqual([]);
    queue.complete(claimed[0]!.id);
    expect(queue.claim(10, 1000).map((event) => event.payload)).toEqual([2]);
  });

  it('retries with backoff, then dead-letters, and `retryDead` brings it back', async () => {
    const { queue, advance } = makeQueue();
    await queue.enqueue({ idempotencyKey: 'x', kind: 'k', payload: null });
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      const [event] = queue.claim(1, 1000);
      expect(event?.attempts).toBe(attempt);
      expect(queue.fail(event!, 'boom')).toBe(attempt < 3 ? 'retry' : 'dead');
      expect(queue.claim(1, 1000)).toEqual([]);
      advance(computeBackoffMs(attempt, queue.retryPolicy));
    }
    expect(queue.listDead().map((event) => event.lastError)).toEqual(['boom']);
    expect(queue.retryDead()).toBe(1);
    expect(queue.claim(1, 1000)).toHaveLength(1);
  });

  it('releases leases left by a crashed run', async () => {
    const { queue } = makeQueue();
    await queue.enqueue({ idempotencyKey: 'x', kind: 'k', payload: null });
    expect(queue.claim(1, 60_000)).toHaveLength(1);
    expect(queue.claim(1, 60_000)).toHaveLength(0);
    expect(queue.releaseAllLeases()).toBe(1);
    expect(queue.claim(1, 60_000)).toHaveLength(1);
  });

  it('computes exponential backoff with a cap', () => {
    const policy = { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 1000 };
    expect([1, 2, 3, 4, 5].map((n) => computeBackoffMs(n, policy))).toEqual([100, 200, 400, 800, 1000]);
  });
});

describe('startQueueWorkers', () => {
  it('processes every event, retries a failure and dead-letters a permanent one', async () => {
    const { queue } = makeQueue(new Date());
    const seen: string[] = [];
    let failures = 0;
    const dead: number[] = [];
    for (const key of ['ok-1', 'flaky', 'bad', 'ok-2'])
      await queue.enqueue({ idempotencyKey: key, kind: 'k', payload: key });
    const workers = startQueueWorkers({
      queue,
      concurrency: 2,
      pollMs: 5,
      handle: (event) => {
        const key = event.payload as string;
        if (key === 'bad') return Promise.reject(new PermanentEventError('bad payload'));
        if (key === 'flaky' && failures === 0) {
          failures += 1;
          return Promise.reject(new Error('temporarily down'));
        }
        seen.push(key);
        return Promise.resolve();
      },
      events: { deadLettered: (event) => dead.push(event.id) },
    });
    await workers.idle();
    await workers.stop();
    expect(seen.sort()).toEqual(['ok-1', 'ok-2']);
    expect(dead).toHaveLength(1);
    expect(queue.countByStatus()).toMatchObject({ done: 2, dead: 1, pending: 1 });
  });

  /** The queue, whose `complete` and `fail` throw "database unreachable" the next `outages.left` times. */
  function unreachableFor(queue: DurableQueue, outages: { left: number }): EventQueue {
    return new Proxy(queue, {
      get(target, property) {
        const value: unknown = Reflect.get(target, property);
        if (typeof value !== 'function') return value;
        const method = (value as (...args: unknown[]) => unknown).bind(target);
        if (property !== 'complete' && property !== 'fail') return method;
        return (...args: unknown[]) => {
          if (outages.left <= 0) return method(...args);
          outages.left -= 1;
          throw new DatabaseUnavailableError('connect ECONNREFUSED 127.0.0.1:5432');
        };
      },
    });
  }

  it('records an outcome again once the database is back, without running the event twice', async () => {
    const { queue } = makeQueue(new Date());
    const outages = { left: 3 };
    await queue.enqueue({ idempotencyKey: 'ok', kind: 'k', payload: 'ok' });
    const runs: unknown[] = [];
    const unavailable: unknown[] = [];
    const workers = startQueueWorkers({
      queue: unreachableFor(queue, outages),
      concurrency: 1,
      pollMs: 5,
      leaseMs: 60_000,
      isUnavailable: (error) => error instanceof DatabaseUnavailableError,
      handle: (event) => Promise.resolve(void runs.push(event.payload)),
      events: { unavailable: (error) => unavailable.push(error) },
    });
    await workers.idle();
    await workers.stop();
    expect(runs).toEqual(['ok']);
    expect(unavailable).toHaveLength(3);
    expect(outages.left).toBe(0);
    expect(queue.countByStatus()).toMatchObject({ done: 1, processing: 0 });
  });

  it('without `isUnavailable`, or once stopped, leaves an unrecorded outcome to the lease', async () => {
    for (const isUnavailable of [undefined, () => true]) {
      const { queue } = makeQueue(new Date());
      await queue.enqueue({ idempotencyKey: 'ok', kind: 'k', payload: 'ok' });
      let ran = 0;
      const workers = startQueueWorkers({
        queue: unreachableFor(queue, { left: Number.POSITIVE_INFINITY }),
        concurrency: 1,
        pollMs: 5,
        leaseMs: 60_000,
        ...(isUnavailable === undefined ? {} : { isUnavailable }),
        handle: () => Promise.resolve(void (ran += 1)),
      });
      while (ran === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      // stop() does not wait out the lease (a minute) while the outcome cannot be recorded.
      await workers.stop();
      expect(ran).toBe(1);
      expect(queue.countByStatus()).toMatchObject({ processing: 1, done: 0 });
    }
  });
});

describe('DurableQueue with its accept writer in a worker thread', () => {
  it('commits from the thread with the same outcomes, visible to the main connection', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'boucle-accept-thread-'));
    const path = join(dir, 'queue.sqlite');
    const store = openStore(path, [QUEUE_SCHEMA]);
    const queue = new DurableQueue(store.db, { acceptThread: { path } });
    try {
      const outcomes = await Promise.all([
        queue.enqueue({ idempotencyKey: 'a', kind: 'k', groupKey: 't', payload: 1, signature: 's1' }),
        queue.enqueue({ idempotencyKey: 'a', kind: 'k', groupKey: 't', payload: 1, signature: 's2' }),
        queue.enqueue({ idempotencyKey: 'a', kind: 'k', groupKey: 't', payload: 1, signature: 's1' }),
        queue.enqueue({ idempotencyKey: 'b', kind: 'k', groupKey: 't', payload: 2 }),
      ]);
      expect(outcomes).toEqual([
        { outcome: 'accepted', id: 1 },
        { outcome: 'duplicate', id: 1 },
        { outcome: 'replay' },
        { outcome: 'accepted', id: 2 },
      ]);
      // Many small batches while the thread commits: every one answered, in order.
      const more = await Promise.all(
        Array.from({ length: 200 }, (_, n) =>
          queue.enqueue({ idempotencyKey: `m${n}`, kind: 'k', payload: n }),
        ),
      );
      expect(more.map((o) => o.outcome)).toEqual(Array.from({ length: 200 }, () => 'accepted'));
      expect(queue.depth()).toBe(202);
      expect(queue.claim(10, 1000).map((e) => e.payload)).toEqual([1, 0, 1, 2, 3, 4, 5, 6, 7, 8]);
    } finally {
      await queue.close();
      store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
