import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, describe, expect, it } from 'vitest';
import { CUSTOM_OBJECT_KEYS } from '../../../shared/src/index.ts';
import { startZendeskEmulator } from '../../../sandbox/zendesk/index.ts';
import { provisionAutomation } from '../loop/provision-automation.ts';
import { collectAll, freePort, sandboxZendeskClient } from '../loop/test-harness.ts';
import {
  expectOneEffectPerDecision,
  serveProcessEnv,
  startServeProcess,
  valuableOpenTickets,
} from './testing/serve-process.ts';

const SURVEY_TOKEN = 'kill-test-survey-token-0123456789';

const cleanups: (() => unknown)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

describe('boucle serve, killed with SIGKILL during a burst and restarted', () => {
  it('applies every accepted event exactly once in effect', async () => {
    const emulator = await startZendeskEmulator({
      seed: 11,
      counts: { users: 12, organizations: 3, tickets: 12 },
      webhookRetryDelaysMs: [300, 600, 1200, 2400, 4800],
    });
    cleanups.push(() => emulator.close());
    const client = sandboxZendeskClient(emulator.url);
    const port = await freePort();
    const { signingSecret } = await provisionAutomation(client, `http://127.0.0.1:${port}`);
    const dir = mkdtempSync(join(tmpdir(), 'boucle-kill-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const env = serveProcessEnv(
      {
        zendeskUrl: emulator.url,
        webhookSecret: signingSecret,
        surveyToken: SURVEY_TOKEN,
        port,
        databasePath: join(dir, 'boucle.sqlite'),
      },
      { BOUCLE_WORKERS: '4' },
    );

    const open = await valuableOpenTickets(emulator, client);
    expect(open.length).toBeGreaterThanOrEqual(4);

    const first = await startServeProcess(env);
    cleanups.push(() => first.child.kill('SIGKILL'));
    const answers = Array.from({ length: 60 }, (_, index) => {
      const ticket = open[index % open.length]!;
      return {
        id: `burst-${index}`,
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
      answers.map((answer) => post(first.url, answer).then((response) => response.status)),
    );
    const accepted = answers.filter((_, index) => results[index] === 202).map((answer) => answer.id);
    expect(accepted).toHaveLength(60);

    // Kill while the workers are acting on Zendesk: as soon as the first answer has been applied (a fixed delay
    // would be too short on a loaded machine and too long on a quiet one).
    const watch = new DatabaseSync(join(dir, 'boucle.sqlite'), { readOnly: true });
    const applied = () =>
      (
        watch
          .prepare(
            "SELECT COUNT(*) AS n FROM queue_events WHERE status = 'done' AND kind = 'feedback.answer'",
          )
          .get() as { n: number }
      ).n;
    for (let waited = 0; applied() === 0 && waited < 30_000; waited += 10)
      await new Promise((done) => setTimeout(done, 10));
    watch.close();
    first.child.kill('SIGKILL');
    await new Promise((done) => first.child.once('exit', done));

    // The kill caught the service mid-way: some events were applied, others were still queued or in progress.
    const atKill = new DatabaseSync(join(dir, 'boucle.sqlite'));
    const unfinished = (
      atKill
        .prepare("SELECT COUNT(*) AS n FROM queue_events WHERE status != 'done' AND kind = 'feedback.answer'")
        .get() as { n: number }
    ).n;
    atKill.close();
    expect(unfinished).toBeGreaterThan(0);
    expect(unfinished).toBeLessThan(60);

    const second = await startServeProcess(env);
    cleanups.push(() => second.child.kill('SIGKILL'));
    expect(second.url).toBe(first.url);
    // Redelivering the whole burst after the restart is recognised, not applied again.
    const redelivered = await Promise.all(
      answers.map((answer) => post(second.url, answer).then((response) => response.status)),
    );
    expect(redelivered.every((status) => status === 200)).toBe(true);

    // Wait until the queue is empty, the emulator has delivered its webhooks, and it stays so.
    let quiet = 0;
    for (let round = 0; round < 400 && quiet < 3; round += 1) {
      await emulator.settle();
      const health = (await (await fetch(`${second.url}/healthz`)).json()) as { queueDepth: number };
      quiet = health.queueDepth === 0 ? quiet + 1 : 0;
      await new Promise((done) => setTimeout(done, 100));
    }
    expect(quiet).toBe(3);
    second.child.kill('SIGTERM');
    await new Promise((done) => second.child.once('exit', done));

    const db = new DatabaseSync(join(dir, 'boucle.sqlite'));
    const statuses = db.prepare('SELECT status, COUNT(*) AS n FROM queue_events GROUP BY status').all() as {
      status: string;
      n: number;
    }[];
    expect(statuses.filter((row) => row.status !== 'done')).toEqual([]);
    const feedbackKeys = db
      .prepare("SELECT idempotency_key FROM queue_events WHERE kind = 'feedback.answer'")
      .all() as { idempotency_key: string }[];
    expect(feedbackKeys.map((row) => row.idempotency_key).sort()).toEqual(
      accepted.map((id) => `feedback:survey_api:${id}`).sort(),
    );
    const ledger = db.prepare('SELECT ticket_id, decision_key FROM automation_interventions').all() as {
      ticket_id: number;
      decision_key: string;
    }[];
    db.close();

    // Every answer is one feedback record.
    const feedbackRecords = await collectAll(client.listCustomObjectRecords(CUSTOM_OBJECT_KEYS.feedback));
    expect(feedbackRecords.map((record) => record.external_id).sort()).toEqual(
      accepted.map((id) => `survey_api:${id}`).sort(),
    );

    // Per ticket: one note per decision, one Zendesk ledger record per decision, no note twice.
    await expectOneEffectPerDecision(
      client,
      open,
      ledger.map((row) => row.ticket_id),
    );
  });
});
