import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { CUSTOM_OBJECT_KEYS, INTERVENTION_FIELD_KEYS } from '../../../shared/src/index.ts';
import { startZendeskEmulator } from '../../../sandbox/zendesk/index.ts';
import { provisionAutomation } from '../loop/provision-automation.ts';
import { collectAll, freePort, sandboxZendeskClient } from '../loop/test-harness.ts';
import { freshPostgresDatabase, startPostgres, stopPostgres } from '../store/testing-postgres.ts';
import {
  serveProcessEnv,
  startServeProcess,
  valuableOpenTickets,
  type ServeProcess,
} from './testing/serve-process.ts';
import { signZendeskWebhook } from './verify-zendesk-signature.ts';

// Two `boucle serve` processes with everything on one PostgreSQL database (queue, ledger, loop tables) run the
// closed loop against the Zendesk emulator; the PostgreSQL server is stopped for two seconds in the middle of a
// burst of survey answers and signed webhooks, then started again. The same processes must carry on by themselves.
const SURVEY_TOKEN = 'restart-survey-token-0123456789';
const OUTAGE_MS = 2000;

interface Service extends ServeProcess {
  readonly name: string;
}

async function startService(name: string, env: NodeJS.ProcessEnv): Promise<Service> {
  return { name, ...(await startServeProcess(env)) };
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** One HTTP answer to one attempt, with when it was sent and answered (to tell those made during the outage). */
interface Attempt {
  readonly item: string;
  readonly kind: 'answer' | 'webhook';
  readonly service: string;
  readonly sentAt: number;
  readonly answeredAt: number;
  readonly status: number;
  readonly retryAfter: string | null;
}

/** What the survey tool or Zendesk sends: one answer or one signed webhook, re-sent (re-signed) after a 503. */
interface Item {
  readonly id: string;
  readonly kind: 'answer' | 'webhook';
  readonly send: (service: Service) => Promise<Response>;
}

const cleanups: (() => unknown)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

describe('PostgreSQL stopped in the middle of a burst, under two boucle serve', () => {
  it('answers 503 + Retry-After while it is down, then the same processes apply every answer once in Zendesk', async () => {
    const emulator = await startZendeskEmulator({
      seed: 23,
      counts: { users: 12, organizations: 3, tickets: 12 },
      // Zendesk retries its own webhooks (those Boucle's updates trigger) after a 503.
      webhookRetryDelaysMs: [300, 600, 1200, 2400, 4800],
      // Zendesk's per-minute budget is not what this test is about (the CSAT pull every 500 ms spends 120/min).
      rateLimitPerMinute: 100_000,
    });
    cleanups.push(() => emulator.close());
    const client = sandboxZendeskClient(emulator.url);
    const [portA, portB] = [await freePort(), await freePort()];
    const { signingSecret } = await provisionAutomation(client, `http://127.0.0.1:${portA}`);
    const databaseUrl = await freshPostgresDatabase();
    const host = mkdtempSync(join(tmpdir(), 'boucle-pg-restart-'));
    cleanups.push(() => rmSync(host, { recursive: true, force: true }));
    const env = (name: string, port: number): NodeJS.ProcessEnv =>
      serveProcessEnv(
        {
          zendeskUrl: emulator.url,
          webhookSecret: signingSecret,
          surveyToken: SURVEY_TOKEN,
          port,
          databasePath: join(host, `${name}.sqlite`),
        },
        {
          BOUCLE_DATABASE_URL: databaseUrl,
          BOUCLE_WORKERS: '2',
          // BOUCLE_LEASE keeps its default (5 min): nothing here may wait for a lease to run out. An event in
          // flight when the server stops records its outcome once the server is back (queue/queue-workers.ts).
          // Both periodic jobs run often, so that the test sees them run again after the restart.
          BOUCLE_CSAT_PULL_INTERVAL: '500ms',
          BOUCLE_DEADLINE_SCAN_INTERVAL: '500ms',
        },
      );

    const open = await valuableOpenTickets(emulator, client);
    expect(open.length).toBeGreaterThanOrEqual(4);

    const a = await startService('a', env('a', portA));
    cleanups.push(() => a.child.kill('SIGKILL'));
    const b = await startService('b', env('b', portB));
    cleanups.push(() => b.child.kill('SIGKILL'));
    const services = [a, b];

    const answers = Array.from({ length: 60 }, (_, index) => {
      const ticket = open[index % open.length]!;
      return {
        id: `restart-burst-${index}`,
        kind: index % 3 === 0 ? 'csat' : 'nps',
        ...(index % 3 === 0 ? { scale: '1-5', score: 1 + (index % 2) } : { score: index % 7 }),
        respondedAt: new Date(Date.now() - 3_600_000 + index * 1000).toISOString(),
        ticketId: ticket.id,
        comment: index % 4 === 0 ? 'Toujours pas de réponse, troisième fois que je relance.' : 'Pas content.',
      };
    });
    const webhooks = Array.from({ length: 30 }, (_, index) => ({
      invocation: `restart-webhook-${index}`,
      body: JSON.stringify({ event: 'ticket.updated', ticket_id: String(open[index % open.length]!.id) }),
    }));
    const items: Item[] = [];
    for (let index = 0; index < answers.length; index += 1) {
      const answer = answers[index]!;
      items.push({
        id: answer.id,
        kind: 'answer',
        send: (service) =>
          fetch(`${service.url}/feedback`, {
            method: 'POST',
            headers: { authorization: `Bearer ${SURVEY_TOKEN}`, 'content-type': 'application/json' },
            body: JSON.stringify(answer),
          }),
      });
      const webhook = index % 2 === 1 ? webhooks[(index - 1) / 2] : undefined;
      if (webhook !== undefined)
        items.push({
          id: webhook.invocation,
          kind: 'webhook',
          // As Zendesk does: the same invocation id, signed again at each attempt.
          send: (service) => {
            const timestamp = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
            return fetch(`${service.url}/webhooks/zendesk`, {
              method: 'POST',
              headers: {
                'content-type': 'application/json',
                'x-zendesk-webhook-invocation-id': webhook.invocation,
                'x-zendesk-webhook-signature-timestamp': timestamp,
                'x-zendesk-webhook-signature': signZendeskWebhook(signingSecret, timestamp, webhook.body),
              },
              body: webhook.body,
            });
          },
        });
    }

    const attempts: Attempt[] = [];
    /** Sends each item to one of the two processes, again after each 503 (the test waits less than Retry-After). */
    const deliver = async (batch: readonly Item[], lanes: number): Promise<void> => {
      let next = 0;
      const lane = async (): Promise<void> => {
        while (next < batch.length) {
          const index = next++;
          const item = batch[index]!;
          const service = services[index % services.length]!;
          for (let attempt = 0; ; attempt += 1) {
            const sentAt = Date.now();
            const response = await item.send(service);
            await response.arrayBuffer();
            attempts.push({
              item: item.id,
              kind: item.kind,
              service: service.name,
              sentAt,
              answeredAt: Date.now(),
              status: response.status,
              retryAfter: response.headers.get('retry-after'),
            });
            if (response.status !== 503) break;
            if (attempt > 300) throw new Error(`${item.id} was refused 300 times`);
            await sleep(100);
          }
        }
      };
      await Promise.all(Array.from({ length: lanes }, lane));
    };

    const pool = new pg.Pool({ connectionString: databaseUrl, max: 1 });
    pool.on('error', () => undefined); // its idle connection is cut when the server stops
    cleanups.push(() => pool.end());
    const count = async (sql: string): Promise<number> =>
      Number((await pool.query<{ n: string }>(sql)).rows[0]!.n);

    // The first half is under way when the server stops; the second half is sent while it is down.
    const half = Math.floor(items.length / 2);
    const first = deliver(items.slice(0, half), 4);
    for (
      let waited = 0;
      (await count(
        "SELECT COUNT(*) AS n FROM queue_events WHERE kind = 'feedback.answer' AND status = 'done'",
      )) < 8 && waited < 30_000;
      waited += 20
    )
      await sleep(20);
    const csatPullsBefore = emulator
      .requests()
      .filter((entry) => entry.path.startsWith('/api/v2/satisfaction_ratings')).length;
    expect(csatPullsBefore).toBeGreaterThan(0);
    const inFlight = (
      await pool.query<{ id: number }>("SELECT id FROM queue_events WHERE status = 'processing'")
    ).rows.map((row) => Number(row.id));
    expect(inFlight.length).toBeGreaterThan(0);
    stopPostgres();
    // Should the test fail while the server is down, the next test files still find it running.
    let down = true;
    cleanups.push(() => {
      if (down) startPostgres();
    });
    const stoppedAt = Date.now();
    const second = deliver(items.slice(half), 4);
    const health: { service: string; status: number; retryAfter: string | null }[] = [];
    while (Date.now() - stoppedAt < OUTAGE_MS) {
      for (const service of services) {
        const response = await fetch(`${service.url}/healthz`);
        await response.arrayBuffer();
        health.push({
          service: service.name,
          status: response.status,
          retryAfter: response.headers.get('retry-after'),
        });
      }
      await sleep(200);
    }
    const restartAt = Date.now();
    const logBeforeRestart = emulator.requests().at(-1)?.seq ?? 0;
    startPostgres();
    down = false;
    const startedAt = Date.now();
    await Promise.all([first, second]);

    // While it was down: /healthz said 503 on both, and every webhook and answer got 503 + Retry-After: 5.
    for (const service of services)
      expect(health.filter((h) => h.service === service.name).length).toBeGreaterThan(0);
    expect(health.filter((h) => h.status !== 503 || h.retryAfter !== '5')).toEqual([]);
    const duringOutage = attempts.filter((x) => x.sentAt >= stoppedAt && x.answeredAt < restartAt);
    for (const kind of ['answer', 'webhook'] as const)
      expect(duringOutage.filter((x) => x.kind === kind).length).toBeGreaterThan(0);
    expect(duringOutage.filter((x) => x.status !== 503)).toEqual([]);
    const refused = attempts.filter((x) => x.status === 503);
    expect(new Set(refused.map((x) => x.retryAfter))).toEqual(new Set(['5']));
    // No other error status at any time: accepted (202) or, for a re-sent one already stored, duplicate (200).
    expect(attempts.filter((x) => ![200, 202, 503].includes(x.status))).toEqual([]);
    // Every item was accepted in the end, each by a 202 or 200 after its 503s.
    const lastStatus = new Map(attempts.map((x) => [x.item, x.status]));
    expect(lastStatus.size).toBe(items.length);
    expect([...lastStatus.values()].filter((status) => status !== 202 && status !== 200)).toEqual([]);
    // Both processes took webhooks again once the server was back.
    for (const service of services)
      expect(
        attempts.filter((x) => x.service === service.name && x.sentAt >= startedAt && x.status !== 503)
          .length,
      ).toBeGreaterThan(0);

    // The same processes carry on by themselves: the queue empties, the emulator's own webhooks get through.
    let quiet = 0;
    for (let round = 0; round < 200 && quiet < 3; round += 1) {
      await emulator.settle();
      const depths = await Promise.all(
        services.map(async (service) => {
          const response = await fetch(`${service.url}/healthz`);
          return response.status === 200
            ? ((await response.json()) as { queueDepth: number }).queueDepth
            : -1;
        }),
      );
      quiet = depths.every((depth) => depth === 0) ? quiet + 1 : 0;
      await sleep(100);
    }
    const diagnose = () => services.map((s) => `${s.name}: ${s.stderr().slice(-1500)}`).join('\n');
    const left = (
      await pool.query<{ status: string; n: string }>(
        'SELECT status, COUNT(*) AS n FROM queue_events GROUP BY status ORDER BY status',
      )
    ).rows;
    expect(quiet, `${JSON.stringify(left)}\n${diagnose()}`).toBe(3);
    for (const service of services) expect(service.child.exitCode, diagnose()).toBeNull();
    // Both periodic jobs (deadline scan, CSAT pull) hold their advisory lock again, and the CSAT pull runs again.
    const jobLocks = () =>
      count(
        `SELECT COUNT(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND classid = ${0x62636c} AND granted`,
      );
    for (let waited = 0; (await jobLocks()) < 2 && waited < 10_000; waited += 50) await sleep(50);
    expect(await jobLocks()).toBe(2);
    expect(
      emulator
        .requests()
        .filter(
          (entry) => entry.seq > logBeforeRestart && entry.path.startsWith('/api/v2/satisfaction_ratings'),
        ).length,
    ).toBeGreaterThan(0);
    // The emulator's webhooks (echoes of Boucle's updates) got 503 or were taken; none was given up.
    const deliveries = emulator.webhookDeliveries();
    expect(deliveries.length).toBeGreaterThan(0);
    expect(deliveries.filter((delivery) => delivery.outcome !== 'delivered')).toEqual([]);
    expect(
      deliveries
        .flatMap((delivery) => delivery.attempts)
        .filter((x) => ![200, 202, 503].includes(x.status ?? 0)),
    ).toEqual([]);

    // 0 lost, 0 duplicated: every accepted item is one queue event, done (those in flight at the stop too).
    expect(await count("SELECT COUNT(*) AS n FROM queue_events WHERE status <> 'done'")).toBe(0);
    expect(
      await count(
        `SELECT COUNT(*) AS n FROM queue_events WHERE status = 'done' AND id IN (${inFlight.join(',')})`,
      ),
    ).toBe(inFlight.length);
    const keys = (
      await pool.query<{ idempotency_key: string }>(
        "SELECT idempotency_key FROM queue_events WHERE idempotency_key LIKE 'feedback:survey_api:%' OR idempotency_key LIKE 'webhook:invocation:restart-%'",
      )
    ).rows.map((row) => row.idempotency_key);
    expect(keys.sort()).toEqual(
      [
        ...answers.map((answer) => `feedback:survey_api:${answer.id}`),
        ...webhooks.map((webhook) => `webhook:invocation:${webhook.invocation}`),
      ].sort(),
    );
    // Every answer is one feedback record in Zendesk.
    const feedbackRecords = await collectAll(client.listCustomObjectRecords(CUSTOM_OBJECT_KEYS.feedback));
    expect(
      feedbackRecords
        .map((record) => record.external_id)
        .filter((id) => id?.startsWith('survey_api:'))
        .sort(),
    ).toEqual(answers.map((answer) => `survey_api:${answer.id}`).sort());
    // Every ledger entry was applied (none left half done), and is one intervention record and one note.
    const ledger = (
      await pool.query<{ ticket_id: number; action: string; status: string; record_id: string | null }>(
        'SELECT ticket_id, action, status, record_id FROM automation_interventions',
      )
    ).rows;
    expect(ledger.length).toBeGreaterThanOrEqual(open.length);
    expect(ledger.filter((row) => row.status !== 'applied' || row.record_id === null)).toEqual([]);
    const interventionRecords = await collectAll(
      client.listCustomObjectRecords(CUSTOM_OBJECT_KEYS.intervention),
    );
    expect(interventionRecords).toHaveLength(ledger.length);
    expect(new Set(ledger.map((row) => row.record_id)).size).toBe(ledger.length);
    // Each Zendesk intervention record says what its ledger entry says (a decision made again says the same).
    const recordAction = new Map(
      interventionRecords.map((record) => [
        String(record.id),
        record.custom_object_fields[INTERVENTION_FIELD_KEYS.action],
      ]),
    );
    expect(ledger.map((row) => [row.record_id, recordAction.get(String(row.record_id))]).sort()).toEqual(
      ledger.map((row) => [row.record_id, row.action]).sort(),
    );
    for (const ticket of open) {
      const decisions = ledger.filter((row) => Number(row.ticket_id) === ticket.id);
      expect(decisions.length).toBeGreaterThanOrEqual(1);
      const notes = (await collectAll(client.listComments(ticket.id))).filter((comment) =>
        comment.body.startsWith('Boucle — '),
      );
      expect(notes.every((note) => !note.public)).toBe(true);
      const markers = notes.map((note) => /\[boucle:[0-9a-f]{16}\]/.exec(note.body)?.[0]);
      expect(new Set(markers).size).toBe(markers.length);
      expect(notes).toHaveLength(decisions.length);
      const current = await client.getTicket(ticket.id);
      expect(
        current.tags.filter((tag) => /^boucle_(none|apology|callback|compensation)$/.test(tag)),
      ).toHaveLength(1);
    }
  });
});
