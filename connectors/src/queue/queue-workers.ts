import type { DurableQueue, QueueEvent } from './durable-queue.ts';

/** Thrown by a handler when retrying cannot help (bad payload, unknown kind): the event is dead-lettered at once. */
export class PermanentEventError extends Error {
  override readonly name = 'PermanentEventError';
}

export type EventHandler = (event: QueueEvent) => Promise<void>;

export interface WorkerEvents {
  processed?(event: QueueEvent, durationMs: number): void;
  retried?(event: QueueEvent, error: unknown): void;
  deadLettered?(event: QueueEvent, error: unknown): void;
}

export interface QueueWorkersOptions {
  readonly queue: DurableQueue;
  readonly handle: EventHandler;
  /** Events processed at the same time (never two of one group). */
  readonly concurrency: number;
  /** How long a claimed event stays reserved; a crashed run's leases are released at start-up. */
  readonly leaseMs?: number;
  /** Idle polling interval; `wake()` short-circuits it. */
  readonly pollMs?: number;
  readonly events?: WorkerEvents;
}

export interface QueueWorkers {
  /** Look for work now (call after an enqueue). */
  wake(): void;
  /** Resolves when nothing is ready and nothing is running (events waiting for a retry delay are not awaited). */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

/** Runs queued events through `handle`, at least once each, with retries and a dead-letter list. */
export function startQueueWorkers(options: QueueWorkersOptions): QueueWorkers {
  const { queue, handle, concurrency } = options;
  const leaseMs = options.leaseMs ?? 5 * 60_000;
  const pollMs = options.pollMs ?? 250;
  const running = new Set<Promise<void>>();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let idleWaiters: (() => void)[] = [];

  const runOne = async (event: QueueEvent): Promise<void> => {
    const started = performance.now();
    try {
      await handle(event);
      queue.complete(event.id);
      options.events?.processed?.(event, performance.now() - started);
    } catch (error) {
      const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      const outcome = queue.fail(event, message, error instanceof PermanentEventError);
      if (outcome === 'dead') options.events?.deadLettered?.(event, error);
      else options.events?.retried?.(event, error);
    }
  };

  const pump = (): void => {
    if (timer !== undefined) {
      clearTimeout(timer);
      timer = undefined;
    }
    if (stopped) return;
    const free = concurrency - running.size;
    const claimed = free > 0 ? queue.claim(free, leaseMs) : [];
    for (const event of claimed) {
      const task = runOne(event).finally(() => {
        running.delete(task);
        pump();
      });
      running.add(task);
    }
    if (running.size === 0 && claimed.length === 0) {
      const waiters = idleWaiters;
      idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
    if (running.size < concurrency) timer = setTimeout(pump, pollMs);
  };

  queueMicrotask(pump);

  return {
    wake() {
      if (!stopped) setImmediate(pump);
    },
    idle() {
      return new Promise((resolve) => {
        idleWaiters.push(resolve);
        setImmediate(pump);
      });
    },
    async stop() {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      await Promise.allSettled([...running]);
      for (const resolve of idleWaiters) resolve();
      idleWaiters = [];
    },
  };
}
