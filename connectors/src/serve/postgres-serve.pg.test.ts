import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { CUSTOM_OBJECT_KEYS } from '../../../shared/src/index.ts';
import { SURVEY_TOKEN, settle, useLoopHarness } from '../loop/test-harness.ts';
import { freshPostgresDatabase, postgresUrl } from '../store/testing-postgres.ts';

const startLoop = useLoopHarness();

describe('boucle serve with BOUCLE_DATABASE_URL', () => {
  it('queues on PostgreSQL and runs the closed loop against the Zendesk emulator', async () => {
    const databaseUrl = await freshPostgresDatabase();
    const { emulator, client, service } = await startLoop({ service: () => ({ databaseUrl }) });
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
    await pool.end();
    // The answer, then the webhooks Zendesk sent back for Boucle's own ticket updates: all done there.
    expect(rows.length).toBeGreaterThan(1);
    expect(rows.filter((row) => row.status !== 'done')).toEqual([]);
    expect(rows.filter((row) => !row.kind.startsWith('zendesk.'))).toHaveLength(1);
    // Nothing went to the SQLite queue.
    expect(service.store.db.prepare('SELECT COUNT(*) AS n FROM queue_events').get()).toEqual({ n: 0 });
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
