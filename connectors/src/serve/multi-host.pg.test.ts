import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { CUSTOM_OBJECT_KEYS } from '../../../shared/src/index.ts';
import { startZendeskEmulator } from '../../../sandbox/zendesk/index.ts';
import { provisionAutomation } from '../loop/provision-automation.ts';
import { collectAll, freePort, sandboxZendeskClient } from '../loop/test-harness.ts';
import { freshPostgresDatabase } from '../store/testing-postgres.ts';
import {
  expectOneEffectPerDecision,
  serveProcessEnv,
  startServeProcess,
  valuableOpenTickets,
} from './testing/serve-process.ts';

// Two `boucle serve` processes, as on two hosts: each its own BOUCLE_DB_PATH (neither file is ever created), one
// PostgreSQL database for the queue, the ledger and the loop's tables. One is killed with SIGKILL mid-burst.
const SURVEY_TOKEN = 'multi-host-survey-token-0123456789';

const cleanups: (() => unknown)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

describe('two boucle serve on one PostgreSQL database, different SQLite paths, one killed mid-burst', () => {
  it('applies every accepted answer once in effect in Zendesk: 0 lost, 0 duplicated', async () => {
    const emulator = await startZendeskEmulator({
      seed: 11,
      counts: { users: 12, organizations: 3, tickets: 12 },
      webhookRetryDelaysMs: [300, 600, 1200, 2400, 4800],
    });
    cleanups.push(() => emulator.close());
    const client = sandboxZendeskClient(emulator.url);
    const [portA, portB] = [await freePort(), await freePort()];
    // Zendesk's webhook goes to A (the one that stays); the survey tool posts to both.
    const { signingSecret } = await provisionAutomation(client, `http://127.0.0.1:${portA}`);
    const databaseUrl = await freshPostgresDatabase();
    const hostA = mkdtempSync(join(tmpdir(), 'boucle-host-a-'));
    const hostB = mkdtempSync(join(tmpdir(), 'boucle-host-b-'));
    cleanups.push(() => rmSync(hostA, { recursive: true, force: true }));
    cleanups.push(() => rmSync(hostB, { recursive: true, force: true }));
    const env = (dir: string, port: number, workers: number): NodeJS.ProcessEnv =>
      serveProcessEnv(
        {
          zendeskUrl: emulator.url,
          webhookSecret: signingSecret,
          surveyToken: SURVEY_TOKEN,
          port,
          databasePath: join(dir, 'boucle.sqlite'),
        },
        { BOUCLE_DATABASE_URL: databaseUrl, BOUCLE_WORKERS: String(workers), BOUCLE_LEASE: '2s' },
      );

    const open = await valuableOpenTickets(emulator, client);
    expect(open.length).toBeGreaterThanOrEqual(4);

    // B does most of the work (4 workers against A's 1), so that it holds events when it is killed.
    const a = await startServeProcess(env(hostA, portA, 1));
    cleanups.push(() => a.child.kill('SIGKILL'));
    const b = await startServeProcess(env(hostB, portB, 4));
    cleanups.push(() => b.child.kill('SIGKILL'));
    const answers = Array.from({ length: 60 }, (_, index) => {
      const ticket = open[index % open.length]!;
      return {
        id: `host-burst-${index}`,
        kind: index % 3 === 0 ? 'csat' : 'nps',
        ...(index % 3 === 0 ? { scale: '1-5', score: 1 + (index % 2) } : { score: index % 7 }),
        respondedAt: new Date(Date.now() - 3_600_000 + index * 1000).toISOString(),
        ticketId: ticket.id,
        comment: index % 4 === 0 ? 'Toujours pas de réponse, troisième fois que je relance.' : 'Pas content.',
      };
    });
    const post = (url: string, answer: unknown) =>
      fetch(`${url}/feedback`, {
        method: 'POST',
        headers: { authorization: `Bearer ${SURVEY_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify(answer),
      });
    const results = await Promise.all(
      answers.map((answer, index) =>
        post(index % 2 === 0 ? a.url : b.url, answer).then((response) => response.status),
      ),
    );
    expect(results.every((status) => status === 202)).toBe(true);

    // Kill B as soon as the first answer has been applied, noting the events in progress then.
    const pool = new pg.Pool({ connectionString: databaseUrl, max: 1 });
    cleanups.push(() => pool.end());
    const count = async (where: string): Promise<number> =>
      Number(
        (
          await pool.query<{ n: string }>(
            `SELECT COUNT(*) AS n FROM queue_events WHERE kind = 'feedback.answer' AND ${where}`,
          )
        ).rows[0]!.n,
      );
    for (let waited = 0; (await count("status = 'done'")) === 0 && waited < 30_000; waited += 10)
      await new Promise((done) => setTimeout(done, 10));
    b.child.kill('SIGKILL');
    await new Promise((done) => b.child.once('exit', done));
    const atKill = (
      await pool.query<{ id: string; attempts: number }>(
        "SELECT id, attempts FROM queue_events WHERE status = 'processing'",
      )
    ).rows;
    expect(await count("status != 'done'")).toBeGreaterThan(0);

    // A alone finishes: it takes over what B held once B's leases (2 s) run out.
    let quiet = 0;
    for (let round = 0; round < 400 && quiet < 3; round += 1) {
      await emulator.settle();
      const health = (await (await fetch(`${a.url}/healthz`)).json()) as { queueDepth: number };
      quiet = health.queueDepth === 0 ? quiet + 1 : 0;
      await new Promise((done) => setTimeout(done, 100));
    }
    expect(quiet).toBe(3);
    a.child.kill('SIGTERM');
    await new Promise((done) => a.child.once('exit', done));

    const statuses = (
      await pool.query<{ status: string }>('SELECT DISTINCT status FROM queue_events')
    ).rows.map((row) => row.status);
    expect(statuses).toEqual(['done']);
    const feedbackKeys = (
      await pool.query<{ idempotency_key: string }>(
        "SELECT idempotency_key FROM queue_events WHERE kind = 'feedback.answer'",
      )
    ).rows.map((row) => row.idempotency_key);
    expect(feedbackKeys.sort()).toEqual(answers.map((answer) => `feedback:survey_api:${answer.id}`).sort());
    // What B held when it died was claimed again (by A) after its lease: taken over, not lost.
    const after = new Map(
      (
        await pool.query<{ id: number; attempts: number }>(
          'SELECT id, attempts FROM queue_events WHERE id = ANY($1::bigint[])',
          [atKill.map((row) => row.id)],
        )
      ).rows.map((row) => [Number(row.id), row.attempts]),
    );
    const takenOver = atKill.filter((row) => after.get(Number(row.id))! > row.attempts);
    expect(takenOver.length).toBeGreaterThan(0);
    // The ledger is on PostgreSQL, shared by both; neither host has a SQLite file.
    const ledger = (
      await pool.query<{ ticket_id: string; decision_key: string }>(
        'SELECT ticket_id, decision_key FROM automation_interventions',
      )
    ).rows;
    expect(ledger.length).toBeGreaterThanOrEqual(open.length);
    expect(existsSync(join(hostA, 'boucle.sqlite'))).toBe(false);
    expect(existsSync(join(hostB, 'boucle.sqlite'))).toBe(false);

    // Every answer is one feedback record.
    const feedbackRecords = await collectAll(client.listCustomObjectRecords(CUSTOM_OBJECT_KEYS.feedback));
    expect(feedbackRecords.map((record) => record.external_id).sort()).toEqual(
      answers.map((answer) => `survey_api:${answer.id}`).sort(),
    );
    // Per ticket: one note and one Zendesk ledger record per decision, no note twice, one action tag.
    await expectOneEffectPerDecision(
      client,
      open,
      ledger.map((row) => Number(row.ticket_id)),
    );
  });
});
