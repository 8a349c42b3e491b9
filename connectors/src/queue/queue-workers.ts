import type { EventEffect, EventQueue, QueueEvent } from './durable-queue.ts';

/** Thrown by a handler when retrying cannot help (bad payload, unknown kind): the event is dead-lettered at once. */
export class PermanentEventError extends Error {
  override readonly name = 'PermanentEventError';
}

/**
 * Handles one event. It may return its database effect, which the queue commits together with the event's
 * completion (applied once in effect, even when the event runs twice after a crash).
 */
export type EventHandler<Tx = unknown> = (event: QueueEvent) => Promise<void | EventEffect<Tx>>;

export interface WorkerEvents {
  processed?(event: QueueEvent, durationMs: number): void;
  retried?(event: QueueEvent, error: unknown): void;
  deadLettered?(event: QueueEvent, error: unknown): void;
  /** The event's lease was taken over by another worker before it finished: its outcome was not recorded. */
  leaseLost?(event: QueueEvent): void;
  /** The queue's database could not be reached; the workers retry with backoff. */
  unavailable?(error: unknown): void;
}

export interface QueueWorkersOptions<Tx = unknown> {
  readonly queue: EventQueue<Tx>;
  readonly handle: EventHandler<Tx>;
  /** Events processed at the same time (never two of one group). */
  readonly concurrency: number;
  /** How long a claimed event stays reserved; after that another worker may take it over. */
  readonly leaseMs?: number;
  /** Idle polling interval; `wake()` short-circuits it. */
  readonly pollMs?: number;
  readonly events?: WorkerEvents;
  /**
   * True when an error means the queue's database cannot be reached for now (PostgreSQL restarting, say). An
   * event's outcome that could not be recorded for that reason is recorded again, backing off, for as long as its
   * lease lasts; otherwise (or without this) it is left to the lease running out, and the event runs again.
   */
  readonly isUnavailable?: (error: unknown) => boolean;
}

export interface QueueWorkers {
  /** Look for work now (call after an enqueue). */
  wake(): void;
  /** Resolves when nothing is ready and nothing is running (events waiting for a retry delay are not awaited). */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

const MAX_UNAVAILABLE_BACKOFF_MS = 5000;

/** Runs queued events through `handle`, at least once each, with retries and a dead-letter list. */
export function startQueueWorkers<Tx>(options: QueueWorkersOptions<Tx>): QueueWorkers {
  const { queue, handle, concurrency } = options;
  const leaseMs = options.leaseMs ?? 5 * 60_000;
  const pollMs = options.pollMs ?? 250;
  const running = new Set<Promise<void>>();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let idleWaiters: (() => void)[] = [];
  let pumping = false;
  let again = false;
  let failures = 0;

  const report = (error: unknown): void => options.events?.unavailable?.(error);
  // Waits that stop() cuts short.
  const pauses = new Set<() => void>();
  const pause = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timeout);
        pauses.delete(done);
        resolve();
      };
      const timeout = setTimeout(done, ms);
      pauses.add(done);
    });

  /**
   * Records an event's outcome. While the database cannot be reached, tries again (backing off like the claims)
   * as long as the lease is ours: once the server is back the outcome is recorded at once, instead of the event
   * waiting for its lease to run out (BOUCLE_LEASE, minutes) and running a second time. Fenced by the lease token
   * as always: an attempt that did commit before its answer was lost makes the next one find nothing to change.
   */
  const recordOutcome = async <T>(write: () => T | Promise<T>, leaseEnds: number): Promise<T> => {
    for (let failures = 1; ; failures++) {
      try {
        return await write();
      } catch (error) {
        const wait = Math.min(MAX_UNAVAILABLE_BACKOFF_MS, pollMs * 2 ** failures);
        if (stopped || options.isUnavailable?.(error) !== true || Date.now() + wait >= leaseEnds) throw error;
        report(error);
        await pause(wait);
      }
    }
  };

  const runOne = async (event: QueueEvent, leaseEnds: number): Promise<void> => {
    const started = performance.now();
    try {
      let effect: void | EventEffect<Tx>;
      try {
        effect = await handle(event);
      } catch (error) {
        const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        const outcome = await recordOutcome(
          () => queue.fail(event, message, error instanceof PermanentEventError),
          leaseEnds,
        );
        if (outcome === 'dead') options.events?.deadLettered?.(event, error);
        else if (outcome === 'retry') options.events?.retried?.(event, error);
        else options.events?.leaseLost?.(event);
        return;
      }
      const done = await recordOutcome(() => queue.complete(event, effect ?? undefined), leaseEnds);
      if (done) options.events?.processed?.(event, performance.now() - started);
      else options.events?.leaseLost?.(event);
    } catch (error) {
      // The queue itself failed and the lease is (nearly) over: it runs out and the event is claimed again.
      report(error);
    }
  };

  const schedule = (ms: number): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(kick, ms);
  };

  const pump = async (): Promise<void> => {
    if (timer !== undefined) {
      clearTimeout(timer);
      timer = undefined;
    }
    if (stopped) return;
    const free = concurrency - running.size;
    let claimed: QueueEvent[] = [];
    // No later than the lease the queue writes (it reads its clock after this).
    const leaseEnds = Date.now() + leaseMs;
    if (free > 0) {
      try {
        claimed = await queue.claim(free, leaseMs);
        failures = 0;
      } catch (error) {
        failures++;
        report(error);
        if (!stopped) schedule(Math.min(MAX_UNAVAILABLE_BACKOFF_MS, pollMs * 2 ** failures));
        return;
      }
    }
    if (stopped) return;
    for (const event of claimed) {
      const task = runOne(event, leaseEnds).finally(() => {
        running.delete(task);
        kick();
      });
      running.add(task);
    }
    if (running.size === 0 && claimed.length === 0) {
      const waiters = idleWaiters;
      idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
    if (running.size < concurrency) schedule(pollMs);
  };

  // One pump at a time; a kick during a pump runs another right after it.
  function kick(): void {
    if (pumping) {
      again = true;
      return;
    }
    pumping = true;
    void pump().finally(() => {
      pumping = false;
      if (again && !stopped) {
        again = false;
        kick();
      }
    });
  }

  queueMicrotask(kick);

  return {
    wake() {
      if (!stopped) setImmediate(kick);
    },
    idle() {
      return new Promise((resolve) => {
        idleWaiters.push(resolve);
        setImmediate(kick);
      });
    },
    async stop() {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      for (const cut of [...pauses]) cut();
      await Promise.allSettled([...running]);
      for (const resolve of idleWaiters) resolve();
      idleWaiters = [];
    },
  };
}
