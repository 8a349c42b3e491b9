// One worker process of the multi-worker PostgreSQL tests (connectors/src/queue/multi-worker.pg.test.ts): the real
// accept path (createAutomationServer, signed Zendesk webhooks), the PostgreSQL queue, workers whose effect is a
// row committed with the event's completion, and a periodic job under its advisory lock. Prints "ready URL".
import type { AddressInfo } from 'node:net';
import type pg from 'pg';
import { parseSurveyBody } from '../../feedback/parse-survey-body.ts';
import { createAutomationServer } from '../../serve/create-automation-server.ts';
import { ServiceMetrics } from '../../serve/service-metrics.ts';
import { PeriodicJobLock } from '../../store/job-lock.ts';
import { isDatabaseUnavailable, openPostgresStore } from '../../store/postgres.ts';
import { PostgresQueue } from '../postgres-queue.ts';
import { QUEUE_SCHEMA } from '../queue-schema.ts';
import { startQueueWorkers } from '../queue-workers.ts';

const url = process.env.BOUCLE_DATABASE_URL!;
const name = process.env.WORKER_NAME ?? String(process.pid);
const leaseMs = Number(process.env.LEASE_MS ?? 2000);
const handleMs = Number(process.env.HANDLE_MS ?? 10);
const TEST_WEBHOOK_SECRET = 'multi-worker-test-secret-0123456789';

const store = await openPostgresStore(url, [QUEUE_SCHEMA], {
  connectTimeoutMs: 1000,
  onIdleError: () => undefined,
});
const queue = new PostgresQueue(store, { retry: { maxAttempts: 50, baseDelayMs: 50, maxDelayMs: 500 } });
const workers = startQueueWorkers<pg.ClientBase>({
  queue,
  concurrency: 4,
  leaseMs,
  pollMs: 20,
  // As in `boucle serve`: an outcome (and its effect) that could not be committed is committed once the server is back.
  isUnavailable: isDatabaseUnavailable,
  handle: async (event) => {
    await new Promise((resolve) => setTimeout(resolve, handleMs));
    const invocation = String((event.payload as { invocationId?: string }).invocationId);
    const seq = Number(/-s(\d+)$/.exec(invocation)?.[1]);
    return async (client) => {
      await client.query(
        'INSERT INTO test_effects (idempotency_key, group_key, seq, worker) VALUES ($1, $2, $3, $4)',
        [event.idempotencyKey, event.groupKey, seq, name],
      );
    };
  },
});
const server = createAutomationServer({
  queue,
  metrics: new ServiceMetrics(),
  webhookSecret: TEST_WEBHOOK_SECRET,
  surveyToken: 'multi-worker-survey-token-0123456789',
  parseSurveyBody,
  toleranceSeconds: 300,
  onAccepted: () => workers.wake(),
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

// A periodic job: only the worker holding its lock ticks.
const lock = new PeriodicJobLock(url, 'test-tick');
const ticker = setInterval(() => {
  void lock
    .acquire()
    .then(async (mine) => {
      if (mine) await store.pool.query('INSERT INTO test_ticks (worker) VALUES ($1)', [name]);
    })
    .catch(() => undefined);
}, 50);

process.stdout.write(`ready http://127.0.0.1:${(server.address() as AddressInfo).port}\n`);
process.once('SIGTERM', () => {
  clearInterval(ticker);
  server.close();
  void workers
    .stop()
    .then(() => Promise.all([lock.close(), store.close()]))
    .then(() => process.exit(0));
});
