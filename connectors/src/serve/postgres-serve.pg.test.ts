import { existsSync } from 'node:fs';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { CUSTOM_OBJECT_KEYS } from '../../../shared/src/index.ts';
import { captureIo } from '../cli/capture-io.ts';
import { runCli } from '../cli/main.ts';
import { computeLoopReport } from '../loop/compute-loop-report.ts';
import { SURVEY_TOKEN, settle, useLoopHarness } from '../loop/test-harness.ts';
import { freshPostgresDatabase, postgresUrl } from '../store/testing-postgres.ts';

const startLoop = useLoopHarness();

describe('boucle serve with BOUCLE_DATABASE_URL', () => {
  it('queues and keeps its ledger on PostgreSQL and runs the closed loop against the Zendesk emulator', async () => {
    const databaseUrl = await freshPostgresDatabase();
    const { emulator, client, service, databasePath } = await startLoop({ service: () => ({ databaseUrl }) });
    expect(service.postgres).toBeDefined();
    await client.createOrUpdateUser({
      name: 'Marie Dupont',
      email: 'marie@dupont.example',
      role: 'end-user',
    });
    const answer = {
      id: 'survey-pg-1',
      kind: 'nps',
      score: 2,
      respondedAt: new Date(Date.now() - 60_000).toISOString(),
      email: 'marie@dupont.example',
      comment: 'Toujours pas de solution.',
    };
    const post = () =>
      fetch(`${service.url}/feedback`, {
        method: 'POST',
        headers: { authorization: `Bearer ${SURVEY_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify(answer),
      });
    expect((await post()).status).toBe(202);
    expect((await post()).status).toBe(200); // the same answer again: a duplicate
    await settle(emulator, service);

    const pool = new pg.Pool({ connectionString: databaseUrl, max: 1 });
    const { rows } = await pool.query<{ kind: string; status: string }>(
      'SELECT kind, status FROM queue_events',
    );
    // The decision is in PostgreSQL's ledger, applied, with its ticket's state and the Zendesk record's id.
    const ledger = await pool.query<{
      ticket_id: number;
      decision_key: string;
      status: string;
      record_id: string | null;
    }>('SELECT ticket_id, decision_key, status, record_id FROM automation_interventions');
    const tickets = await pool.query<{ ticket_id: number; fingerprint: string | null }>(
      'SELECT ticket_id, fingerprint FROM automation_tickets',
    );
    await pool.end();
    expect(ledger.rows).toHaveLength(1);
    expect(ledger.rows[0]).toMatchObject({ status: 'applied' });
    expect(ledger.rows[0]!.record_id).not.toBeNull();
    expect(ledger.rows[0]!.decision_key).toContain('survey_api:survey-pg-1');
    expect(tickets.rows.map((row) => row.ticket_id)).toEqual([ledger.rows[0]!.ticket_id]);
    expect(tickets.rows[0]!.fingerprint).not.toBeNull();
    expect((await service.ledger.all()).map((entry) => entry.decisionKey)).toEqual([
      ledger.rows[0]!.decision_key,
    ]);
    // The answer, then the webhooks Zendesk sent back for Boucle's own ticket updates: all done there.
    expect(rows.length).toBeGreaterThan(1);
    expect(rows.filter((row) => row.status !== 'done')).toEqual([]);
    expect(rows.filter((row) => !row.kind.startsWith('zendesk.'))).toHaveLength(1);
    // Nothing went to a SQLite file: none was opened.
    expect(service.store).toBeUndefined();
    expect(existsSync(databasePath)).toBe(false);
    // `boucle report loop` from anywhere reads the same ledger on the server (here with one callback more).
    await service.ledger.record({
      decisionKey: 'pg-report-callback',
      ticketId: ledger.rows[0]!.ticket_id,
      userId: null,
      action: 'callback',
      priority: 'high',
      tier: 'gold',
      expectedValue: 100,
      cost: 15,
      summary: 'Call back',
      decidedAt: new Date(),
      dueAt: null,
    });
    const report = captureIo({ cwd: '/', env: { BOUCLE_DATABASE_URL: databaseUrl } });
    expect(await runCli(['report', 'loop', '--json', '--env-file', '/nonexistent.env'], report.io)).toBe(0);
    expect(report.stderr()).toBe('');
    expect(JSON.parse(report.stdout())).toEqual(
      JSON.parse(JSON.stringify(computeLoopReport(await service.ledger.all()))),
    );
    expect(JSON.parse(report.stdout())).toMatchObject([{ interventions: 1 }]);
    const records = client.listCustomObjectRecords(CUSTOM_OBJECT_KEYS.feedback, {
      externalIds: ['survey_api:survey-pg-1'],
    });
    let found = 0;
    for await (const _record of records) found += 1;
    expect(found).toBe(1);
    const health = (await (await fetch(`${service.url}/healthz`)).json()) as { queueDepth: number };
    expect(health.queueDepth).toBe(0);
  });

  it('refuses to start with a wrong password, saying what to fix', async () => {
    const url = new URL(postgresUrl());
    url.password = 'wrong-password';
    await expect(startLoop({ service: () => ({ databaseUrl: url.toString() }) })).rejects.toThrow(
      /Cannot use the PostgreSQL database postgres:\/\/boucle:\*\*\*@127\.0\.0\.1:\d+\/boucle: the server refused the password of user "boucle": fix the password in BOUCLE_DATABASE_URL\./,
    );
  });
});
